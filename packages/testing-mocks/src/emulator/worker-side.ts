/**
 * The worker side of an emulator: its API keys, the access tokens they sign, and the event
 * bridge the worker SDK connects to. `createEmulator` composes it with the REST side.
 */
import { createAccessToken, isSid } from '@taskrouter/core';
import { type ConnectionChange, EventBridge } from '../adapters/event-bridge/bridge.js';
import { EVENT_BRIDGE_PATH, isEventBridgePath } from '../adapters/event-bridge/http-channel.js';
import type { UpgradeHandler } from '../adapters/http-server.js';
import type { VirtualClock } from '../domain/clock.js';
import { newAuthToken, newSid } from '../domain/sid.js';
import type { IncomingCall, OutgoingAnswer } from '../rest/dispatch.js';
import type { Account, Accounts } from './accounts.js';
import type { Emulator, EmulatorApiKey, EmulatorOptions } from './types.js';

/** What the worker side needs from the emulator being made. */
export interface WorkerSideParts {
  /** Every account; the bridge serves a token's `sub` from its account. */
  readonly accounts: Accounts;
  readonly clock: VirtualClock;
  readonly origin: string;
  /** The emulator's REST answer (with its hooks) on one account; the bridge marks its calls `trusted`. */
  readonly answer: (call: IncomingCall, account: Account) => OutgoingAnswer;
}

/** The worker side, ready to be wired into the emulator. */
export interface WorkerSide {
  /** API key SID → secret, for REST Basic auth. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** The emulator's members that belong to the worker side. */
  readonly members: Pick<Emulator, 'apiKeys' | 'createAccessToken' | 'eventBridge'>;
  /** `answer` for REST calls, with the event bridge's HTTP channel in front of it. */
  route(
    answer: (call: IncomingCall) => OutgoingAnswer,
  ): (call: IncomingCall) => OutgoingAnswer | Promise<OutgoingAnswer>;
  /** The websocket upgrades of one listening server (`owner` stands for it). */
  upgrade(owner: object): UpgradeHandler;
  /** The worker SDK's options for a server at `url`. */
  sdkOptions(url: string): { ebServer: string; wsServer: string };
  /** Drops the websockets of a server that is closing. */
  closeServer(owner: object): void;
  /** Closes every websocket, or one account's (that state is being reset). */
  reset(accountSid?: string): void;
  /** The number of open websockets of each worker of one account, by worker SID. */
  connectionCounts(accountSid: string): Map<string, number>;
  /** Calls `listener` when a worker of the account opens or closes a websocket; returns the unsubscribe function. */
  observeConnections(accountSid: string, listener: (change: ConnectionChange) => void): () => void;
}

/** Makes the worker side and subscribes its event bridge to the event log. */
export function createWorkerSide(options: EmulatorOptions, parts: WorkerSideParts): WorkerSide {
  const { accounts, clock } = parts;
  const accountSid = accounts.main.sid;
  const keys = apiKeysOf(options.apiKeys);
  const apiKeys = new Map(keys.map((key) => [key.sid, key.secret]));
  const bridge = new EventBridge(
    {
      policy: {
        accountSid,
        apiKeys,
        acceptAny: accounts.acceptAny,
        clock,
        storeOf: (sid) => accounts.find(sid)?.store,
      },
      // The token's account exists already (storeOf found it), so nothing is made here.
      answer: (call, sid) => parts.answer(call, accounts.ensure(sid, '')),
      origin: parts.origin,
    },
    options.eventBridge,
  );
  accounts.watch((account) =>
    account.engine.eventObservers.add((workspace, event) => bridge.onEvent(workspace, event)),
  );
  return {
    apiKeys,
    members: {
      apiKeys: keys,
      createAccessToken({
        apiKeySid,
        accountSid: tokenAccountSid = accountSid,
        identity,
        ttlSeconds,
        ...taskRouter
      }) {
        const key = apiKeySid === undefined ? keys[0] : keys.find((each) => each.sid === apiKeySid);
        if (key === undefined) {
          throw new TypeError(`createAccessToken: ${apiKeySid} is not one of the emulator's API keys`);
        }
        if (tokenAccountSid !== accountSid && !accounts.acceptAny) {
          throw new TypeError(
            `createAccessToken: accountSid ${tokenAccountSid} is not the emulator's account ${accountSid}; other accounts need acceptAnyCredentials`,
          );
        }
        return createAccessToken({
          accountSid: tokenAccountSid,
          apiKeySid: key.sid,
          apiKeySecret: key.secret,
          ...(identity === undefined ? {} : { identity }),
          ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
          issuedAt: clock.now(),
          taskRouter,
        });
      },
      eventBridge: bridge,
    },
    route: (answer) => (call) =>
      isEventBridgePath(call.url.pathname) ? bridge.answerHttp(call) : answer(call),
    upgrade: (owner) => (request, socket, head) => bridge.handleUpgrade(request, socket, head, owner),
    sdkOptions: (url) => ({
      ebServer: `${url}${EVENT_BRIDGE_PATH}`,
      wsServer: `${url.replace(/^http/, 'ws')}${EVENT_BRIDGE_PATH}`,
    }),
    closeServer: (owner) => bridge.closeServer(owner),
    reset: (sid) => bridge.reset(sid),
    connectionCounts(sid) {
      const counts = new Map<string, number>();
      for (const { accountSid: owner, workerSid } of bridge.connections()) {
        if (owner === sid) counts.set(workerSid, (counts.get(workerSid) ?? 0) + 1);
      }
      return counts;
    },
    observeConnections: (sid, listener) =>
      bridge.observeConnections((change) => {
        if (change.accountSid === sid) listener(change);
      }),
  };
}

/** The configured API keys, checked, or one random key. */
function apiKeysOf(keys: readonly EmulatorApiKey[] | undefined): EmulatorApiKey[] {
  if (keys === undefined) return [{ sid: newSid('SK'), secret: newAuthToken() }];
  return keys.map((key, index) => {
    if (!isSid(key?.sid, 'SK')) {
      throw new TypeError(
        `createEmulator: apiKeys[${index}].sid must be SK followed by 32 hex digits, got '${key?.sid}'`,
      );
    }
    if (typeof key.secret !== 'string' || key.secret === '') {
      throw new TypeError(`createEmulator: apiKeys[${index}].secret must be a non-empty string`);
    }
    return { sid: key.sid, secret: key.secret };
  });
}
