import { createTaskRouterClient } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

describe('activities', () => {
  test('create with lenient Available, rename, filter, and Available stays fixed', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const lunch = await api.post(`${ws.path}/Activities`, { FriendlyName: 'Lunch', Available: 'yes' });
    expect(lunch.status).toBe(201);
    expect(lunch.body.available).toBe(true);
    const renamed = await api.post(`${ws.path}/Activities/${lunch.body.sid}`, {
      FriendlyName: 'Break',
      Available: 'false',
    });
    expect(renamed.body).toMatchObject({ friendly_name: 'Break', available: true });
    const available = await api.get(`${ws.path}/Activities`, { Available: 'true' });
    expect(available.body.activities.map((a: { friendly_name: string }) => a.friendly_name)).toEqual([
      'Available',
      'Break',
    ]);
    const byName = await api.get(`${ws.path}/Activities`, { FriendlyName: 'Offline' });
    expect(byName.body.activities).toHaveLength(1);
  });

  test('an activity in use cannot be deleted; an unused one can', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const inUse = await api.delete(`${ws.path}/Activities/${ws.body.default_activity_sid}`);
    expect(inUse.status).toBe(400);
    expect(inUse.body.message).toContain('default activity');
    const spare = await api.post(`${ws.path}/Activities`, { FriendlyName: 'Spare' });
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Ann', ActivitySid: spare.body.sid });
    expect((await api.delete(`${ws.path}/Activities/${spare.body.sid}`)).body.message).toContain(
      worker.body.sid,
    );
    await api.delete(`${ws.path}/Workers/${worker.body.sid}`);
    expect((await api.delete(`${ws.path}/Activities/${spare.body.sid}`)).status).toBe(204);
    expect((await api.get(`${ws.path}/Activities/${spare.body.sid}`)).status).toBe(404);
  });

  test('at most 100 activities per workspace', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    for (let index = 3; index < 100; index++) {
      expect((await api.post(`${ws.path}/Activities`, { FriendlyName: `A${index}` })).status).toBe(201);
    }
    const over = await api.post(`${ws.path}/Activities`, { FriendlyName: 'one too many' });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain('at most 100 activities');
  });
});

describe('task queues', () => {
  test('defaults, update and events for a changed expression', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const created = await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'Sales' });
    expect(created.body).toMatchObject({
      target_workers: '1==1',
      max_reserved_workers: 1,
      task_order: 'FIFO',
      reservation_activity_sid: null,
      assignment_activity_name: null,
    });
    expect(created.body.links.list_statistics).toBe(
      `https://taskrouter.twilio.com${ws.path}/TaskQueues/Statistics`,
    );
    const busy = await api.post(`${ws.path}/Activities`, { FriendlyName: 'Busy' });
    const updated = await api.post(`${ws.path}/TaskQueues/${created.body.sid}`, {
      TargetWorkers: 'languages HAS "fr"',
      MaxReservedWorkers: 5,
      TaskOrder: 'LIFO',
      AssignmentActivitySid: busy.body.sid,
    });
    expect(updated.body).toMatchObject({
      target_workers: 'languages HAS "fr"',
      max_reserved_workers: 5,
      task_order: 'LIFO',
      assignment_activity_name: 'Busy',
    });
    const events = await api.get(`${ws.path}/Events`, { EventType: 'task-queue.expression.updated' });
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0].resource_sid).toBe(created.body.sid);
  });

  test.each([
    [{ FriendlyName: 'Q', TargetWorkers: 'skill-level > 3' }, 'TargetWorkers', 'not a valid expression'],
    [{ FriendlyName: 'Q', MaxReservedWorkers: '51' }, 'MaxReservedWorkers', 'between 1 and 50'],
    [{ FriendlyName: 'Q', MaxReservedWorkers: 'two' }, 'MaxReservedWorkers', 'must be an integer'],
    [{ FriendlyName: 'Q', TaskOrder: 'RANDOM' }, 'TaskOrder', 'FIFO, LIFO'],
    [
      { FriendlyName: 'Q', ReservationActivitySid: 'WA00000000000000000000000000000000' },
      'ReservationActivitySid',
      'does not exist',
    ],
    [{ FriendlyName: 'Q', AssignmentActivitySid: 'nope' }, 'AssignmentActivitySid', 'must be a WA SID'],
  ])('create with %o is refused on %s', async (body, parameter, message) => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const answer = await api.post(`${ws.path}/TaskQueues`, body as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(answer.body.details.parameter).toBe(parameter);
    expect(answer.body.message).toContain(message);
    expect((await api.get(`${ws.path}/TaskQueues`)).body.task_queues).toEqual([]);
  });

  test('list filters by EvaluateWorkerAttributes, WorkerSid and FriendlyName, and orders', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const french = await api.post(`${ws.path}/TaskQueues`, {
      FriendlyName: 'French',
      TargetWorkers: 'languages HAS "fr"',
    });
    await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'English', TargetWorkers: 'languages HAS "en"' });
    await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'Everyone' });
    const names = (answer: { body: { task_queues: { friendly_name: string }[] } }) =>
      answer.body.task_queues.map((queue) => queue.friendly_name);
    expect(
      names(await api.get(`${ws.path}/TaskQueues`, { EvaluateWorkerAttributes: '{"languages":["fr"]}' })),
    ).toEqual(['French', 'Everyone']);
    const worker = await api.post(`${ws.path}/Workers`, {
      FriendlyName: 'Eve',
      Attributes: '{"languages":["en"]}',
    });
    expect(names(await api.get(`${ws.path}/TaskQueues`, { WorkerSid: worker.body.sid }))).toEqual([
      'English',
      'Everyone',
    ]);
    expect(names(await api.get(`${ws.path}/TaskQueues`, { FriendlyName: 'French' }))).toEqual(['French']);
    expect(names(await api.get(`${ws.path}/TaskQueues`, { Ordering: 'FriendlyName:desc' }))).toEqual([
      'French',
      'Everyone',
      'English',
    ]);
    for (const field of ['Size', 'constructor', 'toString']) {
      const refused = await api.get(`${ws.path}/TaskQueues`, { Ordering: `${field}:asc` });
      expect(refused.status).toBe(400);
      expect(refused.body.details.parameter).toBe('Ordering');
    }
    expect((await api.get(`${ws.path}/TaskQueues`, { EvaluateWorkerAttributes: '[1]' })).status).toBe(400);
    expect(french.status).toBe(201);
  });

  test('a queue a workflow routes to, or with active tasks, cannot be deleted', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const [queue] = (await api.get(`${ws.path}/TaskQueues`)).body.task_queues;
    const routed = await api.delete(`${ws.path}/TaskQueues/${queue.sid}`);
    expect(routed.status).toBe(400);
    expect(routed.body.message).toContain('routes tasks to it');
    const direct = await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'Direct' });
    const task = await api.post(`${ws.path}/Tasks`, { TaskQueueSid: direct.body.sid });
    expect((await api.delete(`${ws.path}/TaskQueues/${direct.body.sid}`)).body.message).toContain(
      task.body.sid,
    );
    await api.post(`${ws.path}/Tasks/${task.body.sid}`, { AssignmentStatus: 'canceled' });
    expect((await api.delete(`${ws.path}/TaskQueues/${direct.body.sid}`)).status).toBe(204);
  });
});

describe('workflows', () => {
  const configuration = (queueSid: string) =>
    JSON.stringify({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'VIP',
            expression: 'tier == "gold"',
            targets: [{ queue: queueSid, priority: 10, timeout: 30 }, { expression: 'worker.level > 2' }],
          },
        ],
        default_filter: { queue: queueSid },
      },
    });

  test('create through the core client with an object configuration, then update', async () => {
    const { emulator, api } = setup();
    const ws = await workspaceWith(api);
    const queue = await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'Gold' });
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const { data: workflow } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
      params: { path: { WorkspaceSid: ws.sid } },
      body: {
        FriendlyName: 'Main',
        Configuration: JSON.parse(configuration(queue.body.sid)),
        AssignmentCallbackUrl: 'https://example.com/assign',
      },
    });
    expect(workflow).toMatchObject({
      friendly_name: 'Main',
      task_reservation_timeout: 120,
      document_content_type: 'application/json',
      assignment_callback_url: 'https://example.com/assign',
      fallback_assignment_callback_url: null,
    });
    expect(JSON.parse(workflow.configuration!).task_routing.filters[0].filter_friendly_name).toBe('VIP');
    const { data: updated } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows/{Sid}', {
      params: { path: { WorkspaceSid: ws.sid, Sid: workflow.sid! } },
      body: { TaskReservationTimeout: 300, AssignmentCallbackUrl: '' },
    });
    expect(updated.task_reservation_timeout).toBe(300);
    expect(updated.assignment_callback_url).toBeNull();
  });

  test.each([
    ['not json', 'is not valid JSON'],
    ['{"task_routing":{"filters":[{"expression":"1==1","targets":[]}]}}', 'targets'],
    ['{"task_routing":{"filters":[{"expression":"a-b == 1","targets":[{"queue":"QUEUE"}]}]}}', 'expression'],
    [
      '{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"QUEUE","expression":"level > 2"}]}]}}',
      'task. or worker.',
    ],
    [
      '{"task_routing":{"filters":[{"expression":"1==1","targets":[{"queue":"QUEUE","timeout":-5}]}]}}',
      'timeout',
    ],
    [
      '{"task_routing":{"default_filter":{"queue":"WQ00000000000000000000000000000000"}}}',
      'does not exist in this workspace',
    ],
  ])('configuration %s is refused', async (text, message) => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const queue = await api.post(`${ws.path}/TaskQueues`, { FriendlyName: 'Q' });
    const answer = await api.post(`${ws.path}/Workflows`, {
      FriendlyName: 'Broken',
      Configuration: text.replaceAll('QUEUE', queue.body.sid),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.details.parameter).toBe('Configuration');
    expect(answer.body.message).toContain(message);
    expect((await api.get(`${ws.path}/Workflows`)).body.workflows).toEqual([]);
  });

  test('timeout range, required fields and delete with active tasks', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const [workflow] = (await api.get(`${ws.path}/Workflows`)).body.workflows;
    expect((await api.post(`${ws.path}/Workflows`, { FriendlyName: 'x' })).body.message).toContain(
      'Configuration',
    );
    const tooLong = await api.post(`${ws.path}/Workflows/${workflow.sid}`, {
      TaskReservationTimeout: 86_401,
    });
    expect(tooLong.body.message).toContain('between 1 and 86400');
    const task = await api.post(`${ws.path}/Tasks`, {});
    const refused = await api.delete(`${ws.path}/Workflows/${workflow.sid}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(task.body.sid);
    await api.post(`${ws.path}/Tasks/${task.body.sid}`, { AssignmentStatus: 'canceled' });
    expect((await api.delete(`${ws.path}/Workflows/${workflow.sid}`)).status).toBe(204);
  });
});
