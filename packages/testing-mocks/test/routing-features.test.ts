import { readdirSync, readFileSync } from 'node:fs';
import { routeTask } from '@taskrouter/workflow-builder';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_ASSIGNMENT_COUNT } from '../src/routing/workspace-router.js';
import { scenario } from './routing-helpers.js';

describe('MaxReservedWorkers', () => {
  test('reserves several workers at once; the first to accept wins and the others are rescinded', async () => {
    const s = await scenario();
    const queue = await s.queue({ MaxReservedWorkers: 3 });
    const workflow = await s.defaultWorkflow(queue.sid);
    const names = ['Ann', 'Ben', 'Cal', 'Dee'];
    const workers = [];
    for (const name of names) {
      workers.push(await s.worker(name));
      s.emulator.clock.advance(1000);
    }
    const task = await s.task(workflow.sid);
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => r.worker_name)).toEqual(['Ann', 'Ben', 'Cal']);
    await s.answer(task.sid, offers[1]!.sid, { ReservationStatus: 'accepted' });
    expect((await s.reservations(task.sid)).map((r) => r.reservation_status)).toEqual([
      'rescinded',
      'accepted',
      'rescinded',
    ]);
    expect(await s.eventTypes({ TaskSid: task.sid, EventType: 'reservation.rescinded' })).toHaveLength(2);
    // The rescinded workers are free again: the next task goes to the longest idle of them.
    const next = await s.task(workflow.sid);
    expect((await s.reservations(next.sid)).map((r) => r.worker_name)).toEqual(['Dee', 'Ann', 'Cal']);
    expect(workers).toHaveLength(4);
  });

  test('a task short of reservations picks up workers as they become available', async () => {
    const s = await scenario();
    const queue = await s.queue({ MaxReservedWorkers: 2 });
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.worker('Ann');
    const bob = await s.worker('Bob', {}, { ActivitySid: s.activities.offline });
    const task = await s.task(workflow.sid);
    expect(await s.reservations(task.sid)).toHaveLength(1);
    await s.updateWorker(bob.sid, { ActivitySid: s.activities.available });
    expect((await s.reservations(task.sid)).map((r) => r.worker_name)).toEqual(['Ann', 'Bob']);
  });
});

describe('targets', () => {
  test('order_by picks workers by integer attributes; ties and missing values fall back to idle time', async () => {
    const s = await scenario();
    const queue = await s.queue({ MaxReservedWorkers: 4 });
    const workflow = await s.workflow({
      task_routing: {
        filters: [
          {
            expression: '1==1',
            targets: [{ queue: queue.sid, order_by: 'worker.skill.level DESC, worker.years ASC' }],
          },
        ],
      },
    });
    await s.worker('NoLevel', { years: 1 });
    await s.worker('Junior', { skill: { level: 1 }, years: 1 });
    await s.worker('SeniorLong', { skill: { level: 5 }, years: 9 });
    await s.worker('SeniorNew', { skill: { level: 5 }, years: 2 });
    await s.worker('TextLevel', { skill: { level: 'high' }, years: 3 });
    const task = await s.task(workflow.sid);
    expect((await s.reservations(task.sid)).map((r) => r.worker_name)).toEqual([
      'SeniorNew',
      'SeniorLong',
      'Junior',
      'NoLevel',
    ]);
  });

  test('known_worker_sid offers the task to that worker only, until the target times out', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const alice = await s.worker('Alice', {}, { ActivitySid: s.activities.offline });
    await s.worker('Bob');
    const workflow = await s.workflow({
      task_routing: {
        filters: [
          {
            expression: '1==1',
            targets: [
              { queue: queue.sid, known_worker_sid: 'task.agent', timeout: 30 },
              { queue: queue.sid },
            ],
          },
        ],
      },
    });
    const task = await s.task(workflow.sid, { agent: alice.sid });
    const noAgent = await s.task(workflow.sid, { agent: null });
    expect([task.assignment_status, noAgent.assignment_status]).toEqual(['pending', 'pending']);
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => r.worker_name)).toEqual(['Alice']);
    await s.answer(task.sid, offers[0]!.sid, { ReservationStatus: 'accepted' });
    s.emulator.clock.advance(30_000);
    // After the known-worker step, anyone in the queue: Bob was free.
    expect((await s.reservations(noAgent.sid)).map((r) => r.worker_name)).toEqual(['Bob']);
  });

  test('known_worker_friendly_name reads the worker name from the task', async () => {
    const s = await scenario();
    const queue = await s.queue();
    await s.worker('Alice');
    s.emulator.clock.advance(1000);
    await s.worker('Bob');
    const workflow = await s.workflow({
      task_routing: {
        filters: [
          {
            expression: '1==1',
            targets: [{ queue: queue.sid, known_worker_friendly_name: 'task.customer.agent' }],
          },
        ],
      },
    });
    const task = await s.task(workflow.sid, { customer: { agent: 'bob' } });
    expect((await s.reservations(task.sid)).map((r) => r.worker_name)).toEqual(['Bob']);
  });
});

describe('ChannelOptimizedRouting', () => {
  /**
   * Ann is idle the longest overall (her latest reservation, on chat, is older than Bob's, on
   * voice), but Bob has never had a chat task: on the chat channel he is idle the longest.
   */
  async function history() {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const ann = await s.worker('Ann');
    const bob = await s.worker('Bob');
    const serve = async (channel: string, expected: string) => {
      const task = await s.task(workflow.sid, {}, { TaskChannel: channel });
      const [offer] = await s.reservations(task.sid);
      expect(offer!.worker_sid).toBe(expected);
      await s.answer(task.sid, offer!.sid, { ReservationStatus: 'accepted' });
      await s.updateTask(task.sid, { AssignmentStatus: 'completed' });
    };
    await serve('chat', ann.sid);
    await serve('voice', bob.sid);
    const nextChatTaskGoesTo = async () => {
      const task = await s.task(workflow.sid, {}, { TaskChannel: 'chat' });
      return (await s.reservations(task.sid)).map((r) => r.worker_name);
    };
    return { s, nextChatTaskGoesTo };
  }

  test('off (the default): the worker idle the longest on any channel is offered the task', async () => {
    const { nextChatTaskGoesTo } = await history();
    expect(await nextChatTaskGoesTo()).toEqual(['Ann']);
  });

  const optimize = (s: Awaited<ReturnType<typeof history>>['s'], value: boolean) =>
    s.api.post(`${s.path}/TaskChannels/chat`, { ChannelOptimizedRouting: value });

  test('on: the worker idle the longest on the task channel is offered the task', async () => {
    const { s, nextChatTaskGoesTo } = await history();
    expect((await optimize(s, true)).body.channel_optimized_routing).toBe(true);
    expect(await nextChatTaskGoesTo()).toEqual(['Bob']);
  });

  test('turned off again: back to the longest idle on any channel', async () => {
    const { s, nextChatTaskGoesTo } = await history();
    await optimize(s, true);
    await optimize(s, false);
    expect(await nextChatTaskGoesTo()).toEqual(['Ann']);
  });
});

describe('task order', () => {
  async function waitingTasks(taskOrder: 'FIFO' | 'LIFO') {
    const s = await scenario();
    const queue = await s.queue({ TaskOrder: taskOrder });
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice', {}, { ActivitySid: s.activities.offline });
    const tasks: { sid: string }[] = [];
    for (const priority of [1, 9, 5]) {
      tasks.push(await s.task(workflow.sid, {}, { Priority: priority }));
      s.emulator.clock.advance(1000);
    }
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    const reservedIndex = async () => {
      const statuses = await Promise.all(
        tasks.map(async (task) => (await s.fetchTask(task.sid)).assignment_status),
      );
      return statuses.indexOf('reserved');
    };
    return { reservedIndex };
  }

  test('FIFO serves the highest priority first', async () => {
    expect(await (await waitingTasks('FIFO')).reservedIndex()).toBe(1);
  });

  test('LIFO serves the newest task first and ignores priority', async () => {
    expect(await (await waitingTasks('LIFO')).reservedIndex()).toBe(2);
  });

  test.each(['FIFO', 'LIFO'] as const)(
    'a worker in a FIFO and a LIFO queue serves the %s queue first when the workspace prioritizes it',
    async (order) => {
      const s = await scenario({ prioritizeQueueOrder: order });
      const fifo = await s.queue({ TaskOrder: 'FIFO' });
      const lifo = await s.queue({ TaskOrder: 'LIFO' });
      const alice = await s.worker('Alice', {}, { ActivitySid: s.activities.offline });
      const fifoTask = (await s.api.post(`${s.path}/Tasks`, { TaskQueueSid: fifo.sid })).body;
      const lifoTask = (await s.api.post(`${s.path}/Tasks`, { TaskQueueSid: lifo.sid })).body;
      await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
      const served = order === 'FIFO' ? fifoTask : lifoTask;
      expect((await s.fetchTask(served.sid)).assignment_status).toBe('reserved');
    },
  );
});

describe('re-evaluation', () => {
  test('ReEvaluateTasks moves waiting tasks to the new configuration; without it they stay', async () => {
    const s = await scenario();
    const before = await s.queue();
    const after = await s.queue();
    const workflow = await s.defaultWorkflow(before.sid);
    const task = await s.task(workflow.sid);
    const configuration = JSON.stringify({ task_routing: { default_filter: { queue: after.sid } } });
    await s.api.post(`${s.path}/Workflows/${workflow.sid}`, { Configuration: configuration });
    expect((await s.fetchTask(task.sid)).task_queue_sid).toBe(before.sid);
    await s.api.post(`${s.path}/Workflows/${workflow.sid}`, {
      Configuration: configuration,
      ReEvaluateTasks: true,
    });
    expect((await s.fetchTask(task.sid)).task_queue_sid).toBe(after.sid);
    expect(await s.eventTypes({ TaskSid: task.sid, EventType: 'task-queue.moved' })).toHaveLength(1);
  });

  test(`a task reserved ${MAX_ASSIGNMENT_COUNT} times without acceptance is canceled`, async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.worker('Alice');
    const task = await s.task(workflow.sid);
    let rejections = 0;
    for (;;) {
      const [offer] = await s.reservations(task.sid, { ReservationStatus: 'pending' });
      if (!offer) break;
      await s.answer(task.sid, offer.sid, { ReservationStatus: 'rejected' });
      rejections++;
    }
    expect(rejections).toBe(MAX_ASSIGNMENT_COUNT);
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('canceled');
  });
});

describe('agreement with offline simulation', () => {
  const fixtureDirectory = new URL('../../workflow-builder/test/fixtures/', import.meta.url);
  const fixtures = readdirSync(fixtureDirectory).filter((name) => name.endsWith('.json'));
  const attributes = fc.record(
    {
      type: fc.constantFrom('billing', 'support', 'sales', 'ticket'),
      language: fc.constantFrom('fr', 'en'),
      returning: fc.boolean(),
      department: fc.constantFrom('sales', 'it'),
      tier: fc.constantFrom('gold', 'silver'),
    },
    { requiredKeys: [] },
  );

  test.each(fixtures)('%s: the emulator queues a task where routeTask says', async (fixture) => {
    const s = await scenario();
    const text = readFileSync(new URL(fixture, fixtureDirectory), 'utf8');
    let configuration = text;
    const queues = new Map<string, string>();
    for (const sid of new Set(text.match(/WQ[0-9a-f]{32}/g))) {
      const queue = await s.queue();
      queues.set(sid, queue.sid);
      configuration = configuration.replaceAll(sid, queue.sid);
    }
    // One available worker in every queue, so that no `skip_if` on worker counts fires.
    await s.worker('Everyone');
    const workflow = (
      await s.api.post(`${s.path}/Workflows`, { FriendlyName: fixture, Configuration: configuration })
    ).body;
    await fc.assert(
      fc.asyncProperty(attributes, async (taskAttributes) => {
        const route = routeTask(configuration, taskAttributes);
        const task = await s.task(workflow.sid, taskAttributes);
        if (route.kind === 'unrouted') {
          expect(task.assignment_status).toBe('canceled');
          return;
        }
        const expected = route.kind === 'filter' ? route.targets[0]!.queue : route.target.queue;
        expect(task.task_queue_sid).toBe(expected);
        await s.updateTask(task.sid, { AssignmentStatus: 'canceled' });
      }),
      { seed: 20_300_101, numRuns: 40 },
    );
    expect(queues.size).toBeGreaterThan(0);
  });
});
