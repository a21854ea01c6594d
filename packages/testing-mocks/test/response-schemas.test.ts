import { type OperationId, operationTable } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { createEmulator } from '../src/index.js';
import { responseSchemas, spec, validate } from './schema-check.js';

const templates = Object.entries(operationTable).map(([operationId, info]) => ({
  operationId: operationId as OperationId,
  method: info.method,
  pattern: new RegExp(`^${info.path.replace(/\{\w+\}/g, '[^/]+')}$`),
  literal: info.path.split('/').filter((segment) => !segment.startsWith('{')).length,
}));

function operationOf(method: string, pathname: string): OperationId {
  const matches = templates.filter(
    (template) => template.method === method && template.pattern.test(pathname),
  );
  // Literal segments (Statistics, RealTimeStatistics) win over SIDs, as in the emulator's router.
  matches.sort((a, b) => b.literal - a.literal);
  return matches[0]!.operationId;
}

/** Runs a scenario that calls every operation and returns each successful answer with its operation. */
async function everyOperation() {
  const emulator = createEmulator();
  const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
  const answers: { operationId: OperationId; status: number; body: unknown }[] = [];
  const call = async (method: string, path: string, params: Record<string, string> = {}, json?: unknown) => {
    const url = new URL(`${emulator.baseUrl}${path}`);
    const init: RequestInit = { method, headers: { authorization } };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers = { authorization, 'content-type': 'application/json' };
    } else if (method === 'POST') init.body = new URLSearchParams(params);
    else for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await emulator.fetch(url, init);
    const text = await response.text();
    const body = text === '' ? null : JSON.parse(text);
    if (response.status >= 300) throw new Error(`${method} ${path} failed: ${text}`);
    answers.push({ operationId: operationOf(method, url.pathname), status: response.status, body });
    return body;
  };
  const ws = await call('POST', '/v1/Workspaces', {
    FriendlyName: 'Schema',
    Template: 'FIFO',
    EventCallbackUrl: 'https://example.com/e',
  });
  const base = `/v1/Workspaces/${ws.sid}`;
  await call('GET', '/v1/Workspaces');
  await call('GET', base);
  await call('POST', base, { FriendlyName: 'Schema 2' });
  const activity = await call('POST', `${base}/Activities`, { FriendlyName: 'Lunch', Available: 'false' });
  await call('GET', `${base}/Activities`);
  await call('GET', `${base}/Activities/${activity.sid}`);
  await call('POST', `${base}/Activities/${activity.sid}`, { FriendlyName: 'Break' });
  const channel = await call('POST', `${base}/TaskChannels`, { FriendlyName: 'Email', UniqueName: 'email' });
  await call('GET', `${base}/TaskChannels`);
  await call('GET', `${base}/TaskChannels/${channel.sid}`);
  await call('POST', `${base}/TaskChannels/${channel.sid}`, { ChannelOptimizedRouting: 'true' });
  const queue = await call('POST', `${base}/TaskQueues`, {
    FriendlyName: 'Q',
    ReservationActivitySid: activity.sid,
  });
  await call('GET', `${base}/TaskQueues`);
  await call('GET', `${base}/TaskQueues/${queue.sid}`);
  await call('POST', `${base}/TaskQueues/${queue.sid}`, { TargetWorkers: 'level > 1' });
  const worker = await call('POST', `${base}/Workers`, { FriendlyName: 'Ann', Attributes: '{"level":2}' });
  await call('GET', `${base}/Workers`);
  await call('GET', `${base}/Workers/${worker.sid}`);
  await call('POST', `${base}/Workers/${worker.sid}`, { Attributes: '{"level":3}' });
  await call('GET', `${base}/Workers/${worker.sid}/Channels`);
  await call('GET', `${base}/Workers/${worker.sid}/Channels/email`);
  await call('POST', `${base}/Workers/${worker.sid}/Channels/email`, { Capacity: '2' });
  const configuration = JSON.stringify({
    task_routing: {
      filters: [{ expression: 'x == 1', targets: [{ queue: queue.sid, timeout: 10 }] }],
      default_filter: { queue: queue.sid },
    },
  });
  const workflow = await call('POST', `${base}/Workflows`, {
    FriendlyName: 'WF',
    Configuration: configuration,
  });
  await call('GET', `${base}/Workflows`);
  await call('GET', `${base}/Workflows/${workflow.sid}`);
  await call('POST', `${base}/Workflows/${workflow.sid}`, { TaskReservationTimeout: '60' });
  const task = await call('POST', `${base}/Tasks`, {
    WorkflowSid: workflow.sid,
    TaskQueueSid: queue.sid,
    Attributes: '{"x":1}',
  });
  await call('GET', `${base}/Tasks`);
  await call('GET', `${base}/Tasks/${task.sid}`);
  await call('POST', `${base}/Tasks/${task.sid}`, { Priority: '4' });
  const reservation = emulator.seed.reservation(ws.sid, { taskSid: task.sid, workerSid: worker.sid });
  await call('GET', `${base}/Tasks/${task.sid}/Reservations`);
  await call('GET', `${base}/Tasks/${task.sid}/Reservations/${reservation.sid}`);
  await call('GET', `${base}/Workers/${worker.sid}/Reservations`);
  await call('GET', `${base}/Workers/${worker.sid}/Reservations/${reservation.sid}`);
  await call('POST', `${base}/Tasks/${task.sid}/Reservations/${reservation.sid}`, {
    ReservationStatus: 'accepted',
  });
  await call('POST', `${base}/Workers/${worker.sid}/Reservations/${reservation.sid}`, {
    ReservationStatus: 'wrapping',
  });
  const events = await call('GET', `${base}/Events`);
  await call('GET', `${base}/Events/${events.events[0].sid}`);
  for (const path of ['Statistics', 'RealTimeStatistics', 'CumulativeStatistics']) {
    await call('GET', `${base}/${path}`, path === 'RealTimeStatistics' ? {} : { SplitByWaitTime: '5,30' });
    await call('GET', `${base}/TaskQueues/${queue.sid}/${path}`);
    await call('GET', `${base}/Workflows/${workflow.sid}/${path}`);
    await call('GET', `${base}/Workers/${path}`);
  }
  await call('GET', `${base}/TaskQueues/Statistics`);
  await call('POST', `${base}/TaskQueues/RealTimeStatistics`, {}, { QueueSids: [queue.sid] });
  await call('GET', `${base}/Workers/${worker.sid}/Statistics`);
  await call('POST', `${base}/Tasks/${task.sid}`, { AssignmentStatus: 'completed' });
  await call('DELETE', `${base}/Tasks/${task.sid}`);
  await call('DELETE', `${base}/Workers/${worker.sid}`);
  await call('DELETE', `${base}/Workflows/${workflow.sid}`);
  await call('DELETE', `${base}/TaskQueues/${queue.sid}`);
  await call('DELETE', `${base}/Activities/${activity.sid}`);
  await call('DELETE', `${base}/TaskChannels/${channel.sid}`);
  await call('DELETE', base);
  return { answers, emulator };
}

describe('every response body validates against the spec', () => {
  test('all 61 operations, with the documented status', async () => {
    const { answers } = await everyOperation();
    const schemas = responseSchemas();
    const covered = new Set(answers.map((answer) => answer.operationId));
    expect([...schemas.keys()].filter((operationId) => !covered.has(operationId as OperationId))).toEqual([]);
    expect(covered.size).toBe(61);
    for (const { operationId, status, body } of answers) {
      expect(status, operationId).toBe(operationTable[operationId].status);
      const schema = schemas.get(operationId);
      if (schema === null || schema === undefined) {
        expect(body, operationId).toBeNull();
        continue;
      }
      expect(validate(body, schema), operationId).toEqual([]);
    }
  });

  test('error bodies validate against the error schema', async () => {
    const emulator = createEmulator();
    const errorSchema = spec.components.schemas.error!;
    const unauthorized = await (await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`)).json();
    expect(validate(unauthorized, errorSchema)).toEqual([]);
    const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
    const invalid = await (
      await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
        method: 'POST',
        headers: { authorization },
        body: new URLSearchParams(),
      })
    ).json();
    expect(validate(invalid, errorSchema)).toEqual([]);
  });

  test('the checker itself rejects wrong shapes', () => {
    const schema = spec.components.schemas['taskrouter.v1.workspace.activity']!;
    expect(validate({ sid: 'WA1' }, schema)).toEqual(
      expect.arrayContaining([expect.stringContaining('missing required available')]),
    );
    expect(
      validate({ available: 'yes' }, { properties: { available: { type: 'boolean' } }, type: 'object' }),
    ).toEqual(['$.available: expected a boolean']);
    expect(validate('2030-01-01', { type: 'string', format: 'date-time' })).toHaveLength(1);
  });
});
