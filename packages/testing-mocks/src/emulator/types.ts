/**
 * The public types of the emulator: its options, seeding and inspection helpers, and the
 * emulator itself.
 */
import type { AccessTokenOptions, OperationId, operations } from '@taskrouter/core';
import type { EventBridgeControl, EventBridgeOptions } from '../adapters/event-bridge/bridge.js';
import type { ResourceBody } from '../render/body.js';
import type { EmulatorFaults } from '../rest/faults.js';
import type { MatchValue, OperationMatch, OverrideRule } from '../rest/overrides.js';
import type { CallRecord } from '../rest/call-log.js';
import type { CallbackRecord } from '../routing/callbacks.js';
import type { EmulatorServer, ListenOptions } from '../adapters/http-server.js';
import type { InstructionRecord } from '../domain/state.js';
import type { VirtualClock } from '../domain/clock.js';
/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Account the emulator belongs to (`AC…`); a random one when omitted. */
  accountSid?: string | undefined;
  /** Auth token it accepts; a random one when omitted. */
  authToken?: string | undefined;
  /** Base URL of the seeding and inspection helpers' answers; defaults to TaskRouter's own. */
  baseUrl?: string | undefined;
  /** What the virtual clock shows at first; defaults to the real current time. */
  startTime?: Date | undefined;
  /**
   * Accept any Basic credentials instead of only {@link Emulator.credentials}. Each caller's
   * account SID then gets a state of its own (one clock for all); {@link Emulator.seed},
   * {@link Emulator.inspect} and the worker SDK's event bridge work on the emulator's own account,
   * {@link Emulator.snapshot} and {@link Emulator.reset} on every account.
   */
  acceptAnyCredentials?: boolean | undefined;
  /**
   * How time passes. `'virtual'`: only {@link VirtualClock.advance} moves it, so timeouts fire
   * exactly when a test says. `'real'`: it follows wall time and timers fire on their own. When
   * left out the clock is virtual until {@link Emulator.listen} starts a server, which switches
   * it to real time.
   */
  clock?: 'virtual' | 'real' | undefined;
  /**
   * The fetch that delivers event and assignment callbacks; defaults to `globalThis.fetch` at
   * delivery time. Pass a function to capture callbacks in tests and answer them.
   */
  callbackFetch?: typeof globalThis.fetch | undefined;
  /** Failures to inject on purpose, such as `429` answers to test a client's retries. */
  faults?: EmulatorFaults | undefined;
  /**
   * API keys the emulator knows: REST accepts Basic auth with a key's SID and secret, and the
   * event bridge verifies access tokens signed with them. One random key when omitted.
   */
  apiKeys?: readonly EmulatorApiKey[] | undefined;
  /** Timing of the worker SDK's event bridge that {@link Emulator.listen} serves. */
  eventBridge?: EventBridgeOptions | undefined;
  /**
   * State to start from, made by {@link Emulator.snapshot}: every resource, event and pending
   * timer, and the clock's time (`startTime` is ignored), of every account it holds. With
   * `clock: 'real'` a clock behind the wall clock then catches up with it at once, firing the
   * timers due meanwhile, each at its own instant (a server restarted after a while). The account
   * SID is the snapshot's first account's; a different `accountSid` is refused. Throws `EmulatorSnapshotError` for a snapshot of another
   * version or a damaged one.
   */
  snapshot?: EmulatorSnapshot | undefined;
  /**
   * Milliseconds any callback has to answer before it counts as failed (recorded with its error
   * in {@link Emulator.callbacks}). By default TaskRouter's own limits: 5,000 for assignment
   * callbacks, 15,000 for event callbacks.
   */
  callbackTimeoutMs?: number | undefined;
  /** How many entries {@link Emulator.calls} and {@link Emulator.callbacks} keep (the latest); 10,000 by default. */
  logLimit?: number | undefined;
}

/**
 * The whole state of an emulator as JSON-serialisable data, made by {@link Emulator.snapshot}
 * and restored by `createEmulator({ snapshot })`.
 */
export interface EmulatorSnapshot {
  /** Always `'taskrouter-emulator-snapshot'`. */
  readonly format: 'taskrouter-emulator-snapshot';
  /**
   * The version of the layout of `state`. `emulator.snapshot()` writes version 2 (every account);
   * version 1 (the emulator's own account alone) is still restored.
   */
  readonly version: 1 | 2;
  /** The emulator's clock time when the snapshot was taken (ISO 8601). */
  readonly takenAt: string;
  /** The state itself. Its layout belongs to `version`: treat it as opaque. */
  readonly state: { readonly [key: string]: unknown };
}

/** An API key: its SID (`SK…`) and its secret. */
export interface EmulatorApiKey {
  readonly sid: string;
  readonly secret: string;
}

/** The grant of an access token made by {@link Emulator.createAccessToken}. */
export type EmulatorTokenOptions = Pick<AccessTokenOptions, 'identity' | 'ttlSeconds'> &
  AccessTokenOptions['taskRouter'] & {
    /** Signs with this API key (one of {@link EmulatorOptions.apiKeys}); the first one by default. */
    apiKeySid?: string;
    /**
     * The account the token is for (`sub`); the emulator's own by default. Another account SID
     * only with {@link EmulatorOptions.acceptAnyCredentials}, where the token reaches the state
     * of that caller's account.
     */
    accountSid?: string;
  };

/** A value the seeding helpers encode into a form field. */
export type SeedValue = MatchValue;

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
  workspace(input?: SeedInput<'CreateWorkspace'>): ResourceBody<'taskrouter.v1.workspace'>;
  /** An activity (name defaults to `Activity <n>`). */
  activity(
    workspaceSid: string,
    input?: SeedInput<'CreateActivity'>,
  ): ResourceBody<'taskrouter.v1.workspace.activity'>;
  /** A task channel (names default to `channel<n>`). */
  taskChannel(
    workspaceSid: string,
    input?: SeedInput<'CreateTaskChannel'>,
  ): ResourceBody<'taskrouter.v1.workspace.task_channel'>;
  /** A task queue (name defaults to `Queue <n>`). */
  taskQueue(
    workspaceSid: string,
    input?: SeedInput<'CreateTaskQueue'>,
  ): ResourceBody<'taskrouter.v1.workspace.task_queue'>;
  /** A worker (name defaults to `Worker <n>`). */
  worker(
    workspaceSid: string,
    input?: SeedInput<'CreateWorker'>,
  ): ResourceBody<'taskrouter.v1.workspace.worker'>;
  /** A workflow; `Configuration` is required (name defaults to `Workflow <n>`). */
  workflow(
    workspaceSid: string,
    input: SeedInput<'CreateWorkflow'>,
  ): ResourceBody<'taskrouter.v1.workspace.workflow'>;
  /** A task. */
  task(workspaceSid: string, input?: SeedInput<'CreateTask'>): ResourceBody<'taskrouter.v1.workspace.task'>;
  /**
   * A pending reservation of a pending or reserved task for a worker, as routing would make it.
   * Useful to test reservation handling code.
   */
  reservation(
    workspaceSid: string,
    input: { taskSid: string; workerSid: string },
  ): ResourceBody<'taskrouter.v1.workspace.task.task_reservation'>;
}

/** Reads the emulator's state as API bodies, unpaged and without time windows. */
export interface EmulatorInspector {
  /** Every workspace. */
  workspaces(): ResourceBody<'taskrouter.v1.workspace'>[];
  /** The workspace's activities. */
  activities(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.activity'>[];
  /** The workspace's task channels. */
  taskChannels(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.task_channel'>[];
  /** The workspace's task queues. */
  taskQueues(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.task_queue'>[];
  /** The workspace's workers. */
  workers(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.worker'>[];
  /** One worker's channels. */
  workerChannels(
    workspaceSid: string,
    workerSid: string,
  ): ResourceBody<'taskrouter.v1.workspace.worker.worker_channel'>[];
  /** The workspace's workflows. */
  workflows(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.workflow'>[];
  /** The workspace's tasks, in every status. */
  tasks(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.task'>[];
  /** The workspace's reservations, as seen below their tasks. */
  reservations(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.task.task_reservation'>[];
  /** Every recorded event, oldest first. */
  events(workspaceSid: string): ResourceBody<'taskrouter.v1.workspace.event'>[];
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
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Base URL of answers built without a request (seeding, inspection). */
  readonly baseUrl: string;
  /** Credentials the emulator accepts. */
  readonly credentials: { readonly accountSid: string; readonly authToken: string };
  /** The API keys the emulator accepts (REST Basic auth, access token signatures). */
  readonly apiKeys: readonly EmulatorApiKey[];
  /**
   * Mints an access token for the worker SDK with one of {@link Emulator.apiKeys}, issued at the
   * emulator clock's time (so it expires on that clock). Uses `@taskrouter/core`'s
   * `createAccessToken`, which a real server would call with a real API key.
   */
  createAccessToken(options: EmulatorTokenOptions): Promise<string>;
  /** The worker SDK's websockets: which are open, and a way to drop them. */
  readonly eventBridge: EventBridgeControl;
  /** Virtual time: `now()`, `advance(ms)`. */
  readonly clock: VirtualClock;
  /** Creates resources directly, with the API's validation. */
  readonly seed: EmulatorSeeder;
  /** Reads the whole state as API bodies. */
  readonly inspect: EmulatorInspector;
  /**
   * The whole state (resources, reservations, events and so statistics history, pending timers,
   * the clock's time) of every account (with {@link EmulatorOptions.acceptAnyCredentials}, each
   * caller's account follows the emulator's own) as JSON-serialisable data;
   * `createEmulator({ snapshot })` restores it exactly. Callback deliveries in flight and callbacks scheduled with `clock.schedule` are not
   * part of it.
   *
   * @example
   * ```ts
   * const emulator = createEmulator();
   * emulator.seed.workspace({ FriendlyName: 'Support' });
   * const copy = createEmulator({ snapshot: JSON.parse(JSON.stringify(emulator.snapshot())) });
   * copy.inspect.workspaces()[0]?.friendly_name; // 'Support'
   * ```
   */
  snapshot(): EmulatorSnapshot;
  /** Forgets every workspace and pending timer. Credentials, clock time and servers stay. */
  reset(): void;
  /**
   * Resolves once every callback delivery has finished and its answer has been acted on,
   * including deliveries those answers caused.
   */
  idle(): Promise<void>;
  /**
   * Starts a real HTTP server on this emulator's state. It also serves the worker SDK's event
   * bridge: pass the server's `ebServer` and `wsServer` to `new Worker(token, { ebServer, wsServer })`.
   */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
  /** Closes every server started by {@link Emulator.listen}. */
  close(): Promise<void>;
  /**
   * Overrides the answer to an operation's requests, optionally only those whose parameters
   * match: `.replies(status, body)`, `.fails({ status, code, message })`, `.delays(ms)`, limited
   * with `.once()` or `.times(n)`. Rules are consulted after authentication, newest first, and
   * never change state: a replaced or failed request is not processed. They stay until
   * {@link Emulator.resetOverrides} (also across {@link Emulator.reset}).
   *
   * @example
   * ```ts
   * emulator.on('CreateTask', { Priority: 10 }).fails({ status: 503, code: 20503 }).once();
   * ```
   */
  on<Op extends OperationId>(operationId: Op, match?: OperationMatch<Op>): OverrideRule;
  /** Removes every rule made with {@link Emulator.on}; the `faults` option keeps working. */
  resetOverrides(): void;
  /**
   * The requests answered so far (the latest {@link EmulatorOptions.logLimit}), oldest first,
   * optionally only those of one operation. {@link Emulator.reset} empties the list.
   */
  calls(operationId?: OperationId): CallRecord[];
  /**
   * Every assignment and event callback sent so far (the latest {@link EmulatorOptions.logLimit}),
   * oldest first, with its answer's status or its error. Await {@link Emulator.idle} first to see
   * every answer. {@link Emulator.reset} empties the list.
   */
  callbacks(): CallbackRecord[];
  /**
   * Replaces the fetch that delivers callbacks (see {@link EmulatorOptions.callbackFetch}); from
   * the next delivery on. `undefined` goes back to `globalThis.fetch`. Useful when the handler
   * needs {@link Emulator.credentials}, which exist only once the emulator does.
   */
  setCallbackFetch(fetch: typeof globalThis.fetch | undefined): void;
}
