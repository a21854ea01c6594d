import { type OperationId, operationTable } from '@taskrouter/core';
import type { OperationHandler, Reply, RequestContext } from './context.js';
import { EmulatorRequestError, notFound } from '../domain/errors.js';
import type { LoggedCall } from './call-log.js';
import type { OverrideRules } from './overrides.js';
import { checkSidFilters, decodeParams, Params, sidFiltersOf } from './params.js';
import { activityHandlers } from './handlers/activities.js';
import { eventHandlers } from './handlers/events.js';
import { reservationHandlers } from './handlers/reservations.js';
import { statisticsHandlers } from './handlers/statistics.js';
import { taskChannelHandlers } from './handlers/task-channels.js';
import { taskQueueHandlers } from './handlers/task-queues.js';
import { taskHandlers } from './handlers/tasks.js';
import { workerHandlers } from './handlers/workers.js';
import { workflowHandlers } from './handlers/workflows.js';
import { workspaceHandlers } from './handlers/workspaces.js';
import { Router } from './router.js';
import type { Store } from '../domain/state.js';

/** Largest request body the emulator reads, in bytes. */
export const MAX_BODY_BYTES = 1_048_576;

/** Every operation of the spec, each with its handler; the type proves none is missing. */
const HANDLERS: Record<OperationId, OperationHandler> = {
  ...workspaceHandlers,
  ...activityHandlers,
  ...taskChannelHandlers,
  ...taskQueueHandlers,
  ...workerHandlers,
  ...workflowHandlers,
  ...taskHandlers,
  ...reservationHandlers,
  ...eventHandlers,
  ...statisticsHandlers,
};

const router = new Router();

/** A request reduced to what the emulator reads, whatever transport carried it. */
export interface IncomingCall {
  readonly method: string;
  /** Absolute URL as the client sent it. */
  readonly url: URL;
  readonly authorization: string | null;
  readonly ifMatch: string | null;
  readonly contentType: string | null;
  readonly body: string | null;
  readonly sourceIpAddress: string;
  /** Already authenticated by other means (the event bridge checks access tokens instead). */
  readonly trusted?: boolean;
  /**
   * The request target as the client wrote it, before URL parsing turned `\` into `/` and resolved
   * `.` and `..` segments; adapters that see it pass it, so such paths are refused too.
   */
  readonly target?: string;
}

/** The answer, before a transport writes it. */
export interface OutgoingAnswer {
  readonly status: number;
  /** JSON text, or null for an empty body (204). */
  readonly body: string | null;
  readonly etag?: string;
  readonly allow?: string;
  /** Seconds to wait before trying again (rate-limited answers). */
  readonly retryAfter?: number;
  /** Milliseconds the transport waits before sending the answer (an override's `delays`). */
  readonly delayMs?: number;
  /** More headers, such as the event bridge's CORS headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Rate-limit headers TaskRouter documents on every answer. Their values are fixed: the emulator
 * limits nothing unless its faults say so, and then reports none left.
 */
const RATE_LIMIT_LIMIT = '100';
const RATE_LIMIT_CONFIG = 'default';

/** The headers of an answer, whatever transport writes it. */
export function answerHeaders(answer: OutgoingAnswer): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Rate-Limit-Limit': RATE_LIMIT_LIMIT,
    'X-Rate-Limit-Remaining': answer.status === 429 ? '0' : '99',
    'X-Rate-Limit-Config': RATE_LIMIT_CONFIG,
  };
  if (answer.body !== null) headers['Content-Type'] = 'application/json';
  if (answer.etag !== undefined) headers.ETag = answer.etag;
  if (answer.allow !== undefined) headers.Allow = answer.allow;
  if (answer.retryAfter !== undefined) headers['Retry-After'] = String(answer.retryAfter);
  if (answer.headers !== undefined) Object.assign(headers, answer.headers);
  return headers;
}

/** Which credentials the emulator accepts. */
export interface CredentialPolicy {
  readonly accountSid: string;
  readonly authToken: string;
  /** API key SID → secret; Basic auth with a key and its secret is accepted too. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** Accept any Basic credentials (the CLI without configured credentials). */
  readonly acceptAny: boolean;
}

/** What the emulator adds around its handlers: override rules and the request log. */
export interface DispatchHooks {
  /** Rules consulted after authentication and routing, before the handler. */
  readonly rules?: OverrideRules;
  /** Receives every answered call. */
  readonly log?: (call: LoggedCall) => void;
}

/** A `.` or `..` path segment, also percent-encoded. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
/** A backslash, also percent-encoded. */
const BACKSLASH = /\\|%5c/i;

/**
 * Refuses a path that could climb: URL parsing reads `\` as `/` and resolves dot segments, so
 * `Tasks/WT1\..\WT2` would otherwise reach WT2.
 */
function checkTarget(call: IncomingCall): void {
  const written = call.target ?? call.url.pathname;
  const path = written.split(/[?#]/)[0] ?? '';
  if (BACKSLASH.test(path)) {
    throw new EmulatorRequestError(
      400,
      20001,
      `Malformed request target ${written}: backslashes are not allowed`,
    );
  }
  if (DOT_SEGMENT.test(path)) {
    throw new EmulatorRequestError(
      400,
      20001,
      `Malformed request target ${written}: '.' and '..' segments are not allowed`,
    );
  }
}

/**
 * Answers one call: path checks, authentication, routing, override rules (injected rate limits
 * among them), body decoding, the operation, the error mapping.
 */
export function dispatch(
  store: Store,
  credentials: CredentialPolicy,
  call: IncomingCall,
  hooks: DispatchHooks = {},
): OutgoingAnswer {
  let operationId: OperationId | null = null;
  let pathParams: Record<string, string> = {};
  let decoded: { params: Params; json: unknown } | undefined;
  let overridden = false;
  const answer = ((): OutgoingAnswer => {
    try {
      checkTarget(call);
      if (call.trusted !== true && !isAuthorized(credentials, call.authorization)) {
        throw new EmulatorRequestError(401, 20003, 'Authenticate');
      }
      const match = router.match(call.method, call.url.pathname);
      if (match.kind === 'not-found') throw notFound(call.url.pathname);
      if (match.kind === 'method-not-allowed') {
        const error = new EmulatorRequestError(
          405,
          20004,
          `Method ${call.method} not allowed on ${call.url.pathname}; use ${match.allowed.join(' or ')}`,
        );
        return { ...answerFor(error), allow: match.allowed.join(', ') };
      }
      const matchedOperation = match.operationId;
      operationId = matchedOperation;
      pathParams = match.path;
      const read = () => {
        decoded ??= readBody(matchedOperation, call);
        return decoded;
      };
      const outcome = hooks.rules?.decide({
        operationId: matchedOperation,
        method: call.method,
        path: call.url.pathname,
        pathParams: match.path,
        params: () => read().params.values,
      });
      overridden = outcome !== undefined;
      const delay = outcome?.delayMs === undefined ? {} : { delayMs: outcome.delayMs };
      if (outcome?.answer !== undefined) return { ...outcome.answer, ...delay };
      const { params, json } = read();
      const context: RequestContext = {
        store,
        origin: call.url.origin,
        pathname: call.url.pathname,
        query: call.url.searchParams,
        params,
        path: match.path,
        ifMatch: call.ifMatch,
        sourceIpAddress: call.sourceIpAddress,
        json,
      };
      return { ...answerFromReply(HANDLERS[matchedOperation](context)), ...delay };
    } catch (error) {
      if (error instanceof EmulatorRequestError) return answerFor(error);
      const message = error instanceof Error ? error.message : String(error);
      return answerFor(new EmulatorRequestError(500, 20500, `Internal emulator error: ${message}`));
    }
  })();
  hooks.log?.({
    operationId,
    method: call.method,
    path: call.url.pathname,
    pathParams,
    params: decoded?.params.values,
    status: answer.status,
    code: answer.status >= 400 && answer.body !== null ? errorCode(answer.body) : null,
    overridden,
    accountSid: callerAccountSid(call.authorization),
    at: Math.floor(store.clock.nowMs()),
  });
  return answer;
}

function errorCode(body: string): number | null {
  try {
    const code: unknown = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'number' ? code : null;
  } catch {
    return null;
  }
}

/**
 * The context of an operation run directly, without transport or authentication, as the seeding
 * helpers run the create operations.
 */
export function operationContext(
  store: Store,
  origin: string,
  operationId: OperationId,
  path: Record<string, string>,
  values: Map<string, string[]>,
): RequestContext {
  const info = operationTable[operationId];
  const pathname = info.path.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? '');
  return {
    store,
    origin,
    pathname,
    query: new URLSearchParams(),
    params: new Params(values),
    path,
    ifMatch: null,
    sourceIpAddress: '127.0.0.1',
    json: undefined,
  };
}

/**
 * Refuses form-encoded text that URLSearchParams would quietly repair: a `%` not followed by two
 * hex digits, or escapes whose bytes are not UTF-8 (they would turn into U+FFFD).
 */
function checkFormEncoding(text: string, where: string): void {
  try {
    decodeURIComponent(text);
  } catch {
    const part = text.split('&').find((piece) => {
      try {
        decodeURIComponent(piece);
        return false;
      } catch {
        return true;
      }
    });
    const shown = JSON.stringify((part ?? '').slice(0, 60));
    throw new EmulatorRequestError(
      400,
      20001,
      `${where} is not valid form encoding: ${shown} has a malformed %-escape or bytes that are not UTF-8`,
    );
  }
}

function readBody(operationId: OperationId, call: IncomingCall): { params: Params; json: unknown } {
  const info = operationTable[operationId];
  checkFormEncoding(call.url.search.slice(1), 'The query string');
  if (info.body === null) {
    const params = new Params(decodeParams(call.url.searchParams));
    if (info.method === 'GET') {
      checkSidFilters(params, sidFiltersOf(operationId));
    }
    return { params, json: undefined };
  }
  const body = call.body ?? '';
  if (body.length > MAX_BODY_BYTES / 4 && Buffer.byteLength(body) > MAX_BODY_BYTES) throw tooLarge();
  const contentType = (call.contentType ?? '').toLowerCase();
  if (info.body === 'json') {
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch (error) {
      throw new EmulatorRequestError(
        400,
        20001,
        `Request body is not valid JSON (${(error as Error).message})`,
      );
    }
    return { params: new Params(decodeParams(call.url.searchParams)), json };
  }
  if (contentType !== '' && !contentType.startsWith('application/x-www-form-urlencoded')) {
    throw new EmulatorRequestError(
      400,
      20001,
      `Request body must be application/x-www-form-urlencoded, got ${call.contentType}`,
    );
  }
  checkFormEncoding(body, 'The request body');
  return { params: new Params(decodeParams(body)), json: undefined };
}

/** The 413 answer for a body over {@link MAX_BODY_BYTES}. */
export function tooLarge(): EmulatorRequestError {
  return new EmulatorRequestError(413, 20413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
}

/** Basic credentials as {@link basicCredentials} reads them. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

// A client sends the same header on every call, and each call reads it twice: the last one is kept.
let lastHeader: string | null = null;
let lastCredentials: BasicCredentials | undefined;

/** The user name and password of Basic credentials, or undefined. */
export function basicCredentials(header: string | null): BasicCredentials | undefined {
  if (header === null) return undefined;
  if (header !== lastHeader) {
    lastCredentials = readBasicCredentials(header);
    lastHeader = header;
  }
  return lastCredentials;
}

function readBasicCredentials(header: string): BasicCredentials | undefined {
  if (!/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return Object.freeze({ user: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
}

function callerAccountSid(header: string | null): string | null {
  return basicCredentials(header)?.user ?? null;
}

/** Whether an Authorization header carries credentials the policy accepts (Basic). */
export function isAuthorized(credentials: CredentialPolicy, header: string | null): boolean {
  const caller = basicCredentials(header);
  if (caller === undefined) return false;
  if (credentials.acceptAny) return true;
  if (caller.user === credentials.accountSid) return caller.password === credentials.authToken;
  return credentials.apiKeys.get(caller.user) === caller.password;
}

/** The Twilio-shaped error answer. */
export function answerFor(error: EmulatorRequestError): OutgoingAnswer {
  return { status: error.status, body: JSON.stringify(error.toJSON()) };
}

function answerFromReply(reply: Reply): OutgoingAnswer {
  const body = reply.status === 204 ? null : JSON.stringify(reply.body);
  return reply.etag === undefined
    ? { status: reply.status, body }
    : { status: reply.status, body, etag: reply.etag };
}
