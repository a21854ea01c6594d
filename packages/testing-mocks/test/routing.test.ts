import { describe, expect, test } from 'vitest';
import { scenario } from './routing-helpers.js';

/** The classic story: a Gold desk whose target wants a worker speaking the task's language. */
async function goldDesk(options: Parameters<typeof scenario>[0] = {}) {
  const s = await scenario(options);
  const gold = await s.queue({ TargetWorkers: "skills HAS 'gold'" });
  const rest = await s.queue();
  const workflow = await s.workflow({
    task_routing: {
      filters: [
        {
          filter_friendly_name: 'Gold tickets',
          expression: "tier == 'gold'",
          targets: [{ queue: gold.sid, expression: 'task.language IN worker.languages', priority: 10 }],
        },
      ],
      default_filter: { queue: rest.sid },
    },
  });
  return { ...s, gold, rest, workflow };
}

describe('tasks reach eligible workers', () => {
  test('only the worker in the queue who matches the target expression is offered the task', async () => {
    const s = await goldDesk();
    const alice = await s.worker('Alice', { skills: ['gold'], languages: ['en', 'es'] });
    await s.worker('Bruno', { skills: ['gold'], languages: ['fr'] });
    await s.worker('Chen', { skills: [], languages: ['en'] });
    const task = await s.task(s.workflow.sid, { tier: 'gold', language: 'en' });
    expect(task).toMatchObject({ assignment_status: 'reserved', task_queue_sid: s.gold.sid, priority: 10 });
    const reservations = await s.reservations(task.sid);
    expect(reservations.map((r) => [r.worker_name, r.reservation_status])).toEqual([['Alice', 'pending']]);
    expect(reservations[0]!.worker_sid).toBe(alice.sid);
  });

  test('accepting assigns the task and uses channel capacity; completing frees it for the next task', async () => {
    const s = await goldDesk();
    const alice = await s.worker('Alice', { skills: ['gold'], languages: ['en'] });
    const first = await s.task(s.workflow.sid, { tier: 'gold', language: 'en' });
    const second = await s.task(s.workflow.sid, { tier: 'gold', language: 'en' });
    expect(second.assignment_status).toBe('pending');
    const [offer] = await s.reservations(first.sid);
    const accepted = await s.answer(first.sid, offer!.sid, { ReservationStatus: 'accepted' });
    expect(accepted.body.reservation_status).toBe('accepted');
    expect((await s.fetchTask(first.sid)).assignment_status).toBe('assigned');
    expect(await s.channel(alice.sid, 'default')).toMatchObject({
      assigned_tasks: 1,
      available_capacity_percentage: 0,
    });
    expect((await s.fetchTask(second.sid)).assignment_status).toBe('pending');

    await s.updateTask(first.sid, { AssignmentStatus: 'completed', Reason: 'done' });
    expect((await s.reservations(first.sid))[0]!.reservation_status).toBe('completed');
    expect((await s.fetchTask(second.sid)).assignment_status).toBe('reserved');
    expect((await s.reservations(second.sid))[0]!.worker_sid).toBe(alice.sid);
  });

  test('a worker joins routing when it becomes available, and leaves it when it does not', async () => {
    const s = await goldDesk();
    const alice = await s.worker(
      'Alice',
      { skills: ['gold'], languages: ['en'] },
      { ActivitySid: s.activities.offline },
    );
    const task = await s.task(s.workflow.sid, { tier: 'gold', language: 'en' });
    expect(task.assignment_status).toBe('pending');
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('reserved');
    await s.updateWorker(alice.sid, {
      ActivitySid: s.activities.unavailable,
      RejectPendingReservations: true,
    });
    expect((await s.reservations(task.sid))[0]!.reservation_status).toBe('rejected');
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('pending');
  });

  test('changing worker attributes or the queue expression brings workers into routing', async () => {
    const s = await goldDesk();
    const chen = await s.worker('Chen', { skills: [], languages: ['en'] });
    const task = await s.task(s.workflow.sid, { tier: 'gold', language: 'de' });
    expect(task.assignment_status).toBe('pending');
    await s.updateWorker(chen.sid, { Attributes: JSON.stringify({ skills: [], languages: ['de'] }) });
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('pending');
    await s.api.post(`${s.path}/TaskQueues/${s.gold.sid}`, { TargetWorkers: '1==1' });
    expect((await s.reservations(task.sid)).map((r) => r.worker_name)).toEqual(['Chen']);
  });

  test('updating task attributes re-evaluates its filter and its target expression', async () => {
    const s = await goldDesk();
    await s.worker('Alice', { skills: ['gold'], languages: ['en'] });
    const task = await s.task(s.workflow.sid, { tier: 'silver', language: 'en' });
    expect(task.task_queue_sid).toBe(s.rest.sid);
    expect((await s.reservations(task.sid))[0]!.worker_name).toBe('Alice');
    const moved = await s.updateTask(task.sid, {
      Attributes: JSON.stringify({ tier: 'gold', language: 'en' }),
    });
    expect(moved.task_queue_sid).toBe(s.gold.sid);
    expect((await s.reservations(task.sid)).map((r) => r.reservation_status)).toEqual([
      'canceled',
      'pending',
    ]);
    expect(await s.eventTypes({ TaskSid: task.sid, EventType: 'task-queue.moved' })).toHaveLength(1);
  });

  test('channels: capacity bounds parallel reservations, an unavailable channel takes none', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice');
    await s.channel(alice.sid, 'chat', { Capacity: 2 });
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push(await s.task(workflow.sid, {}, { TaskChannel: 'chat' }));
    expect(chats.map((task) => task.assignment_status)).toEqual(['reserved', 'reserved', 'pending']);
    expect(await s.channel(alice.sid, 'chat')).toMatchObject({ available_capacity_percentage: 0 });
    // Another channel has its own capacity.
    expect((await s.task(workflow.sid, {}, { TaskChannel: 'voice' })).assignment_status).toBe('reserved');
    await s.channel(alice.sid, 'sms', { Available: false });
    expect((await s.task(workflow.sid, {}, { TaskChannel: 'sms' })).assignment_status).toBe('pending');
    await s.channel(alice.sid, 'chat', { Capacity: 3 });
    expect((await s.fetchTask(chats[2]!.sid)).assignment_status).toBe('reserved');
  });

  test('workers are offered tasks longest idle first', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    for (const name of ['Ann', 'Ben', 'Cid']) {
      const worker = await s.worker(name);
      await s.channel(worker.sid, 'default', { Capacity: 5 });
      s.emulator.clock.advance(1000);
    }
    const offeredTo = [];
    for (let i = 0; i < 5; i++) {
      const task = await s.task(workflow.sid);
      offeredTo.push((await s.reservations(task.sid))[0]!.worker_name);
    }
    expect(offeredTo).toEqual(['Ann', 'Ben', 'Cid', 'Ann', 'Ben']);
  });

  test('a freed worker takes the highest priority task first, then the oldest', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice', {}, { ActivitySid: s.activities.offline });
    const low = await s.task(workflow.sid, { n: 'low' }, { Priority: 1 });
    s.emulator.clock.advance(1000);
    const high = await s.task(workflow.sid, { n: 'high' }, { Priority: 5 });
    s.emulator.clock.advance(1000);
    const alsoHigh = await s.task(workflow.sid, { n: 'high again' }, { Priority: 5 });
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    const statuses = async () =>
      Promise.all([low, high, alsoHigh].map(async (task) => (await s.fetchTask(task.sid)).assignment_status));
    expect(await statuses()).toEqual(['pending', 'reserved', 'pending']);
    await s.updateTask(high.sid, { AssignmentStatus: 'canceled' });
    expect(await statuses()).toEqual(['pending', 'canceled', 'reserved']);
  });
});

describe('reservations', () => {
  test('a rejected task goes to the next worker; the worker moves to the activity it names', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice');
    s.emulator.clock.advance(1000);
    await s.worker('Bob');
    const task = await s.task(workflow.sid);
    const [first] = await s.reservations(task.sid);
    expect(first!.worker_name).toBe('Alice');
    await s.answer(task.sid, first!.sid, {
      ReservationStatus: 'rejected',
      WorkerActivitySid: s.activities.unavailable,
    });
    expect((await s.fetchWorker(alice.sid)).activity_sid).toBe(s.activities.unavailable);
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => [r.worker_name, r.reservation_status])).toEqual([
      ['Alice', 'rejected'],
      ['Bob', 'pending'],
    ]);
  });

  test('the same worker is offered the task again when nobody else can take it', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.worker('Alice');
    const task = await s.task(workflow.sid);
    const [first] = await s.reservations(task.sid);
    await s.answer(task.sid, first!.sid, { ReservationStatus: 'rejected' });
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => [r.worker_name, r.reservation_status])).toEqual([
      ['Alice', 'rejected'],
      ['Alice', 'pending'],
    ]);
  });

  test('an unanswered reservation times out after the workflow timeout; the worker goes to the timeout activity', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid, { TaskReservationTimeout: 30 });
    const alice = await s.worker('Alice');
    s.emulator.clock.advance(1000);
    await s.worker('Bob');
    const task = await s.task(workflow.sid);
    s.emulator.clock.advance(29_999);
    expect((await s.reservations(task.sid))[0]!.reservation_status).toBe('pending');
    s.emulator.clock.advance(1);
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => [r.worker_name, r.reservation_status])).toEqual([
      ['Alice', 'timeout'],
      ['Bob', 'pending'],
    ]);
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Offline');
    expect(await s.eventTypes({ WorkerSid: alice.sid, EventType: 'worker.activity.update' })).toHaveLength(1);
  });

  test('a reserved task canceled through the API cancels its pending reservation', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice');
    const task = await s.task(workflow.sid);
    await s.updateTask(task.sid, { AssignmentStatus: 'canceled' });
    expect((await s.reservations(task.sid))[0]!.reservation_status).toBe('canceled');
    expect(await s.channel(alice.sid, 'default')).toMatchObject({ available_capacity_percentage: 100 });
  });

  test('illegal transitions are refused with 400 naming the states; accepting a rescinded reservation is 410', async () => {
    const s = await scenario();
    const queue = await s.queue({ MaxReservedWorkers: 2 });
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.worker('Alice');
    await s.worker('Bob');
    const task = await s.task(workflow.sid);
    const [first, second] = await s.reservations(task.sid);
    expect((await s.answer(task.sid, first!.sid, { ReservationStatus: 'accepted' })).status).toBe(200);
    const late = await s.answer(task.sid, second!.sid, { ReservationStatus: 'accepted' });
    expect(late.status).toBe(410);
    expect(late.body.message).toContain('rescinded');
    const twice = await s.answer(task.sid, first!.sid, { ReservationStatus: 'accepted' });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toContain('is accepted; only pending reservations can become accepted');
    const cancel = await s.api.post(`${s.path}/Tasks/${task.sid}`, { AssignmentStatus: 'canceled' });
    expect(cancel.status).toBe(400);
    expect(cancel.body.message).toContain('is assigned; only pending or reserved tasks can become canceled');
  });
});

describe('single-tasking workspaces', () => {
  test('one task at a time; the queue activities follow reservation and assignment', async () => {
    const s = await scenario({ multiTask: false });
    const reserved = (
      await s.api.post(`${s.path}/Activities`, { FriendlyName: 'Reserved', Available: false })
    ).body;
    const busy = (await s.api.post(`${s.path}/Activities`, { FriendlyName: 'Busy', Available: false })).body;
    const queue = await s.queue({ ReservationActivitySid: reserved.sid, AssignmentActivitySid: busy.sid });
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice');
    const voice = await s.task(workflow.sid, {}, { TaskChannel: 'voice' });
    const chat = await s.task(workflow.sid, {}, { TaskChannel: 'chat' });
    expect(chat.assignment_status).toBe('pending');
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Reserved');

    // Rejecting without an activity gives the worker back the one it had.
    const [offer] = await s.reservations(voice.sid);
    await s.answer(voice.sid, offer!.sid, { ReservationStatus: 'rejected' });
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Reserved');
    const offers = await s.reservations(voice.sid);
    expect(offers.map((r) => r.reservation_status)).toEqual(['rejected', 'pending']);

    await s.answer(voice.sid, offers[1]!.sid, { ReservationStatus: 'accepted' });
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Busy');
    // Completion does not change the activity; the worker must make itself available again.
    await s.updateTask(voice.sid, { AssignmentStatus: 'completed' });
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Busy');
    expect((await s.fetchTask(chat.sid)).assignment_status).toBe('pending');
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    expect((await s.fetchTask(chat.sid)).assignment_status).toBe('reserved');
  });
});

describe('direct routing targets', () => {
  test('a task for a named worker waits for that worker only, unless capacity is ignored', async () => {
    const s = await scenario();
    const queue = await s.queue();
    await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice', {}, { ActivitySid: s.activities.offline });
    await s.worker('Bob');
    const ignoring = await s.api.post(`${s.path}/Tasks`, { RoutingTarget: alice.sid });
    expect(ignoring.body.assignment_status).toBe('reserved');
    const waiting = await s.api.post(`${s.path}/Tasks`, { RoutingTarget: alice.sid, IgnoreCapacity: false });
    expect(waiting.body.assignment_status).toBe('pending');
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    // Alice's only default slot is held by the first task, so the second still waits.
    expect((await s.fetchTask(waiting.body.sid)).assignment_status).toBe('pending');
    await s.updateTask(ignoring.body.sid, { AssignmentStatus: 'canceled' });
    expect((await s.reservations(waiting.body.sid)).map((r) => r.worker_name)).toEqual(['Alice']);
  });

  test('a task put straight into a queue is offered to its members', async () => {
    const s = await scenario();
    const queue = await s.queue({ TargetWorkers: "team == 'b'" });
    await s.worker('Alice', { team: 'a' });
    await s.worker('Bob', { team: 'b' });
    const task = (await s.api.post(`${s.path}/Tasks`, { TaskQueueSid: queue.sid })).body;
    expect((await s.reservations(task.sid)).map((r) => r.worker_name)).toEqual(['Bob']);
  });
});
