/**
 * The operation table of a soak run: random valid and invalid operations on tasks, reservations,
 * workers, channels, queues and workflows, clock advances and paged list walks, with their weights.
 */
import { CHANNELS, SKILLS, type SoakStage } from './soak-setup.js';
import type { SoakSession } from './soak-session.js';

/** A function that picks the next operation at random, by weight. */
export function soakOperations(session: SoakSession, stage: SoakStage): () => () => Promise<unknown> {
  const { rng, emulator } = session;
  const call = session.call.bind(session);
  const walk = session.walk.bind(session);
  const { base, activities, queues, workflows, workers, configuration, state } = stage;
  const taskSids = () => [...state.tasks.keys()];
  const randomTask = () => rng.pick(taskSids()) ?? `WT${'0'.repeat(32)}`;
  const pendingReservation = () => {
    const pending = [...state.reservations.values()].filter((item) => item.status === 'pending');
    return rng.pick(pending);
  };
  const anyReservation = () => rng.pick([...state.reservations.values()]);

  const operations: (() => Promise<unknown>)[] = [
    // Tasks: create (sometimes with invalid input), update, cancel, finish, delete.
    () =>
      call('POST', `${base}/Tasks`, {
        WorkflowSid: rng.pick(workflows)!,
        Attributes: JSON.stringify({
          skill: rng.pick([...SKILLS, 'other'])!,
          level: rng.int(4),
          returning: rng.chance(0.2),
          agent: rng.pick(workers)!,
        }),
        Priority: rng.chance(0.05) ? -1 : rng.int(10),
        TaskChannel: rng.chance(0.05) ? 'fax' : rng.pick(CHANNELS)!,
        Timeout: 60 + rng.int(600),
      }),
    () =>
      call('POST', `${base}/Tasks/${randomTask()}`, {
        AssignmentStatus: rng.pick(['canceled', 'wrapping', 'completed', 'pending'])!,
      }),
    () =>
      call('POST', `${base}/Tasks/${randomTask()}`, {
        Attributes: JSON.stringify({ skill: rng.pick(SKILLS)!, level: rng.int(4) }),
      }),
    () => call('POST', `${base}/Tasks/${randomTask()}`, { Priority: rng.int(20) }),
    () => call('DELETE', `${base}/Tasks/${randomTask()}`),
    // Finished tasks are purged (TaskRouter deletes them after a while), which keeps lists short.
    async () => {
      const finished = [...state.tasks.values()].filter(
        (task) => task.assignmentStatus === 'completed' || task.assignmentStatus === 'canceled',
      );
      const task = rng.pick(finished);
      if (task) await call('DELETE', `${base}/Tasks/${task.sid}`);
    },
    // Reservations: accept or reject pending ones, and answer ended ones (refused).
    async () => {
      const reservation = pendingReservation();
      if (!reservation) return;
      const status = rng.chance(0.6) ? 'accepted' : 'rejected';
      const params: Record<string, string> = { ReservationStatus: status };
      if (status === 'rejected' && rng.chance(0.3)) params.WorkerActivitySid = rng.pick(activities)!.sid;
      await call('POST', `${base}/Workers/${reservation.workerSid}/Reservations/${reservation.sid}`, params);
    },
    async () => {
      const reservation = anyReservation();
      if (!reservation) return;
      await call('POST', `${base}/Tasks/${reservation.taskSid}/Reservations/${reservation.sid}`, {
        ReservationStatus: rng.pick(['accepted', 'rejected', 'completed', 'wrapping'])!,
      });
    },
    async () => {
      const reservation = pendingReservation();
      if (reservation) {
        await call('POST', `${base}/Tasks/${reservation.taskSid}/Reservations/${reservation.sid}`, {
          Instruction: 'conference',
        });
      }
    },
    // Workers: activities, attributes, channels.
    () => {
      const activity = rng.pick(activities)!;
      return call('POST', `${base}/Workers/${rng.pick(workers)!}`, {
        ActivitySid: activity.sid,
        ...(!activity.available && rng.chance(0.5) ? { RejectPendingReservations: true } : {}),
      });
    },
    () =>
      call('POST', `${base}/Workers/${rng.pick(workers)!}`, {
        Attributes: JSON.stringify({ skills: SKILLS.filter(() => rng.chance(0.4)), level: rng.int(4) }),
      }),
    () =>
      call('POST', `${base}/Workers/${rng.pick(workers)!}/Channels/${rng.pick(CHANNELS)!}`, {
        Capacity: rng.int(4),
        Available: rng.chance(0.85),
      }),
    // Queues and workflows.
    () =>
      call('POST', `${base}/TaskQueues/${rng.pick(queues)!}`, {
        MaxReservedWorkers: 1 + rng.int(3),
        ...(rng.chance(0.3) ? { TargetWorkers: `skills HAS '${rng.pick(SKILLS)!}'` } : {}),
      }),
    () =>
      call('POST', `${base}/Workflows/${rng.pick(workflows)!}`, {
        Configuration: configuration(20 + 10 * rng.int(6)),
        ReEvaluateTasks: rng.chance(0.5),
      }),
    // Invalid requests: unknown resources and stale versions.
    () => call('GET', `${base}/Tasks/WT${'f'.repeat(32)}`),
    () => call('POST', `${base}/Workers/${rng.pick(workers)!}`, { FriendlyName: 'Renamed' }),
    () => call('POST', `${base}/Tasks/${randomTask()}`, { Priority: 1 }, { 'If-Match': '999999' }),
    // Time.
    async () => {
      emulator.clock.advance(rng.int(45_000));
    },
    async () => {
      await emulator.idle();
    },
    // Lists walked page by page while the others keep going.
    () => walk(`${base}/Tasks`, 'tasks', {}, () => new Set(state.tasks.keys())),
    () => walk(`${base}/Tasks`, 'tasks', { Ordering: 'DateCreated:desc' }, () => new Set(state.tasks.keys())),
    () => walk(`${base}/Workers`, 'workers', {}, () => new Set(state.workers.keys())),
    () => {
      const worker = rng.pick(workers)!;
      const held = () => new Set((state.reservationsByWorker.get(worker) ?? []).map((item) => item.sid));
      return walk(`${base}/Workers/${worker}/Reservations`, 'reservations', {}, held);
    },
  ];
  // Task creation, purging and reservation answers are the heart of the mix.
  const weights = operations.map((_, index) => [6, 1, 1, 1, 1, 4, 5][index] ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return () => {
    let roll = rng.int(total);
    for (let index = 0; index < operations.length; index++) {
      roll -= weights[index]!;
      if (roll < 0) return operations[index]!;
    }
    return operations[0]!;
  };
}
