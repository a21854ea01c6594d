/**
 * Routing cost under a target expression that rejects every worker: counted in expression
 * evaluations, so the bound holds however loaded the machine is. Scanning every task × worker
 * would evaluate the expression thousands of times per request here.
 */
import { MAX_EXPRESSION_LENGTH } from '@taskrouter/workflow-builder';
import { beforeEach, describe, expect, test } from 'vitest';
import { targetEvaluations } from '../src/routing/target-evaluations.js';
import { scenario } from './routing-helpers.js';

const WORKERS = 60;
const TASKS = 40;

/** A legal expression close to the length limit that no worker of these tests satisfies. */
function rejectingExpression(prefix = ''): string {
  const parts: string[] = [];
  let length = prefix.length;
  for (let index = 0; length < MAX_EXPRESSION_LENGTH - 200; index++) {
    const part = `worker.skill == "skill-${index}"`;
    parts.push(part);
    length += part.length + 4;
  }
  return `${prefix}(${parts.join(' OR ')})`;
}

/** Evaluations made while `work` runs. */
async function evaluationsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = targetEvaluations.count;
  await work();
  return targetEvaluations.count - before;
}

/** Results asked for while `work` runs, remembered or not. */
async function checksDuring(work: () => Promise<unknown>): Promise<number> {
  const before = targetEvaluations.checks;
  await work();
  return targetEvaluations.checks - before;
}

/** Workers whose `skill` differs one from another, so none shares a result with another. */
async function hostileWorkspace(
  expression: string,
  taskAttributes: (index: number) => object,
  workerAttributes = (index: number): object => ({
    role: 'agent',
    team: index % 2 ? 'a' : 'b',
    skill: `other-${index}`,
  }),
) {
  const s = await scenario();
  const queue = await s.queue({ TargetWorkers: '1==1' });
  const configuration = (targetExpression: string) => ({
    task_routing: {
      filters: [{ expression: '1==1', targets: [{ queue: queue.sid, expression: targetExpression }] }],
    },
  });
  const workflow = await s.workflow(configuration(expression));
  const workers: string[] = [];
  for (let index = 0; index < WORKERS; index++) {
    workers.push((await s.worker(`agent ${index}`, workerAttributes(index))).sid);
  }
  const tasks: string[] = [];
  const creation = await evaluationsDuring(async () => {
    for (let index = 0; index < TASKS; index++)
      tasks.push((await s.task(workflow.sid, taskAttributes(index))).sid);
  });
  return { s, queue, workflow, workers, tasks, creation, configuration };
}

describe('routing cost with an expression that rejects every worker', () => {
  beforeEach(() => {
    targetEvaluations.count = 0;
  });

  test('a worker-only expression is evaluated once per worker, whatever the number of tasks', async () => {
    const { s, queue, workflow, workers, tasks, creation, configuration } = await hostileWorkspace(
      rejectingExpression(),
      (index) => ({ ticket: index }),
    );
    // Without remembering results, creating the tasks alone would evaluate TASKS × WORKERS times.
    expect(creation).toBe(WORKERS);

    const rename = await evaluationsDuring(() => s.api.post(s.path, { FriendlyName: 'Renamed' }));
    expect(rename).toBe(0);

    const reorder = await evaluationsDuring(() => s.api.post(s.path, { PrioritizeQueueOrder: 'LIFO' }));
    expect(reorder).toBeLessThanOrEqual(WORKERS + TASKS);

    const retarget = await evaluationsDuring(() =>
      s.api.post(`${s.path}/TaskQueues/${queue.sid}`, { TargetWorkers: 'role == "agent"' }),
    );
    expect(retarget).toBeLessThanOrEqual(WORKERS + TASKS);

    // A new expression: each worker is evaluated once more, not once per task.
    const reEvaluate = await evaluationsDuring(() =>
      s.api.post(`${s.path}/Workflows/${workflow.sid}`, {
        Configuration: JSON.stringify(configuration(rejectingExpression('worker.role == "nobody" OR '))),
        ReEvaluateTasks: true,
      }),
    );
    expect(reEvaluate).toBe(WORKERS);

    for (const sid of tasks) expect((await s.fetchTask(sid)).assignment_status).toBe('pending');

    // A worker that comes to match is offered the oldest task at once, and only that worker.
    const matching = workers[7]!;
    await s.updateWorker(matching, { Attributes: JSON.stringify({ role: 'agent', skill: 'skill-3' }) });
    const offers = await s.reservations(tasks[0]!);
    expect(offers.map((offer) => offer.worker_sid)).toEqual([matching]);
    for (const sid of tasks.slice(1)) expect(await s.reservations(sid)).toEqual([]);
  });

  test('a task-dependent expression is evaluated once per worker and distinct task values it reads', async () => {
    const expression = rejectingExpression('task.team == worker.team AND ');
    // Every task differs (ticket), but the expression reads only task.team: two groups.
    const { s, workflow, creation, configuration } = await hostileWorkspace(expression, (index) => ({
      ticket: index,
      team: index % 2 ? 'a' : 'b',
    }));
    expect(creation).toBeLessThanOrEqual(2 * WORKERS);
    // The first half of the expression lets half the workers through for each group.
    expect(creation).toBeGreaterThanOrEqual(WORKERS);

    const reorder = await evaluationsDuring(() => s.api.post(s.path, { PrioritizeQueueOrder: 'LIFO' }));
    expect(reorder).toBe(0);

    const reEvaluate = await evaluationsDuring(() =>
      s.api.post(`${s.path}/Workflows/${workflow.sid}`, {
        Configuration: JSON.stringify(configuration(`worker.role == "x" OR (${expression})`)),
        ReEvaluateTasks: true,
      }),
    );
    expect(reEvaluate).toBeLessThanOrEqual(2 * WORKERS);
    expect(reEvaluate).toBeGreaterThan(0);
  });

  test('workers holding the same values under the keys the expression reads share one evaluation', async () => {
    const { s, creation } = await hostileWorkspace(
      rejectingExpression(),
      (index) => ({ ticket: index }),
      // Three skills among all workers; their names, SIDs and other attributes differ.
      (index) => ({ skill: `other-${index % 3}`, badge: index }),
    );
    expect(creation).toBe(3);
    const reorder = await evaluationsDuring(() => s.api.post(s.path, { PrioritizeQueueOrder: 'LIFO' }));
    expect(reorder).toBe(0);
  });

  test('expressions reading worker.channel are evaluated afresh, as their figures change without a new version', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.workflow({
      task_routing: {
        default_filter: { queue: queue.sid },
        filters: [
          {
            expression: '1==1',
            targets: [{ queue: queue.sid, expression: 'worker.channel.default.assigned_tasks == 1' }],
          },
        ],
      },
    });
    const alice = await s.worker('Alice');
    await s.channel(alice.sid, 'default', { Capacity: 2 });
    const first = await s.task(workflow.sid);
    // Alice has no assigned task yet: the first task waits.
    expect(await s.reservations(first.sid)).toEqual([]);
    const plain = await s.workflow({ task_routing: { default_filter: { queue: queue.sid } } });
    const other = await s.task(plain.sid);
    const [offer] = await s.reservations(other.sid);
    expect(offer?.worker_sid).toBe(alice.sid);
    await s.answer(other.sid, offer!.sid, { ReservationStatus: 'accepted' });
    // One assigned task now: the waiting task's expression holds for Alice.
    const [late] = await s.reservations(first.sid);
    expect(late?.worker_sid).toBe(alice.sid);
  });
});

describe('results asked for with a worker-only expression that rejects every worker', () => {
  test('grow with tasks plus workers, not tasks × workers, so each task costs the same at any worker count', async () => {
    const { s, queue, workflow } = await hostileWorkspace(rejectingExpression(), (index) => ({
      ticket: index,
    }));
    // Each new task finds the expression's selection of ready workers empty: nothing to ask.
    const newTasks = await checksDuring(async () => {
      for (let index = 0; index < 10; index++) await s.task(workflow.sid, { ticket: `more-${index}` });
    });
    expect(newTasks).toBe(0);
    // Every worker looks at the waiting tasks: one answer per worker for the whole group.
    for (const work of [
      () => s.api.post(s.path, { PrioritizeQueueOrder: 'LIFO' }),
      () => s.api.post(`${s.path}/TaskQueues/${queue.sid}`, { TargetWorkers: 'role == "agent"' }),
      () => s.api.post(`${s.path}/Workflows/${workflow.sid}`, { ReEvaluateTasks: true }),
    ]) {
      expect(await checksDuring(work)).toBeLessThanOrEqual(WORKERS + TASKS + 10);
    }
  });
});

describe('results asked for with an expression reading task. that rejects every worker', () => {
  test('cost nothing per task after the first of its task values, so each costs the same at any worker count', async () => {
    const { s, workflow, workers, tasks } = await hostileWorkspace(
      'worker.languages HAS task.language',
      (index) => ({ ticket: index, language: index % 2 ? 'fr' : 'es' }),
      (index) => ({ languages: index % 2 ? ['en'] : ['en', 'de'], badge: index }),
    );
    // A language no task asked for yet: its first task looks at each ready worker, then indexes them.
    const first = await checksDuring(() => s.task(workflow.sid, { ticket: 'first', language: 'it' }));
    expect(first).toBeGreaterThanOrEqual(WORKERS);
    expect(first).toBeLessThanOrEqual(2 * WORKERS);
    // Scanning the ready workers would ask 10 × WORKERS results here.
    const later = await checksDuring(async () => {
      for (let index = 0; index < 10; index++)
        await s.task(workflow.sid, { ticket: `more-${index}`, language: ['it', 'fr', 'es'][index % 3] });
    });
    expect(later).toBe(0);
    // A worker that comes to speak a waiting task's language is offered the oldest such task.
    const matching = workers[7]!;
    await s.updateWorker(matching, { Attributes: JSON.stringify({ languages: ['fr'] }) });
    const offers = await s.reservations(tasks[1]!);
    expect(offers.map((offer) => offer.worker_sid)).toEqual([matching]);
    expect(await s.reservations(tasks[3]!)).toEqual([]);
  });
});

describe.each([
  ['a worker-only expression', 'worker.skill == "x"', {}],
  ['an expression reading task.', 'worker.skill == task.need', { need: 'x' }],
])('the ready workers %s selects', (_, expression, taskAttributes) => {
  test('follow attribute and availability changes', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.workflow({
      task_routing: {
        filters: [{ expression: '1==1', targets: [{ queue: queue.sid, expression }] }],
      },
    });
    // Idle the longest and never selected: a task's scan rejects them before it reaches anyone
    // else, so its expression gets its index of selected workers at once.
    for (const name of ['Carol', 'Dave', 'Erin']) await s.worker(name, { skill: 'none' });
    const alice = await s.worker('Alice', { skill: 'y' });
    const bob = await s.worker('Bob', { skill: 'x' });
    const offeredTo = async () => {
      const task = await s.task(workflow.sid, taskAttributes);
      const workers = (await s.reservations(task.sid)).map((offer) => offer.worker_sid);
      await s.updateTask(task.sid, { AssignmentStatus: 'canceled', Reason: 'done' });
      return workers;
    };
    expect(await offeredTo()).toEqual([bob.sid]);
    await s.updateWorker(alice.sid, { Attributes: JSON.stringify({ skill: 'x' }) });
    await s.updateWorker(bob.sid, { Attributes: JSON.stringify({ skill: 'z' }) });
    expect(await offeredTo()).toEqual([alice.sid]);
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.offline });
    expect(await offeredTo()).toEqual([]);
    await s.updateWorker(bob.sid, { Attributes: JSON.stringify({ skill: 'x' }) });
    await s.updateWorker(alice.sid, { ActivitySid: s.activities.available });
    // Both match again; Bob's last reservation is older than Alice's, so he is the longest idle.
    expect(await offeredTo()).toEqual([bob.sid]);
  });
});
