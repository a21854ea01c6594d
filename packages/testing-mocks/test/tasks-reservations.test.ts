import { createTaskRouterClient, paginate } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

async function fifo() {
  const context = setup();
  const ws = await workspaceWith(context.api, 'FIFO');
  const [queue] = (await context.api.get(`${ws.path}/TaskQueues`)).body.task_queues;
  const [workflow] = (await context.api.get(`${ws.path}/Workflows`)).body.workflows;
  return { ...context, ws, queue, workflow };
}

describe('task creation', () => {
  test('through the core client: defaults, the only workflow, object attributes', async () => {
    const { emulator, ws, workflow } = await fifo();
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const { data: task, response } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: ws.sid } },
      body: { Attributes: { type: 'support', language: 'fr' }, Priority: 5 },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('0');
    expect(task).toMatchObject({
      assignment_status: 'pending',
      priority: 5,
      timeout: 86_400,
      age: 0,
      workflow_sid: workflow.sid,
      workflow_friendly_name: 'Default Fifo Workflow',
      task_channel_unique_name: 'default',
      virtual_start_time: '2030-01-01T00:00:00Z',
      reason: null,
      ignore_capacity: false,
    });
    expect(JSON.parse(task.attributes!)).toEqual({ type: 'support', language: 'fr' });
    emulator.clock.advance(42_000);
    const { data: later } = await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid: ws.sid, Sid: task.sid! } },
    });
    expect(later.age).toBe(42);
  });

  test('TaskQueueSid puts the task in the queue at once', async () => {
    const { api, ws, queue } = await fifo();
    const task = await api.post(`${ws.path}/Tasks`, { TaskQueueSid: queue.sid, TaskChannel: 'voice' });
    expect(task.body).toMatchObject({
      task_queue_sid: queue.sid,
      task_queue_friendly_name: 'Sample Queue',
      task_queue_entered_date: '2030-01-01T00:00:00Z',
      task_channel_unique_name: 'voice',
    });
    expect(task.body.links.task_queue).toContain(queue.sid);
  });

  test('a worker routing target ignores capacity by default', async () => {
    const { api, ws } = await fifo();
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, { RoutingTarget: worker.body.sid });
    expect(task.body).toMatchObject({
      routing_target: worker.body.sid,
      ignore_capacity: true,
      workflow_sid: null,
    });
    const queued = await api.post(`${ws.path}/Tasks`, {
      RoutingTarget: worker.body.sid,
      IgnoreCapacity: 'no',
    });
    expect(queued.body.ignore_capacity).toBe(false);
  });

  test.each([
    [{ Priority: '-1' }, 'Priority', 'between 0 and 2147483647'],
    [{ Priority: '1.5' }, 'Priority', 'must be an integer'],
    [{ Timeout: '1209601' }, 'Timeout', 'between 1 and 1209600'],
    [{ Attributes: '{"type":' }, 'Attributes', 'not valid JSON'],
    [{ TaskChannel: 'fax' }, 'TaskChannel', "no task channel 'fax'"],
    [{ WorkflowSid: 'WW00000000000000000000000000000000' }, 'WorkflowSid', 'does not exist'],
    [{ WorkflowSid: 'WF00000000000000000000000000000000' }, 'WorkflowSid', 'must be a WW SID'],
    [{ TaskQueueSid: 'WQ00000000000000000000000000000000' }, 'TaskQueueSid', 'does not exist'],
    [
      { RoutingTarget: 'WK00000000000000000000000000000000' },
      'RoutingTarget',
      'worker, task queue or workflow',
    ],
    [{ IgnoreCapacity: 'true' }, 'IgnoreCapacity', 'only allowed with a worker'],
    [{ VirtualStartTime: '2031-01-01T00:00:00Z' }, 'VirtualStartTime', 'must not be in the future'],
    [{ VirtualStartTime: '1899-12-31T00:00:00Z' }, 'VirtualStartTime', 'before 1900'],
    [{ VirtualStartTime: '2029-02-30T00:00:00Z' }, 'VirtualStartTime', 'ISO-8601'],
  ])('create with %o is refused on %s', async (body, parameter, message) => {
    const { api, ws } = await fifo();
    const answer = await api.post(`${ws.path}/Tasks`, body as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 20001, details: { parameter } });
    expect(answer.body.message).toContain(message);
    expect((await api.get(`${ws.path}/Tasks`)).body.tasks).toEqual([]);
  });

  test('WorkflowSid is required when the workspace has no workflow or several', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const none = await api.post(`${ws.path}/Tasks`, {});
    expect(none.body.message).toContain('has 0 workflows');
  });
});

describe('task updates and lifecycle', () => {
  test('cancel a pending task with a reason', async () => {
    const { api, ws } = await fifo();
    const task = await api.post(`${ws.path}/Tasks`, {});
    const canceled = await api.post(`${ws.path}/Tasks/${task.body.sid}`, {
      AssignmentStatus: 'canceled',
      Reason: 'duplicate',
    });
    expect(canceled.body).toMatchObject({ assignment_status: 'canceled', reason: 'duplicate' });
    const again = await api.post(`${ws.path}/Tasks/${task.body.sid}`, { AssignmentStatus: 'canceled' });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('is canceled; only pending or reserved tasks can become canceled');
  });

  test.each(['wrapping', 'completed'])('a pending task cannot become %s', async (status) => {
    const { api, ws } = await fifo();
    const task = await api.post(`${ws.path}/Tasks`, {});
    const answer = await api.post(`${ws.path}/Tasks/${task.body.sid}`, { AssignmentStatus: status });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(`task ${task.body.sid} is pending`);
    expect((await api.get(`${ws.path}/Tasks/${task.body.sid}`)).body.assignment_status).toBe('pending');
  });

  test.each(['pending', 'reserved', 'assigned'])(
    'AssignmentStatus=%s is never accepted from a client',
    async (status) => {
      const { api, ws } = await fifo();
      const task = await api.post(`${ws.path}/Tasks`, {});
      const answer = await api.post(`${ws.path}/Tasks/${task.body.sid}`, { AssignmentStatus: status });
      expect(answer.body.message).toContain('can only be set to canceled, wrapping or completed');
    },
  );

  test('full lifecycle: reserve, accept, wrap up, complete; capacity follows; versions climb', async () => {
    const { api, emulator, ws } = await fifo();
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, { Attributes: '{"n":1}' });
    const taskPath = `${ws.path}/Tasks/${task.body.sid}`;
    const reservation = emulator.seed.reservation(ws.sid, {
      taskSid: task.body.sid,
      workerSid: worker.body.sid,
    });
    expect(reservation.reservation_status).toBe('pending');
    expect((await api.get(taskPath)).body.assignment_status).toBe('reserved');
    const channel = () => api.get(`${ws.path}/Workers/${worker.body.sid}/Channels/default`);
    expect((await channel()).body).toMatchObject({ assigned_tasks: 0, available_capacity_percentage: 0 });

    const accepted = await api.post(`${ws.path}/Workers/${worker.body.sid}/Reservations/${reservation.sid}`, {
      ReservationStatus: 'accepted',
    });
    expect(accepted.body.reservation_status).toBe('accepted');
    expect(accepted.body.url).toContain(`/Workers/${worker.body.sid}/Reservations/`);
    expect((await api.get(taskPath)).body.assignment_status).toBe('assigned');
    expect((await channel()).body).toMatchObject({ assigned_tasks: 1, available_capacity_percentage: 0 });

    const both = await api.post(taskPath, { AssignmentStatus: 'wrapping', Attributes: '{"n":2}' });
    expect(both.body.message).toContain('two separate requests');
    const canceled = await api.post(taskPath, { AssignmentStatus: 'canceled' });
    expect(canceled.body.message).toContain('is assigned');

    const wrapping = await api.post(taskPath, { AssignmentStatus: 'wrapping' });
    expect(wrapping.body.assignment_status).toBe('wrapping');
    const res = `${ws.path}/Tasks/${task.body.sid}/Reservations/${reservation.sid}`;
    expect((await api.get(res)).body.reservation_status).toBe('wrapping');
    const completed = await api.post(taskPath, { AssignmentStatus: 'completed', Reason: 'resolved' });
    expect(completed.body).toMatchObject({ assignment_status: 'completed', reason: 'resolved' });
    expect(Number(completed.headers.get('etag'))).toBeGreaterThan(Number(task.headers.get('etag')));
    expect((await api.get(res)).body.reservation_status).toBe('completed');
    expect((await channel()).body).toMatchObject({ assigned_tasks: 0, available_capacity_percentage: 100 });

    const types = (await api.get(`${ws.path}/Events`, { TaskSid: task.body.sid })).body.events.map(
      (event: { event_type: string }) => event.event_type,
    );
    expect(types).toEqual([
      'workflow.entered',
      'task-queue.entered',
      'task.created',
      'workflow.target-matched',
      'reservation.created',
      'reservation.accepted',
      'task.wrapup',
      'reservation.wrapup',
      'task.completed',
      'reservation.completed',
    ]);
  });

  test('If-Match on task update and delete', async () => {
    const { api, ws } = await fifo();
    const task = await api.post(`${ws.path}/Tasks`, {});
    const path = `${ws.path}/Tasks/${task.body.sid}`;
    expect((await api.post(path, { Priority: 3 }, { 'If-Match': '7' })).status).toBe(412);
    expect((await api.get(path)).body.priority).toBe(0);
    const updated = await api.post(path, { Priority: 3 }, { 'If-Match': '0' });
    expect(updated.headers.get('etag')).toBe('1');
    expect((await api.delete(path, { 'If-Match': '0' })).status).toBe(412);
    expect((await api.delete(path, { 'If-Match': '1' })).status).toBe(204);
    expect((await api.get(path)).status).toBe(404);
  });

  test('only a pending task may change channel', async () => {
    const { api, emulator, ws } = await fifo();
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, {});
    const path = `${ws.path}/Tasks/${task.body.sid}`;
    expect((await api.post(path, { TaskChannel: 'chat' })).body.task_channel_unique_name).toBe('chat');
    emulator.seed.reservation(ws.sid, { taskSid: task.body.sid, workerSid: worker.body.sid });
    const refused = await api.post(path, { TaskChannel: 'sms' });
    expect(refused.body.message).toContain('can only change while the task is pending');
  });

  test('deleting a reserved task cancels its reservation and frees the capacity', async () => {
    const { api, emulator, ws } = await fifo();
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, {});
    emulator.seed.reservation(ws.sid, { taskSid: task.body.sid, workerSid: worker.body.sid });
    expect((await api.delete(`${ws.path}/Tasks/${task.body.sid}`)).status).toBe(204);
    const channel = await api.get(`${ws.path}/Workers/${worker.body.sid}/Channels/default`);
    expect(channel.body.available_capacity_percentage).toBe(100);
    expect((await api.get(`${ws.path}/Workers/${worker.body.sid}/Reservations`)).body.reservations).toEqual(
      [],
    );
    const types = (await api.get(`${ws.path}/Events`, { TaskSid: task.body.sid })).body.events.map(
      (event: { event_type: string }) => event.event_type,
    );
    expect(types.slice(-2)).toEqual(['reservation.canceled', 'task.deleted']);
  });
});

describe('task lists', () => {
  test('filters, ordering and paging with the core paginator', async () => {
    const { api, emulator, ws, queue, workflow } = await fifo();
    for (let index = 0; index < 7; index++) {
      emulator.clock.advance(1000);
      await api.post(`${ws.path}/Tasks`, {
        Priority: index % 3,
        Attributes: JSON.stringify({ index, vip: index % 2 === 0 }),
        ...(index === 6 ? { TaskQueueSid: queue.sid } : {}),
      });
    }
    const indexes = async (query: Record<string, string | string[]>) =>
      (await api.get(`${ws.path}/Tasks`, query)).body.tasks.map(
        (task: { attributes: string }) => JSON.parse(task.attributes).index,
      );
    expect(await indexes({ Priority: '2' })).toEqual([2, 5]);
    expect(await indexes({ EvaluateTaskAttributes: 'vip == true AND index > 2' })).toEqual([4, 6]);
    // The FIFO workflow sends every task to the one queue too.
    expect(await indexes({ TaskQueueSid: queue.sid })).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await indexes({ TaskQueueName: 'Sample Queue' })).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // A task sent straight to a queue has no workflow.
    expect(await indexes({ WorkflowName: workflow.friendly_name })).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await indexes({ Ordering: 'Priority:desc,DateCreated:asc' })).toEqual([2, 5, 1, 4, 0, 3, 6]);
    expect(await indexes({ Ordering: 'DateCreated:desc' })).toEqual([6, 5, 4, 3, 2, 1, 0]);
    const first = (await api.get(`${ws.path}/Tasks`)).body.tasks[0].sid;
    await api.post(`${ws.path}/Tasks/${first}`, { AssignmentStatus: 'canceled' });
    expect(await indexes({ AssignmentStatus: ['canceled'] })).toEqual([0]);
    expect(await indexes({ AssignmentStatus: 'pending,canceled' })).toHaveLength(7);
    const combined = await api.get(`${ws.path}/Tasks`, { Ordering: 'DateCreated:asc,VirtualStartTime:asc' });
    expect(combined.body.message).toContain('cannot be combined');
    expect((await api.get(`${ws.path}/Tasks`, { AssignmentStatus: 'done' })).body.details.parameter).toBe(
      'AssignmentStatus',
    );

    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const paged: number[] = [];
    for await (const task of paginate(
      client,
      '/v1/Workspaces/{WorkspaceSid}/Tasks',
      { params: { path: { WorkspaceSid: ws.sid }, query: { Ordering: 'Priority:asc' } } },
      { pageSize: 2 },
    )) {
      paged.push(JSON.parse(task.attributes!).index);
    }
    expect(paged).toEqual([0, 3, 6, 1, 4, 2, 5]);
  });
});

describe('reservations', () => {
  async function reserved() {
    const context = await fifo();
    const { api, emulator, ws } = context;
    const worker = await api.post(`${ws.path}/Workers`, {
      FriendlyName: 'Alice',
      Attributes: '{"contact_uri":"client:alice"}',
    });
    const other = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Bob' });
    const task = await api.post(`${ws.path}/Tasks`, { Attributes: `{"call_sid":"CA${'1'.repeat(32)}"}` });
    const first = emulator.seed.reservation(ws.sid, { taskSid: task.body.sid, workerSid: worker.body.sid });
    const second = emulator.seed.reservation(ws.sid, { taskSid: task.body.sid, workerSid: other.body.sid });
    return { ...context, worker: worker.body, other: other.body, task: task.body, first, second };
  }

  test('accepting one rescinds the others; a rescinded one cannot be accepted', async () => {
    const { api, ws, task, first, second, worker } = await reserved();
    const base = `${ws.path}/Tasks/${task.sid}/Reservations`;
    expect((await api.post(`${base}/${first.sid}`, { ReservationStatus: 'accepted' })).body.worker_name).toBe(
      worker.friendly_name,
    );
    expect((await api.get(`${base}/${second.sid}`)).body.reservation_status).toBe('rescinded');
    const late = await api.post(`${base}/${second.sid}`, { ReservationStatus: 'accepted' });
    expect(late.status).toBe(410);
    expect(late.body.message).toContain('was rescinded');
    const list = await api.get(base, { ReservationStatus: 'accepted' });
    expect(list.body.reservations.map((r: { sid: string }) => r.sid)).toEqual([first.sid]);
    expect((await api.get(base, { WorkerSid: worker.sid })).body.reservations).toHaveLength(1);
  });

  test('rejecting every reservation puts the task back to pending and can move the worker', async () => {
    const { api, ws, task, first, second, worker } = await reserved();
    const base = `${ws.path}/Tasks/${task.sid}/Reservations`;
    const unavailable = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Unavailable' })).body
      .activities[0];
    await api.post(`${base}/${first.sid}`, {
      ReservationStatus: 'rejected',
      WorkerActivitySid: unavailable.sid,
    });
    expect((await api.get(`${ws.path}/Tasks/${task.sid}`)).body.assignment_status).toBe('reserved');
    await api.post(`${base}/${second.sid}`, { ReservationStatus: 'rejected' });
    expect((await api.get(`${ws.path}/Tasks/${task.sid}`)).body.assignment_status).toBe('pending');
    expect((await api.get(`${ws.path}/Workers/${worker.sid}`)).body.activity_name).toBe('Unavailable');
  });

  test('instructions: conference accepts and is recorded; call needs its fields; supervise needs a reservation past pending', async () => {
    const { api, emulator, ws, task, first, second } = await reserved();
    const base = `${ws.path}/Tasks/${task.sid}/Reservations`;
    const supervise = await api.post(`${base}/${first.sid}`, {
      Instruction: 'supervise',
      Supervisor: 'client:sup',
    });
    expect(supervise.body.code).toBe(40146);
    const call = await api.post(`${base}/${first.sid}`, { Instruction: 'call', CallFrom: '+15550100' });
    expect(call.body.details.parameter).toBe('CallUrl');
    const redirect = await api.post(`${base}/${first.sid}`, {
      Instruction: 'redirect',
      RedirectCallSid: 'CA1',
      RedirectUrl: 'https://example.com',
    });
    expect(redirect.body.details.parameter).toBe('RedirectCallSid');
    const badEvent = await api.post(`${base}/${first.sid}`, {
      Instruction: 'conference',
      ConferenceStatusCallbackEvent: ['start', 'explode'],
    });
    expect(badEvent.body.details.parameter).toBe('ConferenceStatusCallbackEvent');
    const both = await api.post(`${base}/${first.sid}`, {
      Instruction: 'conference',
      ReservationStatus: 'accepted',
    });
    expect(both.body.message).toContain('either ReservationStatus or Instruction');
    expect((await api.get(`${base}/${first.sid}`)).body.reservation_status).toBe('pending');

    const conference = await api.post(`${base}/${first.sid}`, {
      Instruction: 'conference',
      From: '+15550100',
      Timeout: 30,
    });
    expect(conference.body.reservation_status).toBe('accepted');
    expect(emulator.inspect.instructions(ws.sid, first.sid)).toEqual([
      expect.objectContaining({
        instruction: 'conference',
        parameters: { Instruction: 'conference', From: '+15550100', Timeout: '30' },
      }),
    ]);
    expect((await api.get(`${base}/${second.sid}`)).body.reservation_status).toBe('rescinded');
    const supervised = await api.post(`${base}/${first.sid}`, {
      Instruction: 'supervise',
      Supervisor: 'client:sup',
      SupervisorMode: 'monitor',
    });
    expect(supervised.status).toBe(200);
  });

  test.each(['teleport', 'accept', 'reject', 'Conference', ''])(
    'Instruction=%j is not an instruction: 400/55555, and nothing changes',
    async (instruction) => {
      const { api, ws, task, first } = await reserved();
      const path = `${ws.path}/Tasks/${task.sid}/Reservations/${first.sid}`;
      const answer = await api.post(path, { Instruction: instruction });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 55555, status: 400, details: { parameter: 'Instruction' } });
      expect(answer.body.message).toBe(
        `Invalid instruction '${instruction}': Instruction must be one of conference, dequeue, call, redirect, supervise (to accept or reject, set ReservationStatus)`,
      );
      const after = await api.get(path);
      expect(after.body.reservation_status).toBe('pending');
      expect(after.headers.get('etag')).toBe('0');
    },
  );

  test('dequeue notes the worker call on the task as worker_call_sid and accepts', async () => {
    const { api, emulator, ws, task, first } = await reserved();
    const before = await api.get(`${ws.path}/Tasks/${task.sid}`);
    const answer = await api.post(`${ws.path}/Workers/${first.worker_sid}/Reservations/${first.sid}`, {
      Instruction: 'dequeue',
      DequeueFrom: '+15550100',
    });
    expect(answer.body.reservation_status).toBe('accepted');
    const after = await api.get(`${ws.path}/Tasks/${task.sid}`);
    const { worker_call_sid: callSid, ...rest } = JSON.parse(after.body.attributes);
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(rest).toEqual(JSON.parse(before.body.attributes));
    expect(after.body.assignment_status).toBe('assigned');
    expect(Number(after.headers.get('etag'))).toBeGreaterThan(Number(before.headers.get('etag')));
    const updates = emulator.inspect
      .events(ws.sid)
      .filter((event) => event.event_type === 'task.updated' && event.resource_sid === task.sid);
    expect(updates).toHaveLength(1);
  });

  test('call notes the worker call too, and leaves the reservation pending without CallAccept', async () => {
    const { api, ws, task, first } = await reserved();
    const answer = await api.post(`${ws.path}/Tasks/${task.sid}/Reservations/${first.sid}`, {
      Instruction: 'call',
      CallFrom: '+15550100',
      CallTo: 'client:alice',
      CallUrl: 'https://example.com/twiml',
    });
    expect(answer.body.reservation_status).toBe('pending');
    const after = await api.get(`${ws.path}/Tasks/${task.sid}`);
    expect(JSON.parse(after.body.attributes).worker_call_sid).toMatch(/^CA[0-9a-f]{32}$/);
  });

  test.each(['timeout', 'canceled', 'rescinded', 'pending'])(
    'ReservationStatus=%s cannot be requested',
    async (status) => {
      const { api, ws, task, first } = await reserved();
      const answer = await api.post(`${ws.path}/Tasks/${task.sid}/Reservations/${first.sid}`, {
        ReservationStatus: status,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('set by TaskRouter itself');
    },
  );

  test('a reservation is not reachable through another task or worker; If-Match applies', async () => {
    const { api, ws, task, first, other } = await reserved();
    expect((await api.get(`${ws.path}/Workers/${other.sid}/Reservations/${first.sid}`)).status).toBe(404);
    const path = `${ws.path}/Tasks/${task.sid}/Reservations/${first.sid}`;
    const fetched = await api.get(path);
    expect(fetched.headers.get('etag')).toBe('0');
    expect((await api.post(path, { ReservationStatus: 'accepted' }, { 'If-Match': '5' })).status).toBe(412);
    expect((await api.post(path, { ReservationStatus: 'accepted' }, { 'If-Match': '0' })).status).toBe(200);
  });

  test('seeding a reservation validates its input', async () => {
    const { emulator, ws, task, worker } = await reserved();
    expect(() => emulator.seed.reservation(ws.sid, { taskSid: task.sid, workerSid: worker.sid })).toThrow(
      /already holds a pending reservation/,
    );
    expect(() => emulator.seed.reservation(ws.sid, { taskSid: 'WT1', workerSid: worker.sid })).toThrow(
      /does not exist/,
    );
  });
});
