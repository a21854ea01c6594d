import { afterEach, describe, expect, test, vi } from 'vitest';
import { checkInvariants, createEmulator } from '../src/index.js';
import { type Scenario, scenario } from './routing-helpers.js';

/** Two queues and a filter that waits `timeout` seconds in the first before moving to the second. */
async function escalation(s: Scenario, timeout = 120) {
  const first = await s.queue({ TargetWorkers: 'tier == 1' });
  const second = await s.queue({ TargetWorkers: 'tier == 2' });
  const workflow = await s.workflow({
    task_routing: {
      filters: [
        {
          filter_friendly_name: 'Support',
          expression: "type == 'support'",
          targets: [
            { queue: first.sid, timeout, priority: 1 },
            { queue: second.sid, priority: 5 },
          ],
        },
      ],
      default_filter: { queue: first.sid },
    },
  });
  return { first, second, workflow };
}

describe('target timeouts', () => {
  test('escalation: after its first target times out the task moves to the second queue', async () => {
    const s = await scenario();
    const { first, second, workflow } = await escalation(s);
    await s.worker('Tier one', { tier: 1 }, { ActivitySid: s.activities.offline });
    const senior = await s.worker('Tier two', { tier: 2 });
    const task = await s.task(workflow.sid, { type: 'support' });
    expect(task).toMatchObject({ task_queue_sid: first.sid, priority: 1, assignment_status: 'pending' });

    s.emulator.clock.advance(119_999);
    expect((await s.fetchTask(task.sid)).task_queue_sid).toBe(first.sid);
    s.emulator.clock.advance(1);
    const moved = await s.fetchTask(task.sid);
    expect(moved).toMatchObject({
      task_queue_sid: second.sid,
      priority: 5,
      assignment_status: 'reserved',
      task_queue_entered_date: '2030-01-01T00:02:00Z',
    });
    expect((await s.reservations(task.sid)).map((r) => r.worker_sid)).toEqual([senior.sid]);
    expect(await s.eventTypes({ TaskSid: task.sid })).toEqual([
      'workflow.entered',
      'task-queue.entered',
      'task.created',
      'workflow.target-matched',
      'task-queue.timeout',
      'task-queue.moved',
      'task-queue.entered',
      'workflow.target-matched',
      'reservation.created',
    ]);
    const stats = (await s.api.get(`${s.path}/CumulativeStatistics`)).body;
    expect(stats).toMatchObject({ tasks_created: 1, tasks_moved: 1, reservations_created: 1 });
    expect(
      (await s.api.get(`${s.path}/TaskQueues/${second.sid}/CumulativeStatistics`)).body.tasks_entered,
    ).toBe(1);
  });

  test('a pending reservation does not hold the task in its step; it is withdrawn on timeout', async () => {
    const s = await scenario();
    const { second, workflow } = await escalation(s, 30);
    const junior = await s.worker('Tier one', { tier: 1 }, { ActivitySid: s.activities.offline });
    const task = await s.task(workflow.sid, { type: 'support' });
    // The worker turns up late in the step; the step still ends at task age 30.
    s.emulator.clock.advance(25_000);
    await s.updateWorker(junior.sid, { ActivitySid: s.activities.available });
    expect((await s.reservations(task.sid)).map((r) => r.reservation_status)).toEqual(['pending']);
    s.emulator.clock.advance(5000);
    expect((await s.fetchTask(task.sid)).task_queue_sid).toBe(second.sid);
    expect((await s.reservations(task.sid)).map((r) => r.reservation_status)).toEqual(['canceled']);
    expect((await s.channel(junior.sid, 'default')).available_capacity_percentage).toBe(100);
  });

  test('target timeouts add up and count from the moment the task entered the filter', async () => {
    const s = await scenario();
    const queues = [await s.queue(), await s.queue(), await s.queue()];
    const fallback = await s.queue();
    const workflow = await s.workflow({
      task_routing: {
        filters: [
          {
            expression: '1==1',
            targets: [
              { queue: queues[0]!.sid, timeout: 10 },
              { queue: queues[1]!.sid, timeout: 10 },
              { queue: queues[2]!.sid, timeout: 10 },
            ],
          },
          { expression: 'late == true', targets: [{ queue: fallback.sid, timeout: 15 }] },
        ],
        default_filter: { queue: fallback.sid },
      },
    });
    const task = await s.task(workflow.sid, { late: true });
    const queueAt = async (ms: number) => {
      s.emulator.clock.advance(ms);
      return (await s.fetchTask(task.sid)).task_queue_sid;
    };
    expect(await queueAt(9_999)).toBe(queues[0]!.sid);
    expect(await queueAt(1)).toBe(queues[1]!.sid);
    expect(await queueAt(10_000)).toBe(queues[2]!.sid);
    expect(await queueAt(10_000)).toBe(fallback.sid);
    // The next matching filter's timeouts count from when the task entered it (age 30).
    s.emulator.clock.advance(14_999);
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('pending');
    s.emulator.clock.advance(1);
    // No filter left: a task that timed out never falls into the default filter.
    expect(await s.fetchTask(task.sid)).toMatchObject({
      assignment_status: 'canceled',
      reason: 'Task canceled on Workflow timeout',
    });
    expect((await s.eventTypes({ TaskSid: task.sid })).slice(-2)).toEqual([
      'workflow.timeout',
      'task.canceled',
    ]);
    const stats = (await s.api.get(`${s.path}/Workflows/${workflow.sid}/CumulativeStatistics`)).body;
    expect(stats).toMatchObject({ tasks_entered: 1, tasks_timed_out_in_workflow: 1, tasks_canceled: 1 });
  });

  test('the default filter takes only tasks that match no filter, and keeps them until their TTL', async () => {
    const s = await scenario();
    const { first, workflow } = await escalation(s);
    const task = await s.task(workflow.sid, { type: 'sales' }, { Timeout: 3600 });
    expect(task.task_queue_sid).toBe(first.sid);
    s.emulator.clock.advance(3_599_999);
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('pending');
    s.emulator.clock.advance(1);
    expect(await s.fetchTask(task.sid)).toMatchObject({
      assignment_status: 'canceled',
      reason: 'Task TTL Exceeded',
    });
  });

  test('without a matching filter or a default filter the task is canceled at once', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.workflow({
      task_routing: { filters: [{ expression: "type == 'x'", targets: [{ queue: queue.sid }] }] },
    });
    const task = await s.task(workflow.sid, { type: 'y' });
    expect(task).toMatchObject({
      assignment_status: 'canceled',
      reason: 'Task canceled on Workflow timeout',
    });
  });
});

describe('task TTL', () => {
  test('a reserved task past its Timeout is canceled with its reservation; assigned tasks are not', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid, { TaskReservationTimeout: 600 });
    const alice = await s.worker('Alice');
    await s.channel(alice.sid, 'default', { Capacity: 2 });
    const waiting = await s.task(workflow.sid, {}, { Timeout: 60 });
    const working = await s.task(workflow.sid, {}, { Timeout: 60 });
    const [offer] = await s.reservations(working.sid);
    await s.answer(working.sid, offer!.sid, { ReservationStatus: 'accepted' });
    s.emulator.clock.advance(60_000);
    expect(await s.fetchTask(waiting.sid)).toMatchObject({
      assignment_status: 'canceled',
      reason: 'Task TTL Exceeded',
    });
    expect((await s.reservations(waiting.sid))[0]!.reservation_status).toBe('canceled');
    expect((await s.fetchTask(working.sid)).assignment_status).toBe('assigned');
  });
});

describe('skip_if', () => {
  async function overflow(s: Scenario) {
    const sales = await s.queue({ TargetWorkers: "team == 'sales'" });
    const overflowQueue = await s.queue({ TargetWorkers: "team == 'overflow'" });
    const last = await s.queue({ TargetWorkers: "team == 'last'" });
    const fallback = await s.queue();
    const workflow = await s.workflow({
      task_routing: {
        filters: [
          {
            expression: "department == 'sales'",
            targets: [
              { queue: sales.sid, timeout: 120, skip_if: 'workers.available == 0' },
              { queue: overflowQueue.sid, timeout: 300, skip_if: 'workers.available == 0' },
              { queue: last.sid, skip_if: 'workers.available == 0' },
            ],
          },
        ],
        default_filter: { queue: fallback.sid },
      },
    });
    return { sales, overflowQueue, last, fallback, workflow };
  }

  test('a step nobody can serve is skipped on entry; skipping every named step leads to the default filter', async () => {
    const s = await scenario();
    const { overflowQueue, fallback, workflow } = await overflow(s);
    const helper = await s.worker('Olga', { team: 'overflow' });
    const task = await s.task(workflow.sid, { department: 'sales' });
    expect(task.task_queue_sid).toBe(overflowQueue.sid);
    expect((await s.reservations(task.sid))[0]!.worker_sid).toBe(helper.sid);

    await s.updateWorker(helper.sid, { ActivitySid: s.activities.offline });
    const second = await s.task(workflow.sid, { department: 'sales' });
    expect(second.task_queue_sid).toBe(fallback.sid);
  });

  test('skip_if is checked only on entry: a step whose workers are busy is kept', async () => {
    const s = await scenario();
    const { sales, workflow } = await overflow(s);
    await s.worker('Sam', { team: 'sales' });
    const first = await s.task(workflow.sid, { department: 'sales' });
    // Sam is available but busy with the first task: the step is not skipped.
    const second = await s.task(workflow.sid, { department: 'sales' });
    expect([first.task_queue_sid, second.task_queue_sid]).toEqual([sales.sid, sales.sid]);
    expect(second.assignment_status).toBe('pending');
  });

  test('skipping out of the last step with no default filter removes the task', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.workflow({
      task_routing: { filters: [{ expression: '1==1', targets: [{ queue: queue.sid, skip_if: '1==1' }] }] },
    });
    const task = await s.task(workflow.sid);
    expect(task.assignment_status).toBe('canceled');
    expect((await s.eventTypes({ TaskSid: task.sid })).slice(-2)).toEqual([
      'workflow.skipped',
      'task.canceled',
    ]);
  });
});

describe('real time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("clock: 'real' follows wall time and fires timers by itself", async () => {
    vi.useFakeTimers({
      now: Date.parse('2030-01-01T00:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'performance'],
    });
    const emulator = createEmulator({ clock: 'real', startTime: new Date('2030-01-01T00:00:00Z') });
    expect(emulator.clock.followsWallTime).toBe(true);
    let fired = 0;
    emulator.clock.schedule(Date.parse('2030-01-01T00:00:05Z'), () => fired++);
    vi.advanceTimersByTime(4999);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    expect(emulator.clock.now().toISOString()).toBe('2030-01-01T00:00:05.000Z');
    // advance() still jumps ahead.
    emulator.clock.advance(60_000);
    expect(emulator.clock.now().toISOString()).toBe('2030-01-01T00:01:05.000Z');
  });

  test('a timer that fires late runs at the current time, so record timestamps never go back', async () => {
    // Only the clock's time source is fake: the emulator's real timer wakes it as usual, after
    // time was moved past the due instant.
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z'), toFake: ['performance'] });
    const emulator = createEmulator({ clock: 'real', startTime: new Date('2030-01-01T00:00:00Z') });
    const workspaceSid = emulator.seed.workspace().sid;
    const fired = new Promise<string | null>((resolve) =>
      emulator.clock.schedule(emulator.clock.nowMs() + 1, () =>
        resolve(emulator.seed.activity(workspaceSid).date_created),
      ),
    );
    vi.advanceTimersByTime(5000);
    expect(emulator.clock.now().toISOString()).toBe('2030-01-01T00:00:05.000Z');
    const before = emulator.seed.activity(workspaceSid).date_created;
    const late = await fired;
    expect(before).toBe('2030-01-01T00:00:05Z');
    expect(late).toBe(before);
  });

  test('a server switches a default clock to real time, but not one asked to stay virtual', async () => {
    const plain = createEmulator();
    const pinned = createEmulator({ clock: 'virtual' });
    expect(plain.clock.followsWallTime).toBe(false);
    const servers = [await plain.listen(), await pinned.listen()];
    expect(plain.clock.followsWallTime).toBe(true);
    expect(pinned.clock.followsWallTime).toBe(false);
    await Promise.all(servers.map((server) => server.close()));
  });
});

describe('automatic removal', () => {
  /** A worker and a queue everyone is in; each task is reserved for the worker at once. */
  async function staffed() {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const worker = await s.worker('Alice');
    await s.updateWorker(worker.sid, {});
    const accept = async (taskSid: string) => {
      const [offer] = await s.reservations(taskSid);
      await s.answer(taskSid, offer!.sid, { ReservationStatus: 'accepted' });
    };
    return { s, workflow, worker, accept };
  }

  const exists = async (s: Scenario, taskSid: string) =>
    (await s.api.get(`${s.path}/Tasks/${taskSid}`)).status === 200;

  test('a completed or canceled task is system-deleted five minutes after it finished', async () => {
    const { s, workflow, accept } = await staffed();
    const done = await s.task(workflow.sid);
    await accept(done.sid);
    s.emulator.clock.advance(60_000);
    await s.updateTask(done.sid, { AssignmentStatus: 'completed' });
    const dropped = await s.task(workflow.sid, {}, { Priority: 1 });
    s.emulator.clock.advance(60_000);
    await s.updateTask(dropped.sid, { AssignmentStatus: 'canceled' });

    s.emulator.clock.advance(4 * 60_000 - 1);
    expect(await exists(s, done.sid)).toBe(true);
    s.emulator.clock.advance(1);
    expect(await exists(s, done.sid)).toBe(false);
    expect(await exists(s, dropped.sid)).toBe(true);
    s.emulator.clock.advance(60_000);
    expect(await exists(s, dropped.sid)).toBe(false);

    const [deleted] = (await s.api.get(`${s.path}/Events`, { EventType: 'task.system-deleted' })).body.events;
    expect(deleted).toMatchObject({
      resource_sid: done.sid,
      source: 'SYSTEM',
      event_date: '2030-01-01T00:06:00Z',
      description: `Task ${done.sid} system-deleted`,
    });
    expect(await s.eventTypes({ TaskSid: dropped.sid })).toContain('task.system-deleted');
    expect((await s.api.get(`${s.path}/Tasks/${done.sid}/Reservations`)).status).toBe(404);
    expect(checkInvariants(s.emulator)).toEqual([]);
  });

  test('a task assigned for 24 hours is system-deleted and its worker freed; wrapping up stops that clock', async () => {
    const { s, workflow, worker, accept } = await staffed();
    const stuck = await s.task(workflow.sid);
    await accept(stuck.sid);
    await s.channel(worker.sid, 'default', { Capacity: 2 });
    const wrapping = await s.task(workflow.sid);
    await accept(wrapping.sid);
    await s.updateTask(wrapping.sid, { AssignmentStatus: 'wrapping' });
    expect((await s.channel(worker.sid, 'default')).assigned_tasks).toBe(2);

    s.emulator.clock.advance(24 * 3_600_000 - 1);
    expect(await exists(s, stuck.sid)).toBe(true);
    s.emulator.clock.advance(1);
    expect(await exists(s, stuck.sid)).toBe(false);
    expect(await s.eventTypes({ TaskSid: stuck.sid, Minutes: 1 })).toEqual([
      'task.completed',
      'reservation.completed',
      'task.system-deleted',
    ]);
    expect(await exists(s, wrapping.sid)).toBe(true);
    expect((await s.channel(worker.sid, 'default')).assigned_tasks).toBe(1);
    // Freed capacity takes new work at once.
    const next = await s.task(workflow.sid);
    expect((await s.reservations(next.sid)).map((r) => r.worker_sid)).toEqual([worker.sid]);
    expect(checkInvariants(s.emulator)).toEqual([]);
  });

  test('a task deleted through the API is not deleted again; reset forgets every planned removal', async () => {
    const { s, workflow } = await staffed();
    const task = await s.task(workflow.sid);
    await s.updateTask(task.sid, { AssignmentStatus: 'canceled' });
    expect((await s.api.delete(`${s.path}/Tasks/${task.sid}`)).status).toBe(204);
    s.emulator.clock.advance(10 * 60_000);
    expect(await s.eventTypes({ TaskSid: task.sid, Minutes: 20 })).not.toContain('task.system-deleted');
    const again = await s.task(workflow.sid);
    await s.updateTask(again.sid, { AssignmentStatus: 'canceled' });
    s.emulator.reset();
    expect(s.emulator.clock.pendingTimers()).toBe(0);
  });
});
