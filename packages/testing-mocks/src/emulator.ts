import { DEFAULT_BASE_URL, isSid, type OperationId } from '@taskrouter/core';
import { VirtualClock } from './domain/clock.js';
import { type CredentialPolicy, dispatch, type IncomingCall, invokeOperation } from './rest/dispatch.js';
import { invalidParameter, notFound } from './domain/errors.js';
import { createRateLimiter } from './rest/faults.js';
import { type EmulatorServer, startHttpServer } from './adapters/http-server.js';
import { isoDate } from './render/format.js';
import { CallbackDeliveries } from './routing/callbacks.js';
import { RoutingEngine } from './routing/engine.js';
import { newAuthToken, newSid } from './domain/sid.js';
import { Store, type WorkspaceState } from './domain/state.js';
import { renderActivity } from './render/activities.js';
import { renderEvent } from './render/events.js';
import { renderReservation } from './render/reservations.js';
import { renderTaskChannel } from './render/task-channels.js';
import { renderTaskQueue } from './render/task-queues.js';
import { renderTask } from './render/tasks.js';
import { renderWorker, renderWorkerChannel } from './render/workers.js';
import { renderWorkflow } from './render/workflows.js';
import { renderWorkspace } from './render/workspaces.js';
import type {
  Emulator,
  EmulatorInspector,
  EmulatorOptions,
  EmulatorSeeder,
  SeedValue,
} from './emulator/types.js';
import { createFetchAdapter } from './adapters/fetch.js';
import { attachState } from './emulator/internals.js';
import {
  restoreSnapshot,
  type SnapshotParts,
  snapshotAccountSid,
  takeSnapshot,
} from './emulator/snapshot.js';

/**
 * Creates an emulator of the TaskRouter v1 REST API with an empty account.
 *
 * @example
 * ```ts
 * import { createTaskRouterClient } from '@taskrouter/core';
 * import { createEmulator } from '@taskrouter/testing-mocks';
 *
 * const emulator = createEmulator();
 * const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
 * const { data } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Support' } });
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const savedAccountSid = options.snapshot === undefined ? undefined : snapshotAccountSid(options.snapshot);
  if (
    savedAccountSid !== undefined &&
    options.accountSid !== undefined &&
    options.accountSid !== savedAccountSid
  ) {
    throw new TypeError(
      `createEmulator: accountSid '${options.accountSid}' differs from the snapshot's account ${savedAccountSid}`,
    );
  }
  const accountSid = options.accountSid ?? savedAccountSid ?? newSid('AC');
  if (!isSid(accountSid, 'AC')) {
    throw new TypeError(
      `createEmulator: accountSid must be AC followed by 32 hex digits, got '${accountSid}'`,
    );
  }
  const authToken = options.authToken ?? newAuthToken();
  if (authToken === '') throw new TypeError('createEmulator: authToken must not be empty');
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!URL.canParse(baseUrl))
    throw new TypeError(`createEmulator: baseUrl must be an absolute URL, got '${baseUrl}'`);
  const origin = new URL(baseUrl).origin;
  const clock = new VirtualClock(options.startTime ?? new Date());
  if (options.clock === 'real') clock.followWallTime();
  const store = new Store(accountSid, clock);
  const deliveries = new CallbackDeliveries(
    store,
    authToken,
    () => options.callbackFetch ?? globalThis.fetch,
  );
  const engine = new RoutingEngine(store, deliveries);
  store.listener = engine;
  const policy: CredentialPolicy = {
    accountSid,
    authToken,
    acceptAny: options.acceptAnyCredentials ?? false,
  };
  const rateLimiter = createRateLimiter(options.faults);
  const answer = (call: IncomingCall) => dispatch(store, policy, call, rateLimiter);
  const servers = new Set<EmulatorServer>();
  const parts: SnapshotParts = { store, engine, counter: 0 };
  if (options.snapshot !== undefined) restoreSnapshot(parts, options.snapshot);

  const fetch = createFetchAdapter(answer);

  const workspace = (sid: string): WorkspaceState => {
    const found = store.workspaces.get(sid);
    if (!found) throw notFound(`/v1/Workspaces/${sid}`);
    return found;
  };
  const call = (
    operationId: OperationId,
    path: Record<string, string>,
    input: Record<string, SeedValue | undefined>,
  ): never => invokeOperation(store, origin, operationId, path, encodeSeedInput(input)).body as never;
  const named = (prefix: string) => `${prefix} ${++parts.counter}`;

  const seed: EmulatorSeeder = {
    workspace: (input = {}) => call('CreateWorkspace', {}, { FriendlyName: named('Workspace'), ...input }),
    activity: (WorkspaceSid, input = {}) =>
      call('CreateActivity', { WorkspaceSid }, { FriendlyName: named('Activity'), ...input }),
    taskChannel: (WorkspaceSid, input = {}) => {
      const name = `channel${++parts.counter}`;
      return call('CreateTaskChannel', { WorkspaceSid }, { FriendlyName: name, UniqueName: name, ...input });
    },
    taskQueue: (WorkspaceSid, input = {}) =>
      call('CreateTaskQueue', { WorkspaceSid }, { FriendlyName: named('Queue'), ...input }),
    worker: (WorkspaceSid, input = {}) =>
      call('CreateWorker', { WorkspaceSid }, { FriendlyName: named('Worker'), ...input }),
    workflow: (WorkspaceSid, input) =>
      call('CreateWorkflow', { WorkspaceSid }, { FriendlyName: named('Workflow'), ...input }),
    task: (WorkspaceSid, input = {}) => call('CreateTask', { WorkspaceSid }, { ...input }),
    reservation(workspaceSid, { taskSid, workerSid }) {
      const state = workspace(workspaceSid);
      const task = state.tasks.get(taskSid);
      const worker = state.workers.get(workerSid);
      if (!task) throw invalidParameter('taskSid', `task ${taskSid} does not exist in this workspace`);
      if (!worker)
        throw invalidParameter('workerSid', `worker ${workerSid} does not exist in this workspace`);
      if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
        throw invalidParameter(
          'taskSid',
          `task ${taskSid} is ${task.assignmentStatus}; only pending or reserved tasks can be reserved`,
        );
      }
      const open = (state.reservationsByTask.get(taskSid) ?? []).some(
        (reservation) => reservation.workerSid === workerSid && reservation.status === 'pending',
      );
      if (open)
        throw invalidParameter(
          'workerSid',
          `worker ${workerSid} already holds a pending reservation for task ${taskSid}`,
        );
      const reservation = engine.reserve(state, task, worker)!;
      return renderReservation(state, reservation, origin, 'task') as never;
    },
  };

  const inspect: EmulatorInspector = {
    workspaces: () => [...store.workspaces.values()].map((state) => renderWorkspace(state, origin)) as never,
    activities: (sid) => {
      const state = workspace(sid);
      return [...state.activities.values()].map((item) => renderActivity(state, item, origin)) as never;
    },
    taskChannels: (sid) => {
      const state = workspace(sid);
      return [...state.taskChannels.values()].map((item) => renderTaskChannel(state, item, origin)) as never;
    },
    taskQueues: (sid) => {
      const state = workspace(sid);
      return [...state.taskQueues.values()].map((item) => renderTaskQueue(state, item, origin)) as never;
    },
    workers: (sid) => {
      const state = workspace(sid);
      return [...state.workers.values()].map((item) => renderWorker(state, item, origin)) as never;
    },
    workerChannels: (sid, workerSid) => {
      const state = workspace(sid);
      const channels = state.workerChannels.get(workerSid);
      if (!channels) throw notFound(`${state.path}/Workers/${workerSid}/Channels`);
      return [...channels.values()].map((item) => renderWorkerChannel(state, item, origin)) as never;
    },
    workflows: (sid) => {
      const state = workspace(sid);
      return [...state.workflows.values()].map((item) => renderWorkflow(state, item, origin)) as never;
    },
    tasks: (sid) => {
      const state = workspace(sid);
      const now = clock.nowMs();
      return [...state.tasks.values()].map((item) => renderTask(state, item, origin, now)) as never;
    },
    reservations: (sid) => {
      const state = workspace(sid);
      return [...state.reservations.values()].map((item) =>
        renderReservation(state, item, origin, 'task'),
      ) as never;
    },
    events: (sid) => {
      const state = workspace(sid);
      return state.events.map((item) => renderEvent(state, item, origin)) as never;
    },
    instructions: (sid, reservationSid) => {
      const state = workspace(sid);
      const reservation = state.reservations.get(reservationSid);
      if (!reservation) throw notFound(`${state.path}/Reservations/${reservationSid}`);
      return [...reservation.instructions];
    },
  };

  const emulator: Emulator = {
    fetch,
    baseUrl,
    credentials: { accountSid, authToken },
    clock,
    seed,
    inspect,
    snapshot: () => takeSnapshot(parts),
    reset: () => {
      engine.reset();
      store.clear();
    },
    idle: () => deliveries.idle(),
    async listen(listenOptions) {
      if (options.clock === undefined) clock.followWallTime();
      const server = await startHttpServer(answer, listenOptions);
      const tracked: EmulatorServer = {
        url: server.url,
        close: async () => {
          servers.delete(tracked);
          await server.close();
        },
      };
      servers.add(tracked);
      return tracked;
    },
    close: async () => {
      await Promise.all([...servers].map((server) => server.close()));
    },
  };
  attachState(emulator, store);
  return emulator;
}

function encodeSeedInput(input: Record<string, SeedValue | undefined>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) values.set(key, value.map(String));
    else if (value instanceof Date) values.set(key, [isoDate(value.getTime())]);
    else if (typeof value === 'object') values.set(key, [JSON.stringify(value)]);
    else values.set(key, [String(value)]);
  }
  return values;
}
