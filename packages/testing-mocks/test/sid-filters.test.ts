import { type OperationId, operationTable } from '@taskrouter/core';
import { type OperationSidParameters, sidParameters } from '@taskrouter/core/facts';
import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

const hex = (digit: string) => digit.repeat(32);

async function fixture() {
  const context = setup();
  const ws = await workspaceWith(context.api, 'FIFO');
  const worker = (await context.api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' })).body;
  const task = (await context.api.post(`${ws.path}/Tasks`, {})).body;
  return { ...context, ws, worker, task };
}

describe('SID filters on reads', () => {
  // [list path below the workspace, parameter, malformed value, the prefixes the message names]
  const cases: [string, string, string, string][] = [
    ['/Tasks', 'WorkflowSid', 'AEwb', 'WW SID'],
    ['/Tasks', 'TaskQueueSid', `WQ${hex('0').slice(1)}`, 'WQ SID'],
    ['/Tasks', 'RoutingTarget', `WA${hex('0')}`, 'WK, WQ or WW SID'],
    ['/Workers', 'ActivitySid', `WA${hex('g')}`, 'WA SID'],
    ['/Workers', 'TaskQueueSid', 'queue', 'WQ SID'],
    ['/TaskQueues', 'WorkerSid', `WT${hex('0')}`, 'WK SID'],
    ['/Events', 'ReservationSid', 'WR1', 'WR SID'],
    ['/Events', 'TaskQueueSid', '', 'WQ SID'],
    ['/Events', 'TaskSid', `wt${hex('0')}`, 'WT SID'],
    ['/Events', 'WorkerSid', `WK${hex('0')}0`, 'WK SID'],
    ['/Events', 'WorkflowSid', 'WW', 'WW SID'],
    ['/Events', 'Sid', `WT${hex('0')}`, 'EV SID'],
    ['/Events', 'TaskChannel', `TC${hex('0').slice(4)}`, 'TC SID'],
    ['/Workers/Statistics', 'TaskQueueSid', 'WQx', 'WQ SID'],
    ['/Workers/CumulativeStatistics', 'TaskChannel', `WQ${hex('0')}`, 'TC SID'],
  ];

  test.each(cases)(
    'GET %s?%s=%j is refused with 400/20001 naming the parameter',
    async (path, name, value, kind) => {
      const { api, ws } = await fixture();
      const answer = await api.get(`${ws.path}${path}`, { [name]: value });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 20001, status: 400, details: { parameter: name } });
      expect(answer.body.message).toContain(`Invalid parameter ${name}: must be a ${kind}`);
    },
  );

  test('reservation lists below a task and a worker check their WorkerSid filter too', async () => {
    const { api, ws, worker, task } = await fixture();
    const below = await api.get(`${ws.path}/Tasks/${task.sid}/Reservations`, { WorkerSid: 'AEwb' });
    expect(below.body.details.parameter).toBe('WorkerSid');
    const fine = await api.get(`${ws.path}/Tasks/${task.sid}/Reservations`, { WorkerSid: worker.sid });
    expect(fine.status).toBe(200);
  });

  test('every value of a repeated filter is checked', async () => {
    const { api, ws, worker } = await fixture();
    const answer = await api.get(`${ws.path}/Events`, { WorkerSid: [worker.sid, 'WK1'] });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("got 'WK1'");
  });

  test('well-formed SIDs of nothing filter to an empty list; unique names still name channels', async () => {
    const { api, ws, task } = await fixture();
    const none = await api.get(`${ws.path}/Tasks`, { WorkflowSid: `WW${hex('a')}` });
    expect(none.status).toBe(200);
    expect(none.body.tasks).toEqual([]);
    const routed = await api.get(`${ws.path}/Tasks`, { WorkflowSid: task.workflow_sid });
    expect(routed.body.tasks.map((item: { sid: string }) => item.sid)).toEqual([task.sid]);
    expect((await api.get(`${ws.path}/Events`, { TaskChannel: 'default' })).status).toBe(200);
    const channelName = await api.get(`${ws.path}/Events`, { TaskChannel: 'TCabc' });
    expect(channelName.body.message).toContain("no task channel 'TCabc'");
    const sidOfNothing = await api.get(`${ws.path}/Events`, { TaskChannel: `TC${hex('0')}` });
    expect(sidOfNothing.body.message).toContain(`no task channel 'TC${hex('0')}'`);
  });

  test('Sid filters events only on the events list; elsewhere it is not a filter', async () => {
    const { api, ws } = await fixture();
    const [event] = (await api.get(`${ws.path}/Events`)).body.events;
    const bySid = await api.get(`${ws.path}/Events`, { Sid: event.sid });
    expect(bySid.body.events.map((item: { sid: string }) => item.sid)).toEqual([event.sid]);
    expect((await api.get(`${ws.path}/Workers`, { Sid: 'anything', constructor: 'x' })).status).toBe(200);
  });

  test('every query parameter the spec gives a SID pattern is checked on its own read only', async () => {
    const { api, ws, worker, task } = await fixture();
    const pathValues: Record<string, string> = {
      WorkspaceSid: ws.sid,
      WorkerSid: worker.sid,
      TaskSid: task.sid,
      TaskQueueSid: task.task_queue_sid,
      WorkflowSid: task.workflow_sid,
    };
    let checked = 0;
    for (const [id, { method, path }] of Object.entries(operationTable)) {
      if (method !== 'GET' || path.endsWith('{Sid}')) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => pathValues[name] ?? '');
      const { query = {} }: OperationSidParameters = sidParameters[id as OperationId];
      for (const [name, prefix] of Object.entries(query)) {
        const answer = await api.get(url, { [name]: `${prefix === 'WK' ? 'WQ' : 'WK'}${hex('0')}` });
        expect(answer.status, `${id} ${name}`).toBe(400);
        expect(answer.body.message).toContain(`Invalid parameter ${name}: must be a ${prefix} SID`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(11);
    // A SID-named parameter an operation does not take is no filter there.
    expect((await api.get(`${ws.path}/Tasks`, { ActivitySid: 'anything' })).status).toBe(200);
  });

  test('request bodies are not list filters: a bad WorkflowSid on create keeps its own message', async () => {
    const { api, ws } = await fixture();
    const answer = await api.post(`${ws.path}/Tasks`, { WorkflowSid: 'AEwb' });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      "Invalid parameter WorkflowSid: must be a WW SID (WW followed by 32 hex digits), got 'AEwb'",
    );
  });
});
