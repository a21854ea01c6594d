/**
 * Remembered target expression results and the ready workers a worker-only expression selects
 * must never change a routing decision: after every step of random runs, each new reservation's
 * worker satisfies its task's expression as written, and no waiting task is left beside a ready
 * worker it accepts.
 */
import { compileExpression } from '@taskrouter/workflow-builder';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { scenario } from './routing-helpers.js';

const WORKERS = 6;
const SKILLS = ['s0', 's1', 's2'];
/** Worker-only, so routing uses its own index of selected ready workers. */
const BY_WORKER = 'worker.skill == "s0" OR worker.level > 2';
/** Reads the task too, so results are remembered per task group. */
const BY_TASK = 'task.need == worker.skill';

type Step =
  | { kind: 'task'; byWorker: boolean; need: number }
  | { kind: 'attributes'; worker: number; skill: number; level: number }
  | { kind: 'activity'; worker: number; available: boolean }
  | { kind: 'answer'; pick: number; accept: boolean }
  | { kind: 'complete'; pick: number };

const worker = fc.nat(WORKERS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('task' as const), byWorker: fc.boolean(), need: fc.nat(2) }),
  fc.record({
    kind: fc.constant('attributes' as const),
    worker,
    skill: fc.nat(2),
    level: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('activity' as const), worker, available: fc.boolean() }),
  fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(), accept: fc.boolean() }),
  fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }),
);

const expressions = { [BY_WORKER]: compileExpression(BY_WORKER), [BY_TASK]: compileExpression(BY_TASK) };

test('routing offers tasks exactly to the ready workers their expressions accept', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), async (steps) => {
      const s = await scenario();
      const queue = await s.queue();
      const workflow = await s.workflow({
        task_routing: {
          filters: [
            { expression: 'kind == "w"', targets: [{ queue: queue.sid, expression: BY_WORKER }] },
            { expression: 'kind == "t"', targets: [{ queue: queue.sid, expression: BY_TASK }] },
          ],
        },
      });
      const workers: string[] = [];
      for (let index = 0; index < WORKERS; index++) {
        workers.push((await s.worker(`w${index}`, { skill: SKILLS[index % 3], level: 1 + (index % 3) })).sid);
      }
      const seen = new Set<string>();
      for (const current of steps) {
        await apply(s, current, workflow.sid, workers);
        check(s, seen);
      }
    }),
    { numRuns: 40, seed: 16 },
  );
}, 60_000);

type S = Awaited<ReturnType<typeof scenario>>;

async function apply(s: S, current: Step, workflowSid: string, workers: string[]): Promise<void> {
  const reservations = s.emulator.inspect.reservations(s.sid);
  switch (current.kind) {
    case 'task':
      await s.task(workflowSid, { kind: current.byWorker ? 'w' : 't', need: SKILLS[current.need] });
      return;
    case 'attributes':
      await s.updateWorker(workers[current.worker]!, {
        Attributes: JSON.stringify({ skill: SKILLS[current.skill], level: current.level }),
      });
      return;
    case 'activity':
      await s.updateWorker(workers[current.worker]!, {
        ActivitySid: current.available ? s.activities.available : s.activities.unavailable,
        ...(current.available ? {} : { RejectPendingReservations: true }),
      });
      return;
    case 'answer': {
      const pending = reservations.filter((reservation) => reservation.reservation_status === 'pending');
      const chosen = pending[current.pick % Math.max(pending.length, 1)];
      if (chosen) {
        await s.answer(chosen.task_sid!, chosen.sid!, {
          ReservationStatus: current.accept ? 'accepted' : 'rejected',
        });
      }
      return;
    }
    case 'complete': {
      const assigned = s.emulator.inspect
        .tasks(s.sid)
        .filter((task) => task.assignment_status === 'assigned');
      const chosen = assigned[current.pick % Math.max(assigned.length, 1)];
      if (chosen) await s.updateTask(chosen.sid!, { AssignmentStatus: 'completed' });
      return;
    }
  }
}

function check(s: S, seen: Set<string>): void {
  const { inspect } = s.emulator;
  const tasks = new Map(inspect.tasks(s.sid).map((task) => [task.sid!, task]));
  const workers = inspect.workers(s.sid);
  const reservations = inspect.reservations(s.sid);
  const available = new Set(
    inspect
      .activities(s.sid)
      .filter((a) => a.available)
      .map((a) => a.sid),
  );
  const attributesOf = (json: string | null | undefined) =>
    JSON.parse(json ?? '{}') as Record<string, unknown>;
  const accepts = (taskSid: string, workerAttributes: Record<string, unknown>) => {
    const task = attributesOf(tasks.get(taskSid)?.attributes);
    const expression = expressions[task.kind === 'w' ? BY_WORKER : BY_TASK];
    return expression({}, { task, worker: workerAttributes });
  };
  for (const reservation of reservations) {
    if (seen.has(reservation.sid!)) continue;
    seen.add(reservation.sid!);
    const owner = workers.find((candidate) => candidate.sid === reservation.worker_sid)!;
    expect(
      accepts(reservation.task_sid!, attributesOf(owner.attributes)),
      'offered to a worker it rejects',
    ).toBe(true);
  }
  // Default channel of capacity 1: a worker is ready when available with no task in hand.
  const busy = new Set(
    reservations
      .filter(
        (reservation) =>
          reservation.reservation_status === 'pending' ||
          (reservation.reservation_status === 'accepted' &&
            ['assigned', 'wrapping'].includes(tasks.get(reservation.task_sid!)?.assignment_status ?? '')),
      )
      .map((reservation) => reservation.worker_sid),
  );
  const ready = workers.filter(
    (candidate) => available.has(candidate.activity_sid!) && !busy.has(candidate.sid),
  );
  const offered = new Set(
    reservations.filter((reservation) => reservation.reservation_status === 'pending').map((r) => r.task_sid),
  );
  for (const task of tasks.values()) {
    if (task.assignment_status !== 'pending' || offered.has(task.sid)) continue;
    for (const candidate of ready) {
      expect(
        accepts(task.sid!, attributesOf(candidate.attributes)),
        `${task.sid} waits beside ${candidate.sid}`,
      ).toBe(false);
    }
  }
}
