import {
  DEFAULT_BASE_URL,
  DIRECT_SEND,
  type DirectSend,
  isSid,
  type OperationId,
  type operations,
  type Schemas,
  type WireRequest,
} from '@taskrouter/core';
import { VirtualClock } from './clock.js';
import {
  answerFor,
  answerHeaders,
  type CredentialPolicy,
  dispatch,
  type IncomingCall,
  invokeOperation,
  MAX_BODY_BYTES,
  type OutgoingAnswer,
  tooLarge,
} from './dispatch.js';
import { invalidParameter, notFound } from './errors.js';
import { createRateLimiter, type EmulatorFaults } from './faults.js';
import { type EmulatorServer, type ListenOptions, startHttpServer } from './http-server.js';
import { isoDate } from './render.js';
import { renderActivity } from './resources/activities.js';
import { renderEvent } from './resources/events.js';
import { renderReservation } from './resources/reservations.js';
import { renderTaskChannel } from './resources/task-channels.js';
import { renderTaskQueue } from './resources/task-queues.js';
import { renderTask } from './resources/tasks.js';
import { renderWorker, renderWorkerChannel } from './resources/workers.js';
import { renderWorkflow } from './resources/workflows.js';
import { renderWorkspace } from './resources/workspaces.js';
import { CallbackDeliveries } from './routing/callbacks.js';
import { RoutingEngine } from './routing/engine.js';
import { newAuthToken, newSid } from './sid.js';
import { type InstructionRecord, Store, type WorkspaceState } from './state.js';

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Account the emulator belongs to (`AC…`); a random one when omitted. */
  accountSid?: string;
  /** Auth token it accepts; a random one when omitted. */
  authToken?: string;
  /** Base URL of the seeding and inspection helpers' answers; defaults to TaskRouter's own. */
  baseUrl?: string;
  /** What the virtual clock shows at first; defaults to the real current time. */
  startTime?: Date;
  /** Accept any Basic credentials instead of only {@link Emulator.credentials}. */
  acceptAnyCredentials?: boolean;
  /**
   * How time passes. `'virtual'`: only {@link VirtualClock.advance} moves it, so timeouts fire
   * exactly when a test says. `'real'`: it follows wall time and timers fire on their own. When
   * left out the clock is virtual until {@link Emulator.listen} starts a server, which switches
   * it to real time.
   */
  clock?: 'virtual' | 'real';
  /**
   * The fetch that delivers event and assignment callbacks; defaults to `globalThis.fetch` at
   * delivery time. Pass a function to capture callbacks in tests and answer them.
   */
  callbackFetch?: typeof globalThis.fetch;
  /** Failures to inject on purpose, such as `429` answers to test a client's retries. */
  faults?: EmulatorFaults;
}

/** A value the seeding helpers encode into a form field. */
export type SeedValue =
  | string
  | number
  | boolean
  | Date
  | readonly string[]
  | { readonly [key: string]: unknown };

/** The form fields of an operation's request body, as the spec declares them. */
export type OperationFormBody<Op extends OperationId> = operations[Op] extends {
  requestBody?: { content: { 'application/x-www-form-urlencoded': infer Body } };
}
  ? Body
  : never;

/**
 * Parameters of a create operation with their PascalCase names; values may be plain JSON for
 * `Attributes` and `Configuration`, numbers, booleans, dates or string lists.
 */
export type SeedInput<Op extends OperationId> = { [Key in keyof OperationFormBody<Op>]?: SeedValue };

/**
 * Creates resources directly, through the same validation as the REST API, without HTTP or
 * credentials. Invalid input throws {@link EmulatorRequestError} with the API's message.
 */
export interface EmulatorSeeder {
  /** A workspace (name defaults to `Workspace <n>`). */
  workspace(input?: SeedInput<'CreateWorkspace'>): Schemas['taskrouter.v1.workspace'];
  /** An activity (name defaults to `Activity <n>`). */
  activity(
    workspaceSid: string,
    input?: SeedInput<'CreateActivity'>,
  ): Schemas['taskrouter.v1.workspace.activity'];
  /** A task channel (names default to `channel<n>`). */
  taskChannel(
    workspaceSid: string,
    input?: SeedInput<'CreateTaskChannel'>,
  ): Schemas['taskrouter.v1.workspace.task_channel'];
  /** A task queue (name defaults to `Queue <n>`). */
  taskQueue(
    workspaceSid: string,
    input?: SeedInput<'CreateTaskQueue'>,
  ): Schemas['taskrouter.v1.workspace.task_queue'];
  /** A worker (name defaults to `Worker <n>`). */
  worker(workspaceSid: string, input?: SeedInput<'CreateWorker'>): Schemas['taskrouter.v1.workspace.worker'];
  /** A workflow; `Configuration` is required (name defaults to `Workflow <n>`). */
  workflow(
    workspaceSid: string,
    input: SeedInput<'CreateWorkflow'>,
  ): Schemas['taskrouter.v1.workspace.workflow'];
  /** A task. */
  task(workspaceSid: string, input?: SeedInput<'CreateTask'>): Schemas['taskrouter.v1.workspace.task'];
  /**
   * A pending reservation of a pending or reserved task for a worker, as routing would make it.
   * Useful to test reservation handling code.
   */
  reservation(
    workspaceSid: string,
    input: { taskSid: string; workerSid: string },
  ): Schemas['taskrouter.v1.workspace.task.task_reservation'];
}

/** Reads the emulator's state as API bodies, unpaged and without time windows. */
export interface EmulatorInspector {
  /** Every workspace. */
  workspaces(): Schemas['taskrouter.v1.workspace'][];
  /** The workspace's activities. */
  activities(workspaceSid: string): Schemas['taskrouter.v1.workspace.activity'][];
  /** The workspace's task channels. */
  taskChannels(workspaceSid: string): Schemas['taskrouter.v1.workspace.task_channel'][];
  /** The workspace's task queues. */
  taskQueues(workspaceSid: string): Schemas['taskrouter.v1.workspace.task_queue'][];
  /** The workspace's workers. */
  workers(workspaceSid: string): Schemas['taskrouter.v1.workspace.worker'][];
  /** One worker's channels. */
  workerChannels(
    workspaceSid: string,
    workerSid: string,
  ): Schemas['taskrouter.v1.workspace.worker.worker_channel'][];
  /** The workspace's workflows. */
  workflows(workspaceSid: string): Schemas['taskrouter.v1.workspace.workflow'][];
  /** The workspace's tasks, in every status. */
  tasks(workspaceSid: string): Schemas['taskrouter.v1.workspace.task'][];
  /** The workspace's reservations, as seen below their tasks. */
  reservations(workspaceSid: string): Schemas['taskrouter.v1.workspace.task.task_reservation'][];
  /** Every recorded event, oldest first. */
  events(workspaceSid: string): Schemas['taskrouter.v1.workspace.event'][];
  /** Instructions (conference, dequeue, call, redirect, supervise…) sent for a reservation. */
  instructions(workspaceSid: string, reservationSid: string): InstructionRecord[];
}

/** A stateful in-memory TaskRouter. */
export interface Emulator {
  /**
   * A `fetch` that answers TaskRouter requests in-process, without sockets. It also offers
   * `@taskrouter/core`'s `DIRECT_SEND`, so a core client given this fetch sends without building a
   * `Request` or reading body streams.
   */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Base URL of answers built without a request (seeding, inspection). */
  readonly baseUrl: string;
  /** Credentials the emulator accepts. */
  readonly credentials: { readonly accountSid: string; readonly authToken: string };
  /** Virtual time: `now()`, `advance(ms)`. */
  readonly clock: VirtualClock;
  /** Creates resources directly, with the API's validation. */
  readonly seed: EmulatorSeeder;
  /** Reads the whole state as API bodies. */
  readonly inspect: EmulatorInspector;
  /** Forgets every workspace and pending timer. Credentials, clock time and servers stay. */
  reset(): void;
  /**
   * Resolves once every callback delivery has finished and its answer has been acted on,
   * including deliveries those answers caused.
   */
  idle(): Promise<void>;
  /** Starts a real HTTP server on this emulator's state. */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
  /** Closes every server started by {@link Emulator.listen}. */
  close(): Promise<void>;
}

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
  const accountSid = options.accountSid ?? newSid('AC');
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
  let counter = 0;

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = plainCall(input, init) ?? (await readRequest(new Request(input, init)));
    return toResponse(call === null ? answerFor(tooLarge()) : answer(call));
  };
  // Core's client sends through this instead: no Request to build, no body stream to read.
  const directSend: DirectSend = (request) => {
    const answered = answer(wireCall(request));
    const response = new Response(null, { status: answered.status, headers: answerHeaders(answered) });
    return { answer: Promise.resolve({ response, text: answered.body ?? '' }), cancel: () => {} };
  };
  Object.defineProperty(fetch, DIRECT_SEND, { value: directSend });

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
  const named = (prefix: string) => `${prefix} ${++counter}`;

  const seed: EmulatorSeeder = {
    workspace: (input = {}) => call('CreateWorkspace', {}, { FriendlyName: named('Workspace'), ...input }),
    activity: (WorkspaceSid, input = {}) =>
      call('CreateActivity', { WorkspaceSid }, { FriendlyName: named('Activity'), ...input }),
    taskChannel: (WorkspaceSid, input = {}) => {
      const name = `channel${++counter}`;
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
  stores.set(emulator, store);
  return emulator;
}

const stores = new WeakMap<Emulator, Store>();

/** The state behind an emulator made by {@link createEmulator}, for package-internal checks. */
export function storeOf(emulator: Emulator): Store {
  const store = stores.get(emulator);
  if (!store) throw new TypeError('Expected an emulator made by createEmulator()');
  return store;
}

/**
 * The call described by a URL and a plain `init` (string, URLSearchParams or no body), read
 * without building a Request; undefined when only a Request can interpret the arguments.
 */
function plainCall(input: RequestInfo | URL, init: RequestInit | undefined): IncomingCall | undefined {
  if (input instanceof Request) return undefined;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams)) {
    return undefined;
  }
  const headers = init?.headers;
  const header = (name: string): string | null => {
    if (headers === undefined) return null;
    if (headers instanceof Headers) return headers.get(name);
    const entries = Array.isArray(headers) ? headers : Object.entries(headers);
    const found = entries.find(([key]) => key.toLowerCase() === name);
    return found === undefined ? null : found[1];
  };
  const text = body === undefined || body === null ? null : String(body);
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    url: new URL(input),
    authorization: header('authorization'),
    ifMatch: header('if-match'),
    contentType:
      header('content-type') ??
      (body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : null),
    body: text,
    sourceIpAddress: '127.0.0.1',
  };
}

/** The call a client hands to the emulator's direct send (header names arrive in lower case). */
function wireCall(request: WireRequest): IncomingCall {
  const { headers, body } = request;
  return {
    method: request.method,
    url: new URL(request.url),
    authorization: headers.authorization ?? null,
    ifMatch: headers['if-match'] ?? null,
    contentType: headers['content-type'] ?? null,
    body: body === undefined ? null : typeof body === 'string' ? body : new TextDecoder().decode(body),
    sourceIpAddress: '127.0.0.1',
  };
}

/** Reads a Request into a call; null when its declared body is over the limit. */
async function readRequest(request: Request): Promise<IncomingCall | null> {
  const headers = request.headers;
  let body: string | null = null;
  if (request.body !== null) {
    if (Number(headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null;
    body = await request.text();
  }
  return {
    method: request.method,
    url: new URL(request.url),
    authorization: headers.get('authorization'),
    ifMatch: headers.get('if-match'),
    contentType: headers.get('content-type'),
    body,
    sourceIpAddress: '127.0.0.1',
  };
}

function toResponse(answer: OutgoingAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answerHeaders(answer) });
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
