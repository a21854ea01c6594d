import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkInvariants, createInvariantChecker, runSoak } from '../src/index.js';
import { scenario } from './routing-helpers.js';
import { stateOf } from '../src/emulator/internals.js';

/** A workspace with one available worker holding an accepted task. */
async function busyWorker() {
  const s = await scenario();
  const queue = await s.queue();
  const workflow = await s.defaultWorkflow(queue.sid);
  const alice = await s.worker('Alice');
  const task = await s.task(workflow.sid);
  const [offer] = await s.reservations(task.sid);
  await s.answer(task.sid, offer!.sid, { ReservationStatus: 'accepted' });
  const state = stateOf(s.emulator).workspaces.get(s.sid)!;
  return { s, workflow, alice, task, state, reservation: state.reservations.get(offer!.sid)! };
}

describe('the invariant checker', () => {
  test('finds nothing wrong after ordinary routing', async () => {
    const { s } = await busyWorker();
    expect(checkInvariants(s.emulator)).toEqual([]);
  });

  test('reports a worker channel over its capacity', async () => {
    const { s, workflow, alice } = await busyWorker();
    const second = await s.task(workflow.sid);
    // Seeding offers a task regardless of eligibility, so it can overfill a channel.
    s.emulator.seed.reservation(s.sid, { taskSid: second.sid, workerSid: alice.sid });
    expect(checkInvariants(s.emulator).map((violation) => violation.invariant)).toEqual(['capacity']);
  });

  test('allows a channel over capacity when the capacity was lowered afterwards', async () => {
    const { s, alice } = await busyWorker();
    await s.channel(alice.sid, 'default', { Capacity: 0 });
    expect(checkInvariants(s.emulator)).toEqual([]);
  });

  test('reports double assignment, statuses that disagree and missing terminal events', async () => {
    const { s, task, state, reservation } = await busyWorker();
    const checker = createInvariantChecker(s.emulator);
    expect(checker.check()).toEqual([]);
    const copy = { ...reservation, sid: `WR${'1'.repeat(32)}` };
    state.reservationsByTask.get(task.sid)!.push(copy);
    state.tasks.get(task.sid)!.assignmentStatus = 'completed';
    // The incremental checker looks at what the next events name.
    await s.updateTask(task.sid, { Priority: 3 });
    const found = checker.check().map((violation) => violation.invariant);
    expect(found).toEqual(['single-assignment', 'terminal-state', 'consistency']);
  });
});

describe('soak', () => {
  test('16 concurrent clients, random valid and invalid operations and clock advances: every invariant holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const report = await runSoak({ seed, steps: 2000 });
        expect(report.violations).toEqual([]);
        expect(report.clients).toBe(16);
        // The mix really exercised routing, refusals and paging.
        expect(report.reservations.accepted).toBeGreaterThan(0);
        expect(report.refused).toBeGreaterThan(0);
        expect(report.listWalks).toBeGreaterThan(0);
        // Every task ended in a terminal state, or was deleted before it could.
        const unfinished = report.tasks.created - report.tasks.completed - report.tasks.canceled;
        expect(unfinished).toBeGreaterThanOrEqual(0);
        expect(unfinished).toBeLessThanOrEqual(report.tasks.deleted);
      }),
      { seed: 20_300_101, numRuns: 3 },
    );
    // Three runs of 2,000 steps: well within a minute even on a busy machine.
  }, 60_000);

  test('the same seed replays the same run', async () => {
    const [first, second] = [await runSoak({ seed: 7, steps: 300 }), await runSoak({ seed: 7, steps: 300 })];
    expect(second).toEqual(first);
  });

  test('refuses nonsense settings', async () => {
    await expect(runSoak({ seed: 1, steps: -1 })).rejects.toThrow(/steps/);
    await expect(runSoak({ seed: 1, steps: 1, clients: 0 })).rejects.toThrow(/clients/);
  });
});
