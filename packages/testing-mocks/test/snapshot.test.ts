import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createEmulator, type Emulator, EmulatorSnapshotError } from '../src/index.js';
import { apiClient } from './helpers.js';

type Api = ReturnType<typeof apiClient>;

/** One step a client can take; entities are chosen by position so a step means the same on any copy. */
type Step =
  | { kind: 'worker'; tier: 1 | 2; available: boolean }
  | { kind: 'activity'; worker: number; available: boolean }
  | { kind: 'task'; type: 'support' | 'sales'; priority: number; ttl: number }
  | { kind: 'priority'; task: number; priority: number }
  | { kind: 'attributes'; task: number; type: 'support' | 'sales' }
  | { kind: 'reservation'; task: number; status: 'accepted' | 'rejected' }
  | { kind: 'finish'; task: number; status: 'canceled' | 'wrapping' | 'completed' }
  | { kind: 'delete'; task: number }
  | { kind: 'reevaluate'; timeout: number }
  | { kind: 'advance'; seconds: number };

const index = fc.nat(12);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('worker' as const),
    tier: fc.constantFrom(1 as const, 2 as const),
    available: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('activity' as const), worker: index, available: fc.boolean() }),
  fc.record({
    kind: fc.constant('task' as const),
    type: fc.constantFrom('support' as const, 'sales' as const),
    priority: fc.nat(3),
    ttl: fc.constantFrom(90, 400, 3600),
  }),
  fc.record({ kind: fc.constant('priority' as const), task: index, priority: fc.nat(5) }),
  fc.record({
    kind: fc.constant('attributes' as const),
    task: index,
    type: fc.constantFrom('support' as const, 'sales' as const),
  }),
  fc.record({
    kind: fc.constant('reservation' as const),
    task: index,
    status: fc.constantFrom('accepted' as const, 'rejected' as const),
  }),
  fc.record({
    kind: fc.constant('finish' as const),
    task: index,
    status: fc.constantFrom('canceled' as const, 'wrapping' as const, 'completed' as const),
  }),
  fc.record({ kind: fc.constant('delete' as const), task: index }),
  fc.record({ kind: fc.constant('reevaluate' as const), timeout: fc.constantFrom(20, 45) }),
  fc.record({ kind: fc.constant('advance' as const), seconds: fc.constantFrom(1, 15, 30, 61, 125, 301) }),
);

/** A workspace whose workflow escalates from tier 1 to tier 2, with short reservation timeouts. */
async function prepare(api: Api): Promise<string> {
  const { body: workspace } = await api.post('/v1/Workspaces', {
    FriendlyName: 'Snapshots',
    MultiTaskEnabled: true,
  });
  const path = `/v1/Workspaces/${workspace.sid}`;
  const tier1 = (await api.post(`${path}/TaskQueues`, { FriendlyName: 'Tier 1', TargetWorkers: 'tier == 1' }))
    .body;
  const tier2 = (await api.post(`${path}/TaskQueues`, { FriendlyName: 'Tier 2', TargetWorkers: 'tier >= 1' }))
    .body;
  await api.post(`${path}/Workflows`, {
    FriendlyName: 'Escalation',
    TaskReservationTimeout: 30,
    Configuration: JSON.stringify(configuration(tier1.sid, tier2.sid, 60)),
  });
  return path;
}

function configuration(tier1: string, tier2: string, timeout: number) {
  return {
    task_routing: {
      filters: [
        {
          filter_friendly_name: 'Support',
          expression: "type == 'support'",
          targets: [
            { queue: tier1, timeout },
            { queue: tier2, timeout: timeout * 2, priority: 7 },
          ],
        },
      ],
      default_filter: { queue: tier2 },
    },
  };
}

async function list(
  api: Api,
  path: string,
  key: string,
  query: Record<string, string> = {},
): Promise<{ sid: string }[]> {
  return (await api.get(path, { PageSize: 1000, ...query })).body[key] ?? [];
}

/** Takes a step; the answer's status and body are what a client sees. */
async function apply(api: Api, path: string, action: Step): Promise<unknown> {
  const pick = <T>(items: T[], at: number): T | undefined => items[at % Math.max(items.length, 1)];
  const activities = await list(api, `${path}/Activities`, 'activities');
  const activity = (available: boolean) =>
    (activities as { sid: string; available: boolean }[]).find((item) => item.available === available)!.sid;
  const tasks = await list(api, `${path}/Tasks`, 'tasks');
  const task = pick(tasks, 'task' in action ? action.task : 0);
  let answer: { status: number; body: unknown } | undefined;
  switch (action.kind) {
    case 'worker':
      answer = await api.post(`${path}/Workers`, {
        FriendlyName: `Worker ${(await list(api, `${path}/Workers`, 'workers')).length}`,
        ActivitySid: activity(action.available),
        Attributes: JSON.stringify({ tier: action.tier }),
      });
      break;
    case 'activity': {
      const worker = pick(await list(api, `${path}/Workers`, 'workers'), action.worker);
      if (worker)
        answer = await api.post(`${path}/Workers/${worker.sid}`, { ActivitySid: activity(action.available) });
      break;
    }
    case 'task': {
      const workflows = await list(api, `${path}/Workflows`, 'workflows');
      answer = await api.post(`${path}/Tasks`, {
        WorkflowSid: workflows[0]!.sid,
        Attributes: JSON.stringify({ type: action.type }),
        Priority: action.priority,
        Timeout: action.ttl,
      });
      break;
    }
    case 'priority':
      if (task) answer = await api.post(`${path}/Tasks/${task.sid}`, { Priority: action.priority });
      break;
    case 'attributes':
      if (task)
        answer = await api.post(`${path}/Tasks/${task.sid}`, {
          Attributes: JSON.stringify({ type: action.type }),
        });
      break;
    case 'reservation': {
      if (!task) break;
      const pending = await list(api, `${path}/Tasks/${task.sid}/Reservations`, 'reservations', {
        ReservationStatus: 'pending',
      });
      if (pending[0])
        answer = await api.post(`${path}/Tasks/${task.sid}/Reservations/${pending[0].sid}`, {
          ReservationStatus: action.status,
        });
      break;
    }
    case 'finish':
      if (task)
        answer = await api.post(`${path}/Tasks/${task.sid}`, {
          AssignmentStatus: action.status,
          Reason: 'done',
        });
      break;
    case 'delete':
      if (task) answer = await api.delete(`${path}/Tasks/${task.sid}`);
      break;
    case 'reevaluate': {
      const queues = await list(api, `${path}/TaskQueues`, 'task_queues');
      const workflows = await list(api, `${path}/Workflows`, 'workflows');
      answer = await api.post(`${path}/Workflows/${workflows[0]!.sid}`, {
        Configuration: JSON.stringify(configuration(queues[0]!.sid, queues[1]!.sid, action.timeout)),
        ReEvaluateTasks: 'true',
      });
      break;
    }
    case 'advance':
      return emulatorOf.get(api)!.clock.advance(action.seconds * 1000);
  }
  return answer && { status: answer.status, body: answer.body };
}

const emulatorOf = new WeakMap<Api, Emulator>();

/** Every list and fetch answer of the account, statistics included. */
async function observe(api: Api): Promise<unknown> {
  const seen: Record<string, unknown> = {};
  const read = async (path: string, query?: Record<string, string>) => {
    const answer = await api.get(path, query);
    seen[`${path}?${new URLSearchParams(query)}`] = { status: answer.status, body: answer.body };
    return answer.body;
  };
  const workspaces = (await read('/v1/Workspaces')).workspaces as { sid: string }[];
  for (const { sid } of workspaces) {
    const path = `/v1/Workspaces/${sid}`;
    await read(path);
    for (const [collection, key] of [
      ['Activities', 'activities'],
      ['TaskChannels', 'channels'],
      ['TaskQueues', 'task_queues'],
      ['Workers', 'workers'],
      ['Workflows', 'workflows'],
      ['Tasks', 'tasks'],
    ] as const) {
      const items = ((await read(`${path}/${collection}`, { PageSize: '1000' }))[key] ?? []) as {
        sid: string;
      }[];
      for (const item of items) {
        await read(`${path}/${collection}/${item.sid}`);
        if (collection === 'Tasks') await read(`${path}/Tasks/${item.sid}/Reservations`);
        if (collection === 'Workers') {
          await read(`${path}/Workers/${item.sid}/Reservations`);
          await read(`${path}/Workers/${item.sid}/Channels`);
          await read(`${path}/Workers/${item.sid}/Statistics`, { Minutes: '600' });
        }
        if (collection === 'TaskQueues')
          await read(`${path}/TaskQueues/${item.sid}/Statistics`, { Minutes: '600' });
        if (collection === 'Workflows')
          await read(`${path}/Workflows/${item.sid}/Statistics`, { Minutes: '600' });
      }
    }
    await read(`${path}/Events`, { PageSize: '1000', Minutes: '10000' });
    await read(`${path}/Statistics`, { Minutes: '600' });
    await read(`${path}/Workers/Statistics`, { Minutes: '600' });
  }
  return seen;
}

function copyOf(emulator: Emulator): Emulator {
  return createEmulator({
    authToken: emulator.credentials.authToken,
    snapshot: JSON.parse(JSON.stringify(emulator.snapshot())),
  });
}

describe('emulator.snapshot() and createEmulator({ snapshot })', () => {
  test('a restored copy answers every list and fetch alike, and behaves alike afterwards, timers included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 40 }),
        fc.array(step, { minLength: 5, maxLength: 25 }),
        async (before, after) => {
          const original = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z') });
          const api = apiClient(original);
          emulatorOf.set(api, original);
          const path = await prepare(api);
          // Ends with a task waiting in its first step, so some routing timer is always pending.
          const waiting: Step = { kind: 'task', type: 'support', priority: 0, ttl: 3600 };
          for (const action of [...before, waiting]) await apply(api, path, action);

          const copy = copyOf(original);
          const copyApi = apiClient(copy);
          emulatorOf.set(copyApi, copy);
          expect(copy.credentials.accountSid).toBe(original.credentials.accountSid);
          expect(copy.clock.nowMs()).toBe(original.clock.nowMs());
          expect(await observe(copyApi)).toEqual(await observe(api));

          // New SIDs are random: compare the two runs with each SID replaced by its order of appearance.
          const names = [new Map<string, string>(), new Map<string, string>()];
          const normal = (value: unknown, at: 0 | 1) =>
            value === undefined
              ? value
              : JSON.parse(
                  JSON.stringify(value).replace(/\b[A-Z]{2}[0-9a-f]{32}\b/g, (sid) => {
                    const known = names[at]!;
                    if (!known.has(sid)) known.set(sid, `${sid.slice(0, 2)}#${known.size}`);
                    return known.get(sid)!;
                  }),
                );
          for (const action of [...after, { kind: 'advance', seconds: 3600 } as const]) {
            expect(normal(await apply(copyApi, path, action), 1)).toEqual(
              normal(await apply(api, path, action), 0),
            );
          }
          expect(normal(await observe(copyApi), 1)).toEqual(normal(await observe(api), 0));
          expect(normal(copy.snapshot().state, 1)).toEqual(normal(original.snapshot().state, 0));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  test('a task restored in the middle of its first step escalates at the same instant', async () => {
    const original = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z') });
    const api = apiClient(original);
    const path = await prepare(api);
    emulatorOf.set(api, original);
    await apply(api, path, { kind: 'task', type: 'support', priority: 0, ttl: 3600 });
    original.clock.advance(59_000);
    const copy = copyOf(original);
    const [task] = copy.inspect.tasks(path.slice(-34));
    copy.clock.advance(999);
    expect(copy.inspect.tasks(path.slice(-34))[0]?.task_queue_sid).toBe(task?.task_queue_sid);
    copy.clock.advance(1);
    const [escalated] = copy.inspect.tasks(path.slice(-34));
    expect(escalated?.task_queue_sid).not.toBe(task?.task_queue_sid);
    expect(escalated?.priority).toBe(7);
    const timeouts = copy.inspect
      .events(path.slice(-34))
      .filter((event) => event.event_type === 'task-queue.timeout');
    expect(timeouts.map((event) => event.event_date)).toEqual(['2030-01-01T00:01:00Z']);
  });

  test('the snapshot is plain JSON and detached from the emulator', () => {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace({ FriendlyName: 'Before', Template: 'FIFO' });
    const snapshot = emulator.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toMatchObject({ format: 'taskrouter-emulator-snapshot', version: 2 });
    emulator.seed.task(workspace.sid!);
    const copy = createEmulator({ snapshot });
    expect(copy.inspect.tasks(workspace.sid!)).toEqual([]);
    expect(copy.inspect.workspaces().map((item) => item.friendly_name)).toEqual(['Before']);
    // The seeding helpers' names continue where the original's stood.
    expect(copy.seed.workspace().friendly_name).toBe(emulator.seed.workspace().friendly_name);
  });

  test('a snapshot of another version, another format or a damaged one is refused, naming the field', () => {
    const snapshot = createEmulator().snapshot();
    const refusal = (value: unknown) => {
      try {
        createEmulator({ snapshot: value as never });
      } catch (error) {
        expect(error).toBeInstanceOf(EmulatorSnapshotError);
        return (error as EmulatorSnapshotError).field;
      }
      return 'accepted';
    };
    expect(refusal({ ...snapshot, version: 3 })).toBe('version');
    expect(refusal({ ...snapshot, format: 'other' })).toBe('format');
    expect(refusal([])).toBe('snapshot');
    expect(refusal({ ...snapshot, state: { ...snapshot.state, clock: null } })).toBe('state.clock');
    const [own] = snapshot.state.accounts as { store: { workspaces: unknown[] } }[];
    const withAccounts = (accounts: unknown) => ({ ...snapshot, state: { ...snapshot.state, accounts } });
    expect(refusal(withAccounts([{ ...own, store: { ...own!.store, workspaces: [{}] } }]))).toBe('state');
    expect(refusal(withAccounts([]))).toBe('state.accounts');
    expect(refusal(withAccounts([own, { ...own, authToken: 'x' }]))).toBe(
      'state.accounts[1].store.accountSid',
    );
    expect(refusal(withAccounts([{ ...own, routing: null }]))).toBe('state.accounts[0].routing');
    expect(() => createEmulator({ snapshot, accountSid: `AC${'0'.repeat(32)}` })).toThrow(
      /differs from the snapshot's account/,
    );
  });
});

describe('several accounts (any-credentials mode)', () => {
  const accountA = `AC${'a'.repeat(32)}`;
  const accountB = `AC${'b'.repeat(32)}`;
  /** A client calling `emulator` as `accountSid`. */
  const as = (emulator: Emulator, accountSid: string) =>
    apiClient({ ...emulator, credentials: { accountSid, authToken: `token-of-${accountSid}` } });
  /** Creates a support task that leaves Tier 1 after 60 s; returns its path. */
  async function waitingTask(api: Api): Promise<string> {
    const path = await prepare(api);
    const workflow = (await api.get(`${path}/Workflows`)).body.workflows[0];
    const task = await api.post(`${path}/Tasks`, {
      WorkflowSid: workflow.sid,
      Attributes: JSON.stringify({ type: 'support' }),
    });
    return `${path}/Tasks/${task.body.sid}`;
  }
  const queueName = async (api: Api, taskPath: string) => {
    const task = (await api.get(taskPath)).body;
    const queue = await api.get(`${taskPath.split('/Tasks/')[0]}/TaskQueues/${task.task_queue_sid}`);
    return queue.body.friendly_name;
  };

  test("advancing the one clock fires every account's timers, the emulator's own included", async () => {
    const emulator = createEmulator({
      acceptAnyCredentials: true,
      startTime: new Date('2030-01-01T00:00:00Z'),
    });
    const own = apiClient(emulator);
    const [a, b] = [as(emulator, accountA), as(emulator, accountB)];
    const tasks = [await waitingTask(own), await waitingTask(a), await waitingTask(b)];
    emulator.clock.advance(60_000);
    for (const [api, task] of [own, a, b].map((api, i) => [api, tasks[i]!] as const)) {
      expect(await queueName(api, task)).toBe('Tier 2');
    }
  });

  test('a snapshot holds every account with its timers; the restored copy escalates each at the same instant', async () => {
    const original = createEmulator({
      acceptAnyCredentials: true,
      startTime: new Date('2030-01-01T00:00:00Z'),
    });
    const taskA = await waitingTask(as(original, accountA));
    original.clock.advance(20_000);
    const taskB = await waitingTask(as(original, accountB));
    const snapshot = JSON.parse(JSON.stringify(original.snapshot()));
    expect(snapshot.version).toBe(2);
    expect(
      snapshot.state.accounts.map((account: { store: { accountSid: string } }) => account.store.accountSid),
    ).toEqual([original.credentials.accountSid, accountA, accountB]);

    const copy = createEmulator({ acceptAnyCredentials: true, snapshot });
    const [a, b] = [as(copy, accountA), as(copy, accountB)];
    expect((await a.get('/v1/Workspaces')).body.workspaces).toHaveLength(1);
    expect((await b.get(taskB)).status).toBe(200);
    expect((await a.get(taskB)).status).toBe(404);
    copy.clock.advance(40_000);
    expect(await queueName(a, taskA)).toBe('Tier 2');
    expect(await queueName(b, taskB)).toBe('Tier 1');
    copy.clock.advance(20_000);
    expect(await queueName(b, taskB)).toBe('Tier 2');
    const timeouts = (await b.get(`${taskB.split('/Tasks/')[0]}/Events`, { EventType: 'task-queue.timeout' }))
      .body.events;
    expect(timeouts.map((event: { event_date: string }) => event.event_date)).toEqual([
      '2030-01-01T00:01:20Z',
    ]);
  });

  test('a version 1 snapshot (one account) is still restored', async () => {
    const original = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z') });
    const task = await waitingTask(apiClient(original));
    const { state } = original.snapshot();
    const [own] = state.accounts as { store: unknown; routing: unknown }[];
    const older = {
      format: 'taskrouter-emulator-snapshot' as const,
      version: 1 as const,
      takenAt: '2030-01-01T00:00:00.000Z',
      state: { store: own!.store, routing: own!.routing, clock: state.clock, counter: state.counter },
    };
    const copy = createEmulator({ authToken: original.credentials.authToken, snapshot: older });
    expect(copy.credentials.accountSid).toBe(original.credentials.accountSid);
    expect(copy.snapshot().state).toEqual(state);
    copy.clock.advance(60_000);
    expect(await queueName(apiClient(copy), task)).toBe('Tier 2');
  });
});
