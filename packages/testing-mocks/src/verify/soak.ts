/** The soak runner: clients issuing operations concurrently, invariants checked after every step. */
import { createInvariantChecker, type InvariantViolation } from './invariants.js';
import { soakOperations } from './soak-operations.js';
import { SoakSession } from './soak-session.js';
import { setUpStage } from './soak-setup.js';

/** Settings of {@link runSoak}. */
export interface SoakOptions {
  /** Seed of the pseudo-random choices; the same seed replays the same run. */
  seed: number;
  /** Operations to issue, across all clients. */
  steps: number;
  /** Clients issuing operations concurrently; 16 by default. */
  clients?: number;
  /** Workers in the workspace; 24 by default. */
  workers?: number;
}

/** What a soak did and what it found. */
export interface SoakReport {
  readonly seed: number;
  readonly steps: number;
  readonly clients: number;
  /** Requests sent, and how many the emulator refused with a 4xx (invalid operations are part of the mix). */
  readonly requests: number;
  readonly refused: number;
  /** Tasks created, and how each ended. */
  readonly tasks: {
    readonly created: number;
    readonly completed: number;
    readonly canceled: number;
    readonly deleted: number;
  };
  /** Reservations made by routing, and how many were accepted. */
  readonly reservations: { readonly created: number; readonly accepted: number };
  /** Paged list walks that ran while other clients changed the state. */
  readonly listWalks: number;
  /** Every invariant violation seen, with the step after which it was seen; empty when all held. */
  readonly violations: readonly (InvariantViolation & { readonly step: number })[];
}

/**
 * Runs many concurrent clients against one emulator, issuing random valid and invalid
 * operations (tasks, reservations, workers, channels, queues, workflows, clock advances, paged
 * lists), and checks routing's invariants after every step. At the end every task is brought to
 * an end (accepted work completed, the rest past its TTL) and must end in exactly one terminal
 * state. Deterministic for a given seed.
 *
 * @example
 * ```ts
 * const report = await runSoak({ seed: 42, steps: 5000 });
 * if (report.violations.length > 0) console.error(report.violations);
 * ```
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { seed, steps } = options;
  const clientCount = options.clients ?? 16;
  const workerCount = options.workers ?? 24;
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`runSoak: steps must be an integer >= 0, got ${steps}`);
  if (!Number.isInteger(clientCount) || clientCount < 1) {
    throw new RangeError(`runSoak: clients must be an integer >= 1, got ${clientCount}`);
  }
  const session = new SoakSession(seed);
  const { emulator } = session;
  const stage = await setUpStage(session, workerCount);
  const { base, state } = stage;
  const chooseOperation = soakOperations(session, stage);
  const call = session.call.bind(session);
  const { violations } = session;

  const checker = createInvariantChecker(emulator);
  const client = async () => {
    while (session.step < steps) {
      session.step++;
      await chooseOperation()();
      for (const violation of checker.check()) violations.push({ ...violation, step: session.step });
    }
  };
  await Promise.all(Array.from({ length: clientCount }, client));

  // The end: finish accepted work, let everything else run out its TTL.
  const completeAssignedTasks = async () => {
    for (const task of [...state.tasks.values()]) {
      if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
        await call('POST', `${base}/Tasks/${task.sid}`, { AssignmentStatus: 'completed' });
      }
    }
  };
  await emulator.idle();
  await completeAssignedTasks();
  emulator.clock.advance(24 * 3600_000);
  await emulator.idle();
  await completeAssignedTasks();
  for (const violation of createInvariantChecker(emulator).check())
    violations.push({ ...violation, step: session.step });
  for (const task of state.tasks.values()) {
    if (task.assignmentStatus !== 'completed' && task.assignmentStatus !== 'canceled') {
      violations.push({
        invariant: 'terminal-state',
        message: `task ${task.sid} never ended: ${task.assignmentStatus}`,
        step: session.step,
      });
    }
  }

  const counts = new Map<string, number>();
  for (const event of state.events) counts.set(event.eventType, (counts.get(event.eventType) ?? 0) + 1);
  const count = (type: string) => counts.get(type) ?? 0;
  return {
    seed,
    steps,
    clients: clientCount,
    requests: session.requests,
    refused: session.refused,
    tasks: {
      created: count('task.created'),
      completed: count('task.completed'),
      canceled: count('task.canceled'),
      deleted: count('task.deleted'),
    },
    reservations: { created: count('reservation.created'), accepted: count('reservation.accepted') },
    listWalks: session.listWalks,
    violations,
  };
}
