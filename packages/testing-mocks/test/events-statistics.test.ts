import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

async function busyWorkspace() {
  const context = setup();
  const { api, emulator } = context;
  const ws = await workspaceWith(api, 'FIFO');
  const [queue] = (await api.get(`${ws.path}/TaskQueues`)).body.task_queues;
  const [workflow] = (await api.get(`${ws.path}/Workflows`)).body.workflows;
  const available = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Available' })).body
    .activities[0];
  const alice = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice', ActivitySid: available.sid });
  const bob = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Bob' });
  // Task A: queued and reserved for Alice at once, accepted after 30 s, completed.
  const taskA = await api.post(`${ws.path}/Tasks`, { TaskQueueSid: queue.sid, Priority: 2 });
  emulator.clock.advance(30_000);
  const [reservation] = (await api.get(`${ws.path}/Tasks/${taskA.body.sid}/Reservations`)).body.reservations;
  await api.post(`${ws.path}/Tasks/${taskA.body.sid}/Reservations/${reservation.sid}`, {
    ReservationStatus: 'accepted',
  });
  await api.post(`${ws.path}/Tasks/${taskA.body.sid}`, { AssignmentStatus: 'completed' });
  // Task B: reserved for Alice, canceled after 10 more seconds. Task C: reserved for Alice on
  // the chat channel.
  const taskB = await api.post(`${ws.path}/Tasks`, { Priority: 1 });
  emulator.clock.advance(10_000);
  await api.post(`${ws.path}/Tasks/${taskB.body.sid}`, { AssignmentStatus: 'canceled' });
  const taskC = await api.post(`${ws.path}/Tasks`, { Priority: 1, TaskChannel: 'chat' });
  emulator.clock.advance(5_000);
  return {
    ...context,
    ws,
    queue,
    workflow,
    available,
    alice: alice.body,
    bob: bob.body,
    taskA: taskA.body,
    taskB: taskB.body,
    taskC: taskC.body,
  };
}

describe('events', () => {
  test('list filters and fetch', async () => {
    const { api, ws, alice, taskA, queue } = await busyWorkspace();
    const types = async (query: Record<string, string>) =>
      (await api.get(`${ws.path}/Events`, query)).body.events.map(
        (event: { event_type: string }) => event.event_type,
      );
    expect(await types({ TaskSid: taskA.sid })).toEqual([
      'task-queue.entered',
      'task.created',
      'reservation.created',
      'reservation.accepted',
      'task.completed',
      'reservation.completed',
    ]);
    expect(
      await types({ WorkerSid: alice.sid, EventType: 'reservation.accepted,reservation.completed' }),
    ).toEqual(['reservation.accepted', 'reservation.completed']);
    expect(await types({ TaskQueueSid: queue.sid, EventType: 'task.created' })).toEqual([
      'task.created',
      'task.created',
      'task.created',
    ]);
    expect(await types({ TaskChannel: 'chat' })).toEqual([
      'task-channel.created',
      'workflow.entered',
      'task-queue.entered',
      'task.created',
      'workflow.target-matched',
      'reservation.created',
    ]);
    const [event] = (await api.get(`${ws.path}/Events`, { EventType: 'task.canceled' })).body.events;
    expect(event).toMatchObject({
      resource_type: 'task',
      actor_type: 'workspace',
      actor_sid: ws.sid,
      source: 'API',
      event_date: '2030-01-01T00:00:40Z',
      event_date_ms: Date.parse('2030-01-01T00:00:40Z'),
    });
    expect(event.event_data).toMatchObject({
      task_age: 10,
      task_assignment_status: 'canceled',
      workspace_name: ws.body.friendly_name,
    });
    expect((await api.get(`${ws.path}/Events/${event.sid}`)).body).toEqual(event);
    expect((await api.get(`${ws.path}/Events`, { Sid: event.sid })).body.events).toEqual([event]);
  });

  test('time window: the last 15 minutes by default, Minutes or StartDate/EndDate otherwise', async () => {
    const { api, emulator, ws } = await busyWorkspace();
    const count = async (query: Record<string, string> = {}) =>
      (await api.get(`${ws.path}/Events`, query)).body.events.length;
    const all = await count();
    expect(all).toBeGreaterThan(10);
    emulator.clock.advance(20 * 60_000);
    expect(await count()).toBe(0);
    // Meanwhile task C's reservation timed out (reservation.timeout, and Alice went offline), and
    // the completed and the canceled task were system-deleted five minutes after they finished.
    expect(await count({ Minutes: '30' })).toBe(all + 4);
    // At 40 s: task B's reservation and B canceled, then task C entering and being reserved.
    expect(await count({ StartDate: '2030-01-01T00:00:40Z', EndDate: '2030-01-01T00:00:40Z' })).toBe(7);
    const both = await api.get(`${ws.path}/Events`, { Minutes: '5', StartDate: '2030-01-01T00:00:00Z' });
    expect(both.body.message).toContain('cannot be combined');
    expect((await api.get(`${ws.path}/Events`, { Minutes: '43201' })).status).toBe(400);
    const reversed = await api.get(`${ws.path}/Events`, { StartDate: '2030-01-02', EndDate: '2030-01-01' });
    expect(reversed.body.details.parameter).toBe('StartDate');
  });
});

describe('statistics', () => {
  test('workspace real-time figures come from the stored tasks and workers', async () => {
    const { api, ws, taskC } = await busyWorkspace();
    const { body } = await api.get(`${ws.path}/RealTimeStatistics`);
    expect(body.total_workers).toBe(2);
    expect(body.total_tasks).toBe(3);
    expect(body.tasks_by_status).toEqual({
      pending: 0,
      reserved: 1,
      assigned: 0,
      wrapping: 0,
      completed: 1,
      canceled: 1,
    });
    expect(body.tasks_by_priority).toEqual({ 1: 2, 2: 1 });
    expect(body.longest_task_waiting_sid).toBe(taskC.sid);
    expect(body.longest_task_waiting_age).toBe(5);
    expect(
      body.activity_statistics.map((a: { friendly_name: string; workers: number }) => [
        a.friendly_name,
        a.workers,
      ]),
    ).toEqual([
      ['Offline', 1],
      ['Available', 1],
      ['Unavailable', 0],
    ]);
    const chat = await api.get(`${ws.path}/RealTimeStatistics`, { TaskChannel: 'chat' });
    expect(chat.body.total_tasks).toBe(1);
    expect(
      (await api.get(`${ws.path}/RealTimeStatistics`, { TaskChannel: 'fax' })).body.details.parameter,
    ).toBe('TaskChannel');
  });

  test('workspace cumulative figures count what happened in the window', async () => {
    const { api, ws } = await busyWorkspace();
    const { body } = await api.get(`${ws.path}/CumulativeStatistics`, { SplitByWaitTime: '20,60' });
    expect(body).toMatchObject({
      tasks_created: 3,
      tasks_completed: 1,
      tasks_canceled: 1,
      reservations_created: 3,
      reservations_accepted: 1,
      reservations_canceled: 1,
      avg_task_acceptance_time: 30,
      wait_duration_until_accepted: { avg: 30, min: 30, max: 30, total: 30 },
      wait_duration_until_canceled: { avg: 10, min: 10, max: 10, total: 10 },
      start_time: '2029-12-31T23:45:45Z',
      end_time: '2030-01-01T00:00:45Z',
    });
    expect(body.split_by_wait_time).toEqual({
      20: {
        above: { tasks_canceled: 0, reservations_accepted: 1 },
        below: { tasks_canceled: 1, reservations_accepted: 0 },
      },
      60: {
        above: { tasks_canceled: 0, reservations_accepted: 0 },
        below: { tasks_canceled: 1, reservations_accepted: 1 },
      },
    });
    const early = await api.get(`${ws.path}/CumulativeStatistics`, {
      StartDate: '2029-12-31T00:00:00Z',
      EndDate: '2029-12-31T12:00:00Z',
    });
    expect(early.body.tasks_created).toBe(0);
    expect((await api.get(`${ws.path}/CumulativeStatistics`, { SplitByWaitTime: '10,abc' })).status).toBe(
      400,
    );
    const both = await api.get(`${ws.path}/Statistics`);
    expect(both.body.realtime.total_tasks).toBe(3);
    expect(both.body.cumulative.tasks_created).toBe(3);
  });

  test('queue statistics: members, tasks and time in queue', async () => {
    const { api, ws, queue } = await busyWorkspace();
    const realtime = (await api.get(`${ws.path}/TaskQueues/${queue.sid}/RealTimeStatistics`)).body;
    expect(realtime).toMatchObject({
      task_queue_sid: queue.sid,
      total_eligible_workers: 2,
      total_available_workers: 1,
      total_tasks: 3,
    });
    const cumulative = (await api.get(`${ws.path}/TaskQueues/${queue.sid}/CumulativeStatistics`)).body;
    expect(cumulative).toMatchObject({
      tasks_entered: 3,
      tasks_completed: 1,
      reservations_accepted: 1,
      wait_duration_in_queue_until_accepted: { avg: 30, min: 30, max: 30, total: 30 },
    });
    const combined = (await api.get(`${ws.path}/TaskQueues/${queue.sid}/Statistics`)).body;
    expect(combined.realtime.total_eligible_workers).toBe(2);
    expect(combined.cumulative.tasks_entered).toBe(3);
    const list = (await api.get(`${ws.path}/TaskQueues/Statistics`)).body;
    expect(list.meta.key).toBe('task_queues_statistics');
    expect(list.task_queues_statistics[0]).toMatchObject({
      task_queue_sid: queue.sid,
      cumulative: { tasks_entered: 3 },
    });
    expect(
      (await api.get(`${ws.path}/TaskQueues/Statistics`, { FriendlyName: 'none' })).body
        .task_queues_statistics,
    ).toEqual([]);
  });

  test('bulk real-time statistics take a JSON list of queue SIDs', async () => {
    const { emulator, ws, queue } = await busyWorkspace();
    const post = (body: string, contentType = 'application/json') =>
      emulator.fetch(`${emulator.baseUrl}${ws.path}/TaskQueues/RealTimeStatistics`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
          'content-type': contentType,
        },
        body,
      });
    const unknownSid = 'WQ0123456789abcdef0123456789abcdef';
    const answer = await post(JSON.stringify({ QueueSids: [queue.sid, unknownSid] }));
    const body = await answer.json();
    expect(body.task_queue_response_count).toBe(2);
    expect(body.task_queue_data[0]).toMatchObject({ task_queue_sid: queue.sid, total_eligible_workers: 2 });
    expect(body.task_queue_data[1]).toMatchObject({ task_queue_sid: unknownSid, total_tasks: 0 });
    expect((await post(JSON.stringify({ QueueSids: [] }))).status).toBe(400);
    expect((await post(JSON.stringify({ QueueSids: Array(51).fill(queue.sid) }))).status).toBe(400);
    expect((await (await post(JSON.stringify({ QueueSids: ['nope'] }))).json()).message).toContain('"nope"');
    expect((await (await post('{')).json()).message).toContain('not valid JSON');
  });

  test('worker statistics: activity durations and reservation counts', async () => {
    const { api, ws, alice, bob, available } = await busyWorkspace();
    const realtime = (await api.get(`${ws.path}/Workers/RealTimeStatistics`)).body;
    expect(realtime.total_workers).toBe(2);
    const cumulative = (await api.get(`${ws.path}/Workers/CumulativeStatistics`)).body;
    expect(cumulative.reservations_created).toBe(3);
    const availableDurations = cumulative.activity_durations.find(
      (a: { sid: string }) => a.sid === available.sid,
    );
    expect(availableDurations).toMatchObject({ total: 45, max: 45 });
    const mine = (await api.get(`${ws.path}/Workers/${alice.sid}/Statistics`)).body;
    expect(mine).toMatchObject({ worker_sid: alice.sid, cumulative: { reservations_accepted: 1 } });
    const his = (await api.get(`${ws.path}/Workers/${bob.sid}/Statistics`)).body;
    expect(his.cumulative.reservations_accepted).toBe(0);
    const filtered = (await api.get(`${ws.path}/Workers/Statistics`, { FriendlyName: 'Bob' })).body;
    expect(filtered.realtime.total_workers).toBe(1);
    expect(filtered.cumulative.reservations_created).toBe(0);
  });

  test('workflow statistics cover only the workflow tasks', async () => {
    const { api, ws, workflow } = await busyWorkspace();
    const realtime = (await api.get(`${ws.path}/Workflows/${workflow.sid}/RealTimeStatistics`)).body;
    expect(realtime).toMatchObject({ workflow_sid: workflow.sid, total_tasks: 2 });
    const cumulative = (await api.get(`${ws.path}/Workflows/${workflow.sid}/CumulativeStatistics`)).body;
    expect(cumulative).toMatchObject({ tasks_entered: 2, tasks_canceled: 1, tasks_completed: 0 });
    const combined = (await api.get(`${ws.path}/Workflows/${workflow.sid}/Statistics`)).body;
    expect(combined.realtime.total_tasks).toBe(2);
    expect((await api.get(`${ws.path}/Workflows/WW0123456789abcdef0123456789abcdef/Statistics`)).status).toBe(
      404,
    );
  });
});
