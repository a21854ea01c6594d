import { createEmulator } from '../emulator.js';
import { createInvariantChecker, type InvariantViolation } from './invariants.js';
import type { Emulator } from '../emulator/types.js';
import { stateOf } from '../emulator/internals.js';

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

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary TaskRouter JSON
  body: any;
}

/** A small, fast, seedable pseudo-random generator (mulberry32). */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (below: number) => Math.floor(next() * below),
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)],
  };
}

const SKILLS = ['billing', 'sales', 'support', 'vip'];
const CHANNELS = ['default', 'voice', 'chat'];
const ASSIGNMENT_URL = 'https://soak.invalid/assignment';

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
  const rng = random(seed);
  // Assignment callbacks answer at random too: accept, reject, leave pending, or fail.
  const emulator: Emulator = createEmulator({
    startTime: new Date('2030-01-01T00:00:00Z'),
    clock: 'virtual',
    callbackFetch: async () => {
      const roll = rng.int(4);
      if (roll === 0) return Response.json({ instruction: 'accept' });
      if (roll === 1) return Response.json({ instruction: 'reject' });
      if (roll === 2) return new Response(null, { status: 204 });
      return new Response('unavailable', { status: 503 });
    },
  });
  const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
  let requests = 0;
  let refused = 0;
  const violations: (InvariantViolation & { step: number })[] = [];
  let step = 0;

  const call = async (
    method: string,
    target: string,
    params: Record<string, string | number | boolean> = {},
    headers: Record<string, string> = {},
  ) => {
    const url = target.startsWith('http') ? new URL(target) : new URL(`${emulator.baseUrl}${target}`);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) form.set(key, String(value));
    const init: RequestInit = { method, headers: { authorization, ...headers } };
    if (method === 'POST') init.body = form;
    else for (const [key, value] of form) url.searchParams.set(key, value);
    requests++;
    const response = await emulator.fetch(url, init);
    const text = await response.text();
    const answer: Answer = { status: response.status, body: text === '' ? null : JSON.parse(text) };
    if (answer.status >= 500) {
      violations.push({
        invariant: 'no-server-error',
        message: `${method} ${url.pathname} answered ${text}`,
        step,
      });
    } else if (answer.status >= 400) refused++;
    return answer;
  };

  // The stage: a multitasking workspace, queues by skill, a workflow with timeouts, skip_if and
  // a known-worker step, and workers with random skills.
  const workspace = (
    await call('POST', '/v1/Workspaces', {
      FriendlyName: 'Soak',
      PrioritizeQueueOrder: rng.pick(['FIFO', 'LIFO'])!,
    })
  ).body;
  const base = `/v1/Workspaces/${workspace.sid}`;
  const activities = (await call('GET', `${base}/Activities`)).body.activities as {
    sid: string;
    available: boolean;
  }[];
  const queues: string[] = [];
  for (const skill of SKILLS) {
    const queue = await call('POST', `${base}/TaskQueues`, {
      FriendlyName: skill,
      TargetWorkers: `skills HAS '${skill}'`,
      MaxReservedWorkers: 1 + rng.int(3),
      TaskOrder: rng.chance(0.25) ? 'LIFO' : 'FIFO',
    });
    queues.push(queue.body.sid);
  }
  const everyone = (await call('POST', `${base}/TaskQueues`, { FriendlyName: 'everyone' })).body
    .sid as string;
  const configuration = (timeout: number) =>
    JSON.stringify({
      task_routing: {
        filters: [
          {
            expression: 'returning == true',
            targets: [
              { queue: everyone, known_worker_sid: 'task.agent', timeout: 20 },
              { queue: everyone, timeout },
            ],
          },
          ...SKILLS.map((skill, index) => ({
            expression: `skill == '${skill}'`,
            targets: [
              { queue: queues[index]!, timeout, priority: 5, skip_if: 'workers.available == 0' },
              { queue: queues[index]!, expression: 'worker.level >= task.level', timeout },
              { queue: everyone, priority: 10, timeout: timeout * 2 },
            ],
          })),
        ],
        default_filter: { queue: everyone },
      },
    });
  const workflows: string[] = [];
  for (const [index, callback] of [
    [0, true],
    [1, false],
  ] as const) {
    const workflow = await call('POST', `${base}/Workflows`, {
      FriendlyName: `Soak ${index}`,
      Configuration: configuration(30 + 30 * index),
      TaskReservationTimeout: 20 + 40 * index,
      ...(callback ? { AssignmentCallbackUrl: ASSIGNMENT_URL } : {}),
    });
    workflows.push(workflow.body.sid);
  }
  const workers: string[] = [];
  for (let index = 0; index < workerCount; index++) {
    const skills = SKILLS.filter(() => rng.chance(0.4));
    const worker = await call('POST', `${base}/Workers`, {
      FriendlyName: `Worker ${index}`,
      Attributes: JSON.stringify({ skills, level: rng.int(4) }),
      ActivitySid: rng.pick(activities)!.sid,
    });
    workers.push(worker.body.sid);
  }

  const store = stateOf(emulator);
  const state = store.workspaces.get(workspace.sid)!;
  const taskSids = () => [...state.tasks.keys()];
  const randomTask = () => rng.pick(taskSids()) ?? `WT${'0'.repeat(32)}`;
  const pendingReservation = () => {
    const pending = [...state.reservations.values()].filter((item) => item.status === 'pending');
    return rng.pick(pending);
  };
  const anyReservation = () => rng.pick([...state.reservations.values()]);
  let listWalks = 0;

  /** Walks a paged list while others change the state: no item twice, and none of those present throughout missed. */
  const walk = async (
    path: string,
    key: string,
    query: Record<string, string | number>,
    current: () => Set<string>,
  ) => {
    listWalks++;
    const before = current();
    const seen = new Map<string, number>();
    // Small pages now and then: more page boundaries for the others' changes to fall between.
    const pageSize = rng.chance(0.25) ? 1 + rng.int(5) : 10 + rng.int(40);
    let page = await call('GET', path, { ...query, PageSize: pageSize });
    for (;;) {
      for (const item of page.body[key] as { sid: string }[])
        seen.set(item.sid, (seen.get(item.sid) ?? 0) + 1);
      const next = page.body.meta.next_page_url as string | null;
      if (!next) break;
      page = await call('GET', next);
      if (page.status !== 200) return;
    }
    const after = current();
    for (const [sid, count] of seen) {
      if (count > 1)
        violations.push({
          invariant: 'paging',
          message: `list ${path} returned ${sid} ${count} times`,
          step,
        });
    }
    for (const sid of before) {
      if (after.has(sid) && !seen.has(sid)) {
        violations.push({ invariant: 'paging', message: `list ${path} missed ${sid}`, step });
      }
    }
  };

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
  const chooseOperation = () => {
    let roll = rng.int(total);
    for (let index = 0; index < operations.length; index++) {
      roll -= weights[index]!;
      if (roll < 0) return operations[index]!;
    }
    return operations[0]!;
  };

  const checker = createInvariantChecker(emulator);
  const client = async () => {
    while (step < steps) {
      step++;
      await chooseOperation()();
      for (const violation of checker.check()) violations.push({ ...violation, step });
    }
  };
  await Promise.all(Array.from({ length: clientCount }, client));

  // The end: finish accepted work, let everything else run out its TTL.
  await emulator.idle();
  for (const task of [...state.tasks.values()]) {
    if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
      await call('POST', `${base}/Tasks/${task.sid}`, { AssignmentStatus: 'completed' });
    }
  }
  emulator.clock.advance(24 * 3600_000);
  await emulator.idle();
  for (const task of [...state.tasks.values()]) {
    if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
      await call('POST', `${base}/Tasks/${task.sid}`, { AssignmentStatus: 'completed' });
    }
  }
  for (const violation of createInvariantChecker(emulator).check()) violations.push({ ...violation, step });
  for (const task of state.tasks.values()) {
    if (task.assignmentStatus !== 'completed' && task.assignmentStatus !== 'canceled') {
      violations.push({
        invariant: 'terminal-state',
        message: `task ${task.sid} never ended: ${task.assignmentStatus}`,
        step,
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
    requests,
    refused,
    tasks: {
      created: count('task.created'),
      completed: count('task.completed'),
      canceled: count('task.canceled'),
      deleted: count('task.deleted'),
    },
    reservations: { created: count('reservation.created'), accepted: count('reservation.accepted') },
    listWalks,
    violations,
  };
}
