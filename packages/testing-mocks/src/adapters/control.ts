/**
 * Remote control of an emulator served over HTTP, under `/__emulator/` on the same port as the
 * API: the clock, reset, seeding, the state as a snapshot, the request and callback logs, a
 * server-sent stream of every event, and the dashboard. Authenticated like the API (Basic, the
 * emulator's credentials); JSON in and out; errors shaped as TaskRouter's. Each request acts on
 * one account, picked as the API picks it (the caller's account SID when any credentials are
 * accepted); the clock is the one of every account.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSid, type OperationId, operationTable } from '@taskrouter/core';
import type { VirtualClock } from '../domain/clock.js';
import { EmulatorRequestError, invalidParameter, missingParameter, notFound } from '../domain/errors.js';
import type { EventRecord, WorkspaceState } from '../domain/state.js';
import { renderEvent } from '../render/events.js';
import type { ConnectionChange } from './event-bridge/bridge.js';
import { answerFor, type CredentialPolicy, isAuthorized, type OutgoingAnswer } from '../rest/dispatch.js';

/** Every control path starts with this. */
export const CONTROL_PREFIX = '/__emulator/';

/** What the control endpoints act on; the emulator provides it. */
export interface ControlTarget {
  readonly credentials: CredentialPolicy;
  /** The one clock of every account. */
  readonly clock: VirtualClock;
  /**
   * The account a request acts on: the one the API would pick for its Authorization header, or
   * `chosen` (the `AccountSid` query parameter, already checked) when given.
   */
  account(authorization: string | null, chosen: string | null): ControlAccount;
  /** The SID of every account, the emulator's own first. */
  accountSids(): string[];
  /** Told after every change made through these endpoints (not after reads). */
  changed(): void;
}

/** What the control endpoints do on one account. */
export interface ControlAccount {
  readonly sid: string;
  /** Forgets the account's workspaces, timers and log entries; other accounts stay. */
  reset(): void;
  /** Creates the resources a seed document describes and returns them as API bodies. */
  seed(document: Record<string, unknown>): unknown;
  /** The account's snapshot. */
  snapshot(): unknown;
  /** Calls `listener` with every event recorded from now on; returns the unsubscribe function. */
  subscribe(listener: (workspace: WorkspaceState, event: EventRecord) => void): () => void;
  /**
   * Calls `listener` when a worker of the account opens or closes a websocket of the worker SDK;
   * returns the unsubscribe function.
   */
  subscribeConnections(listener: (change: ConnectionChange) => void): () => void;
  /** What the dashboard shows: every workspace's queues, tasks, workers (with their open websockets) and workflows. */
  overview(): unknown;
  /** The request log (all, or one operation's) and the callback log. */
  readonly logs: { calls(operationId?: OperationId): unknown; callbacks(): unknown };
}

/** Options of the control endpoints. */
export interface ControlOptions {
  /** Serve the dashboard at `/__emulator/ui` (default true). */
  readonly ui?: boolean;
}

/** Handles a request if its path is a control path; returns whether it did. */
export type ControlHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: string | null,
) => boolean;

/** Longest clock advance one request may ask for: ten years. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;
/** A comment line on idle event streams, so proxies and clients keep them open. */
const HEARTBEAT_MS = 15_000;

/** Makes the handler of the control endpoints for one emulator. */
export function createControlHandler(target: ControlTarget, options: ControlOptions = {}): ControlHandler {
  const streams: Streams = new Map();
  /** Sends a message to the streams of one account, or of every account. */
  const broadcast = (eventType: string, data: Record<string, unknown>, accountSid?: string) => {
    const frame = `data: ${JSON.stringify({ event_type: eventType, ...data })}\n\n`;
    for (const [stream, streamAccount] of streams) {
      if (accountSid === undefined || streamAccount === accountSid) stream.write(frame);
    }
  };
  const clockState = () => ({
    now: new Date(target.clock.nowMs()).toISOString(),
    now_ms: target.clock.nowMs(),
    mode: target.clock.followsWallTime ? 'real' : 'virtual',
    pending_timers: target.clock.pendingTimers(),
  });
  const ui = options.ui ?? true;

  type Route = (call: ControlCall) => OutgoingAnswer | undefined;
  const routes: Record<string, Partial<Record<'GET' | 'POST', Route>>> = {
    clock: { GET: () => json(200, clockState()) },
    'clock/advance': {
      POST: (call) => {
        const seconds = readAdvance(call.body);
        target.clock.advance(seconds * 1000);
        const state = clockState();
        broadcast('emulator.clock', state);
        target.changed();
        return json(200, state);
      },
    },
    reset: {
      POST: ({ account }) => {
        account.reset();
        broadcast('emulator.reset', clockState(), account.sid);
        target.changed();
        return json(200, { reset: true, account_sid: account.sid, clock: clockState() });
      },
    },
    seed: {
      POST: ({ account, body }) => {
        const created = account.seed(readJson(body, true));
        broadcast('emulator.seed', {}, account.sid);
        target.changed();
        return json(201, created);
      },
    },
    state: { GET: ({ account }) => json(200, account.snapshot()) },
    accounts: { GET: ({ account }) => json(200, accountList(target, account)) },
    overview: {
      GET: ({ account }) => json(200, { ...accountList(target, account), ...(account.overview() as object) }),
    },
    calls: {
      GET: ({ account, query }) => json(200, { calls: account.logs.calls(readOperationId(query)) }),
    },
    callbacks: { GET: ({ account }) => json(200, { callbacks: account.logs.callbacks() }) },
    events: { GET: () => undefined },
    ...(ui
      ? {
          ui: { GET: () => undefined },
          'ui/app.js': { GET: () => undefined },
          'ui/mermaid.js': { GET: () => undefined },
        }
      : {}),
  };

  return (request, response, body) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    if (!url.pathname.startsWith(CONTROL_PREFIX) && url.pathname !== '/__emulator') return false;
    const name = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
    const method = request.method ?? 'GET';
    try {
      if (!isAuthorized(target.credentials, request.headers.authorization ?? null)) {
        response.setHeader('WWW-Authenticate', 'Basic realm="taskrouter-mock", charset="UTF-8"');
        throw new EmulatorRequestError(401, 20003, 'Authenticate');
      }
      const route = routes[name];
      if (!route) throw notFound(url.pathname);
      const handler = route[method as 'GET' | 'POST'];
      if (!handler) {
        const allowed = Object.keys(route).join(', ');
        response.setHeader('Allow', allowed);
        throw new EmulatorRequestError(
          405,
          20004,
          `Method ${method} not allowed on ${url.pathname}; use ${allowed}`,
        );
      }
      if (name.startsWith('ui')) {
        serveAsset(response, name === 'ui' ? 'index.html' : name.slice(3));
        return true;
      }
      const account = target.account(
        request.headers.authorization ?? null,
        chosenAccount(url.searchParams, target.credentials),
      );
      if (name === 'events') {
        openStream(request, response, url, account, streams);
        return true;
      }
      const answer = handler({ account, body, query: url.searchParams });
      if (answer === undefined) throw notFound(url.pathname);
      send(response, answer);
    } catch (error) {
      if (!(error instanceof EmulatorRequestError)) throw error;
      send(response, answerFor(error));
    }
    return true;
  };
}

interface ControlCall {
  /** The account the request acts on. */
  readonly account: ControlAccount;
  readonly body: string | null;
  readonly query: URLSearchParams;
}

/** Open event streams, each with the SID of the account it follows. */
type Streams = Map<ServerResponse, string>;

/**
 * The `AccountSid` query parameter: another account than the caller's, which the dashboard picks
 * (an event stream cannot send its own Authorization header). Only when any credentials are
 * accepted, where any caller may name any account anyway; else only the emulator's own.
 */
function chosenAccount(query: URLSearchParams, credentials: CredentialPolicy): string | null {
  const sid = query.get('AccountSid');
  if (sid === null) return null;
  if (!isSid(sid, 'AC')) {
    throw invalidParameter('AccountSid', `must be AC followed by 32 hex digits, got '${sid}'`);
  }
  if (!credentials.acceptAny && sid !== credentials.accountSid) {
    throw new EmulatorRequestError(
      403,
      20403,
      `AccountSid ${sid} is not this emulator's account; other accounts exist only when any credentials are accepted`,
      'AccountSid',
    );
  }
  return sid;
}

/** The account a request acts on and every account there is (the dashboard's picker). */
function accountList(target: ControlTarget, account: ControlAccount) {
  const [own] = target.accountSids();
  return {
    account_sid: account.sid,
    accounts: target.accountSids().map((sid) => ({ sid, own: sid === own })),
  };
}

/** The `OperationId` query parameter of the request log: an operation of the spec, if given. */
function readOperationId(query: URLSearchParams): OperationId | undefined {
  const operationId = query.get('OperationId');
  if (operationId === null) return undefined;
  if (!Object.hasOwn(operationTable, operationId)) {
    throw invalidParameter(
      'OperationId',
      `'${operationId}' is not an operation of TaskRouter v1 (such as CreateTask)`,
    );
  }
  return operationId as OperationId;
}

function json(status: number, value: unknown): OutgoingAnswer {
  return { status, body: JSON.stringify(value) };
}

function send(response: ServerResponse, answer: OutgoingAnswer): void {
  if (response.headersSent) return;
  const body = answer.body ?? '';
  response.writeHead(answer.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

/** The request body as a JSON object; an empty body is `{}` unless `required`. */
function readJson(body: string | null, required = false): Record<string, unknown> {
  if (body === null || body.trim() === '') {
    if (required) throw missingParameter('body');
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw invalidParameter('body', `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter('body', 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The `seconds` of a clock advance: a number from 0 to ten years. */
function readAdvance(body: string | null): number {
  const { seconds } = readJson(body);
  if (seconds === undefined) throw missingParameter('seconds');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw invalidParameter('seconds', `must be a number, got ${JSON.stringify(seconds)}`);
  }
  if (seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
    throw invalidParameter('seconds', `must be from 0 to ${MAX_ADVANCE_SECONDS} (ten years), got ${seconds}`);
  }
  return seconds;
}

/**
 * A server-sent event stream of plain messages (EventSource's `message`): each event as it is
 * recorded (`id:` its SID, `data:` its API body, whose `event_type` says what happened), plus
 * `emulator.clock`, `emulator.reset` and `emulator.seed` messages when those happen through the
 * control endpoints. Only the events of one account (the caller's, or `?AccountSid=`'s);
 * `?WorkspaceSid=` keeps one workspace's events.
 */
function openStream(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  account: ControlAccount,
  streams: Streams,
): void {
  const workspaceSid = url.searchParams.get('WorkspaceSid');
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  response.write('retry: 1000\n\n');
  streams.set(response, account.sid);
  const unsubscribe = account.subscribe((workspace, event) => {
    if (workspaceSid !== null && workspace.sid !== workspaceSid) return;
    const body = renderEvent(workspace, event, url.origin);
    response.write(`id: ${body.sid}\ndata: ${JSON.stringify(body)}\n\n`);
  });
  // Not a TaskRouter event: the dashboard hears of the worker SDK's websockets this way.
  const unsubscribeConnections = account.subscribeConnections((change) => {
    if (workspaceSid !== null && change.workspaceSid !== workspaceSid) return;
    const message = {
      event_type: 'emulator.worker-sdk',
      workspace_sid: change.workspaceSid,
      worker_sid: change.workerSid,
      connections: change.open,
      description: `Worker ${change.workerSid} has ${change.open} worker SDK websocket${change.open === 1 ? '' : 's'} open`,
    };
    response.write(`data: ${JSON.stringify(message)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    unsubscribeConnections();
    streams.delete(response);
  };
  request.on('close', close);
  response.on('close', close);
}

/** The dashboard's files: its page and script, built into `dist/dashboard` by the package build. */
const ASSETS: Record<string, { readonly type: string; readonly location: () => URL | string }> = {
  'index.html': {
    type: 'text/html; charset=utf-8',
    location: () => new URL('../dashboard/index.html', import.meta.url),
  },
  'app.js': {
    type: 'text/javascript; charset=utf-8',
    location: () => new URL('../dashboard/app.js', import.meta.url),
  },
  // Mermaid is large and optional: its browser bundle is served only when the `mermaid` package
  // is installed beside this one; otherwise the dashboard shows each workflow's Mermaid source.
  'mermaid.js': {
    type: 'text/javascript; charset=utf-8',
    location: () => createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
  },
};

function serveAsset(response: ServerResponse, file: string): void {
  const asset = ASSETS[file];
  let content: Buffer;
  try {
    content = readFileSync(asset!.location());
  } catch {
    const reason =
      file === 'mermaid.js'
        ? 'Mermaid is not installed beside @taskrouter/testing-mocks (npm install mermaid to draw workflows)'
        : `The dashboard's ${file} is missing: build the package (pnpm --filter @taskrouter/testing-mocks build)`;
    send(response, answerFor(new EmulatorRequestError(404, 20404, reason)));
    return;
  }
  response.writeHead(200, {
    'Content-Type': asset!.type,
    'Content-Length': content.length,
    'Cache-Control': 'no-store',
  });
  response.end(content);
}
