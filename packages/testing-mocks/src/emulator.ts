import { DEFAULT_BASE_URL, isSid } from '@taskrouter/core';
import { VirtualClock } from './domain/clock.js';
import { type CredentialPolicy, dispatch, type IncomingCall } from './rest/dispatch.js';
import { createRateLimiter } from './rest/faults.js';
import { type EmulatorServer, startHttpServer } from './adapters/http-server.js';
import { CallbackDeliveries } from './routing/callbacks.js';
import { RoutingEngine } from './routing/engine.js';
import { newAuthToken, newSid } from './domain/sid.js';
import { Store } from './domain/state.js';
import type { Emulator, EmulatorOptions } from './emulator/types.js';
import { createFetchAdapter } from './adapters/fetch.js';
import { attachChangeListeners, attachState } from './emulator/internals.js';
import { overview, seedDocument } from './emulator/remote.js';
import { type ControlTarget, createControlHandler } from './adapters/control.js';
import {
  restoreSnapshot,
  type SnapshotParts,
  snapshotAccountSid,
  takeSnapshot,
} from './emulator/snapshot.js';
import { createInspector } from './emulator/inspector.js';
import { createSeeder } from './emulator/seeder.js';

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
  const changeListeners = new Set<() => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  engine.eventObservers.add(changed);
  const answer = (call: IncomingCall) => {
    const answered = dispatch(store, policy, call, rateLimiter);
    if (changeListeners.size > 0 && call.method !== 'GET' && answered.status < 300) changed();
    return answered;
  };
  const servers = new Set<EmulatorServer>();
  const parts: SnapshotParts = { store, engine, counter: 0 };
  if (options.snapshot !== undefined) restoreSnapshot(parts, options.snapshot);

  const fetch = createFetchAdapter(answer);
  const seed = createSeeder(store, engine, origin, parts);
  const inspect = createInspector(store, origin);

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
      const control = createControlHandler(controlTarget, { ui: listenOptions?.ui ?? true });
      const server = await startHttpServer(answer, listenOptions, control);
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
  const controlTarget: ControlTarget = {
    credentials: policy,
    clock,
    reset: emulator.reset,
    seed(document) {
      // All or nothing: a document that fails half-way leaves the state as it was.
      const before = takeSnapshot(parts);
      try {
        return seedDocument(seed, document);
      } catch (error) {
        restoreSnapshot(parts, before);
        throw error;
      }
    },
    snapshot: emulator.snapshot,
    subscribe(listener) {
      engine.eventObservers.add(listener);
      return () => engine.eventObservers.delete(listener);
    },
    overview: () => ({ clock: { now: clock.now().toISOString() }, ...(overview(emulator) as object) }),
    changed,
  };
  attachState(emulator, store);
  attachChangeListeners(emulator, changeListeners);
  return emulator;
}
