import { DEFAULT_BASE_URL, isSid, operationTable } from '@taskrouter/core';
import { VirtualClock } from './domain/clock.js';
import { basicCredentials, type CredentialPolicy, dispatch, type IncomingCall } from './rest/dispatch.js';
import { faultRules } from './rest/faults.js';
import { OverrideRules } from './rest/overrides.js';
import { BoundedLog, callRecord, DEFAULT_LOG_LIMIT, type LoggedCall } from './rest/call-log.js';
import { type EmulatorServer, startHttpServer } from './adapters/http-server.js';
import { CallbackDeliveries, type CallbackRecord } from './routing/callbacks.js';
import { RoutingEngine } from './routing/engine.js';
import { newAuthToken, newSid } from './domain/sid.js';
import { Store } from './domain/state.js';
import type { Emulator, EmulatorOptions } from './emulator/types.js';
import { createFetchAdapter } from './adapters/fetch.js';
import { attachChangeListeners, attachState } from './emulator/internals.js';
import { overview, seedDocument } from './emulator/remote.js';
import { type ControlAccount, type ControlTarget, createControlHandler } from './adapters/control.js';
import {
  ownAccountSid,
  readSnapshot,
  restoreSnapshot,
  type SnapshotParts,
  takeSnapshot,
} from './emulator/snapshot.js';
import { createInspector } from './emulator/inspector.js';
import { type Account, Accounts, clearAccount } from './emulator/accounts.js';
import { createSeeder } from './emulator/seeder.js';
import { createWorkerSide } from './emulator/worker-side.js';

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
  const saved = options.snapshot === undefined ? undefined : readSnapshot(options.snapshot);
  const savedAccountSid = saved === undefined ? undefined : ownAccountSid(saved);
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
  const logLimit = options.logLimit ?? DEFAULT_LOG_LIMIT;
  if (!Number.isSafeInteger(logLimit) || logLimit < 1) {
    throw new TypeError(`createEmulator: logLimit must be a whole number of at least 1, got ${logLimit}`);
  }
  const callbackTimeoutMs = options.callbackTimeoutMs;
  if (
    callbackTimeoutMs !== undefined &&
    (!Number.isSafeInteger(callbackTimeoutMs) || callbackTimeoutMs < 1)
  ) {
    throw new TypeError(
      `createEmulator: callbackTimeoutMs must be a whole number of milliseconds above 0, got ${callbackTimeoutMs}`,
    );
  }
  let callbackFetch = options.callbackFetch;
  const callLog = new BoundedLog<LoggedCall>(logLimit);
  // Each callback is kept with the account it was sent for, so the remote control shows each
  // caller its own.
  const callbackLog = new BoundedLog<{ readonly accountSid: string; readonly callback: CallbackRecord }>(
    logLimit,
  );
  const changeListeners = new Set<() => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  // Accepting any credentials, each caller's account SID gets its own state, signed with its token.
  const accounts = new Accounts(
    accountSid,
    authToken,
    options.acceptAnyCredentials ?? false,
    clock,
    (sid, token) => {
      const accountStore = new Store(sid, clock);
      const accountDeliveries = new CallbackDeliveries(accountStore, {
        authToken: token,
        fetchFor: () => callbackFetch ?? globalThis.fetch,
        ...(callbackTimeoutMs === undefined ? {} : { timeoutMs: callbackTimeoutMs }),
        record: (callback) => callbackLog.push({ accountSid: sid, callback }),
      });
      const accountEngine = new RoutingEngine(accountStore, accountDeliveries);
      accountStore.listener = accountEngine;
      accountEngine.eventObservers.add(changed);
      return { store: accountStore, engine: accountEngine, deliveries: accountDeliveries };
    },
  );
  const { store, engine } = accounts.main;
  const workerSide = createWorkerSide(options, {
    accounts,
    clock,
    origin,
    answer: (call, account) => answerIn(account.store, call, account.sid),
  });
  const policy: CredentialPolicy = {
    accountSid,
    authToken,
    apiKeys: workerSide.apiKeys,
    acceptAny: accounts.acceptAny,
  };
  const rules = new OverrideRules(faultRules(options.faults));
  const hooks = { rules, log: (entry: LoggedCall) => callLog.push(entry) };
  /** `bridgeAccountSid`: the worker SDK's call through the event bridge, logged under its token's account. */
  const answerIn = (target: Store, call: IncomingCall, bridgeAccountSid?: string) => {
    const callHooks =
      bridgeAccountSid === undefined
        ? hooks
        : { rules, log: (entry: LoggedCall) => callLog.push({ ...entry, accountSid: bridgeAccountSid }) };
    const answered = dispatch(target, policy, call, callHooks);
    if (changeListeners.size > 0 && call.method !== 'GET' && answered.status < 300) changed();
    return answered;
  };
  const answer = (call: IncomingCall) =>
    answerIn(accounts.acceptAny ? accounts.forCaller(call.authorization).store : store, call);
  const servers = new Set<EmulatorServer>();
  const parts: SnapshotParts = { accounts, counter: 0 };
  if (saved !== undefined) {
    restoreSnapshot(parts, saved);
    // Real time went on since the snapshot: the clock catches up with it, and the timers due
    // meanwhile fire now, each at its own instant.
    if (options.clock === 'real') clock.advance(Math.max(0, Date.now() - clock.nowMs()));
  }

  const fetch = createFetchAdapter(answer, workerSide.route(answer));
  const seed = createSeeder(store, engine, origin, parts);
  const inspect = createInspector(store, origin);

  const emulator: Emulator = {
    fetch,
    baseUrl,
    credentials: { accountSid, authToken },
    ...workerSide.members,
    clock,
    seed,
    inspect,
    snapshot: () => takeSnapshot(parts),
    reset: () => {
      workerSide.reset();
      accounts.clearAll();
      // Also the timers scheduled with clock.schedule.
      store.clear();
      callLog.clear();
      callbackLog.clear();
    },
    on: (operationId, match) => {
      if (typeof operationId !== 'string' || !(operationId in operationTable)) {
        throw new TypeError(`emulator.on(operationId): unknown operation '${String(operationId)}'`);
      }
      return rules.add(operationId, match);
    },
    resetOverrides: () => rules.reset(),
    calls: (operationId) =>
      callLog
        .list()
        .filter((entry) => operationId === undefined || entry.operationId === operationId)
        .map(callRecord),
    callbacks: () => callbackLog.list().map(({ callback }) => copyCallback(callback)),
    setCallbackFetch: (fetch) => {
      if (fetch !== undefined && typeof fetch !== 'function') {
        throw new TypeError('emulator.setCallbackFetch(fetch): fetch must be a function or undefined');
      }
      callbackFetch = fetch;
    },
    idle: async () => {
      await accounts.idle();
    },
    async listen(listenOptions) {
      if (options.clock === undefined) clock.followWallTime();
      const control = createControlHandler(controlTarget, { ui: listenOptions?.ui ?? true });
      const owner = {};
      const server = await startHttpServer(
        workerSide.route(answer),
        listenOptions,
        control,
        workerSide.upgrade(owner),
      );
      const tracked: EmulatorServer = {
        url: server.url,
        ...workerSide.sdkOptions(server.url),
        close: async () => {
          servers.delete(tracked);
          workerSide.closeServer(owner);
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
  /** What the remote control does on one account, the caller's. */
  const controlAccount = (account: Account): ControlAccount => ({
    sid: account.sid,
    reset() {
      workerSide.reset(account.sid);
      clearAccount(account);
      callLog.drop((entry) => accounts.sidOf(entry.accountSid) === account.sid);
      callbackLog.drop((entry) => entry.accountSid === account.sid);
    },
    seed(document) {
      // All or nothing: a document that fails half-way leaves the state as it was.
      const before = readSnapshot(takeSnapshot(parts));
      try {
        return seedDocument(createSeeder(account.store, account.engine, origin, parts), document);
      } catch (error) {
        restoreSnapshot(parts, before);
        throw error;
      }
    },
    snapshot: () => takeSnapshot(parts, account),
    subscribe(listener) {
      account.engine.eventObservers.add(listener);
      return () => account.engine.eventObservers.delete(listener);
    },
    subscribeConnections: (listener) => workerSide.observeConnections(account.sid, listener),
    overview: () => ({
      clock: { now: clock.now().toISOString() },
      ...(overview(
        createInspector(account.store, origin),
        workerSide.connectionCounts(account.sid),
      ) as object),
    }),
    logs: {
      calls: (operationId) =>
        emulator.calls(operationId).filter((call) => accounts.sidOf(call.accountSid) === account.sid),
      callbacks: () =>
        callbackLog
          .list()
          .filter((entry) => entry.accountSid === account.sid)
          .map(({ callback }) => copyCallback(callback)),
    },
  });
  const controlTarget: ControlTarget = {
    credentials: policy,
    clock,
    account(authorization, chosen) {
      const account =
        chosen === null
          ? accounts.forCaller(authorization)
          : accounts.ensure(chosen, basicCredentials(authorization)?.password ?? '');
      return controlAccount(account);
    },
    accountSids: () => accounts.all().map((account) => account.sid),
    changed,
  };
  attachState(emulator, store);
  attachChangeListeners(emulator, changeListeners);
  return emulator;
}

/** A callback record for the caller to keep, its parameters copied. */
function copyCallback(callback: CallbackRecord): CallbackRecord {
  return { ...callback, params: { ...callback.params } };
}
