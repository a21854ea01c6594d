import {
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
  redactUrl,
} from './errors.js';

/**
 * A `fetch`-compatible function: it receives a `Request` and resolves to a `Response`.
 * `globalThis.fetch`, msw's patched fetch and the emulator's handler all fit.
 */
export type FetchLike = (request: Request) => Promise<Response>;

/** Time and randomness used by retries; replaced by a fake in tests. @internal */
export interface Clock {
  now(): number;
  /** A number in [0, 1). */
  random(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** @internal */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** @internal */
export interface TransportSettings {
  /** Value of the Authorization header. */
  authorization: string;
  userAgent: string;
  /** Looked up on every attempt when undefined, so interceptors installed later still apply. */
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
  clock: Clock;
}

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 3000;
/** A longer Retry-After is not waited out: the error is raised so the caller can decide. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Statuses after which a GET or DELETE is tried again; a POST only ever retries 429. */
const RETRYABLE_IDEMPOTENT_STATUSES = new Set([429, 502, 503, 504]);
/** Statuses whose Retry-After header is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

type AttemptResult = { response: Response; text: string } | { failure: TaskRouterError };

/**
 * Builds the function that sends every request of a client: it adds the credentials and
 * default headers, applies the per-attempt timeout, retries what is safe to retry and turns
 * any non-2xx answer into a {@link TaskRouterApiError}. The returned 2xx response is buffered,
 * so the timeout also covers reading the body.
 * @internal
 */
export function createTransport(settings: TransportSettings): FetchLike {
  const { clock, maxRetries } = settings;

  return async function send(request: Request): Promise<Response> {
    const { method, url, signal } = request;
    const idempotent = method === 'GET' || method === 'DELETE';
    const headers = new Headers(request.headers);
    headers.set('Authorization', settings.authorization);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    if (!headers.has('User-Agent')) headers.set('User-Agent', settings.userAgent);
    const body = request.body === null ? undefined : await request.arrayBuffer();

    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      const result = await attemptOnce(url, { method, headers, body, signal });
      const canRetry = attempt < maxRetries;
      if ('failure' in result) {
        if (!(idempotent && canRetry)) throw result.failure;
        await clock.sleep(backoffMs(attempt), signal);
        continue;
      }
      const { response, text } = result;
      if (response.ok) return response;
      const { status } = response;
      if (canRetry && (status === 429 || (idempotent && RETRYABLE_IDEMPOTENT_STATUSES.has(status)))) {
        const delay = RETRY_AFTER_STATUSES.has(status)
          ? retryAfterMs(response.headers.get('Retry-After'))
          : undefined;
        if (delay === undefined || delay <= MAX_RETRY_AFTER_MS) {
          await clock.sleep(delay ?? backoffMs(attempt), signal);
          continue;
        }
      }
      throw apiErrorFrom(response, text, method, url);
    }
  };

  async function attemptOnce(
    url: string,
    init: { method: string; headers: Headers; body: ArrayBuffer | undefined; signal: AbortSignal },
  ): Promise<AttemptResult> {
    const fetchImpl = settings.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
      throw new TaskRouterError('No fetch implementation is available: pass options.fetch to the client');
    }
    const { method, signal: userSignal } = init;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), settings.timeoutMs);
    try {
      const signal = AbortSignal.any([userSignal, timeout.signal]);
      const answer = await settleOrAbort(fetchImpl(new Request(url, { ...init, signal })), signal);
      const text = await settleOrAbort(answer.text(), signal);
      if (answer.ok && !isJsonOrEmpty(text)) {
        return { failure: unreadableAnswer(method, url, answer.status, text) };
      }
      const response = new Response(NULL_BODY_STATUSES.has(answer.status) ? null : text, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
      });
      return { response, text };
    } catch (error) {
      if (userSignal.aborted) throw userSignal.reason;
      const unsafe = method === 'POST';
      const target = `${method} ${redactUrl(url)}`;
      if (timeout.signal.aborted) {
        const outcome = unsafe ? '; the server may have acted on it, so its outcome is unknown' : '';
        return {
          failure: new TaskRouterTimeoutError(
            `${target} timed out after ${settings.timeoutMs} ms${outcome}`,
            {
              method,
              url,
              timeoutMs: settings.timeoutMs,
            },
          ),
        };
      }
      const detail = error instanceof Error ? error.message : String(error);
      const outcome = unsafe ? ' The server may have received it, so its outcome is unknown.' : '';
      return {
        failure: new TaskRouterNetworkError(`${target} failed: ${detail}.${outcome}`, {
          method,
          url,
          cause: error,
        }),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exponential backoff with full jitter: a random wait below min(cap, base · 2^attempt). */
  function backoffMs(attempt: number): number {
    return Math.floor(clock.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
  }

  /** Reads Retry-After as delay-seconds or as an HTTP date. */
  function retryAfterMs(header: string | null): number | undefined {
    const value = header?.trim();
    if (!value) return undefined;
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = value.endsWith('GMT') ? Date.parse(value) : Number.NaN;
    return Number.isNaN(date) ? undefined : Math.max(0, date - clock.now());
  }
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts, so a fetch
 * or a body stream that ignores its signal cannot outlive the timeout.
 */
function settleOrAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const FALLBACK_SNIPPET_LENGTH = 200;

function isJsonOrEmpty(text: string): boolean {
  if (text === '') return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A 2xx answer whose body is not JSON (cut short, or a page from a proxy): the request went
 * through but its result cannot be read, which is a transport failure rather than an API error.
 */
function unreadableAnswer(method: string, url: string, status: number, text: string): TaskRouterNetworkError {
  const snippet = text.trim().slice(0, FALLBACK_SNIPPET_LENGTH);
  const outcome =
    method === 'POST' ? '. The server accepted the request, but what it created or changed is unknown' : '';
  return new TaskRouterNetworkError(
    `${method} ${redactUrl(url)} answered ${status} with a body that is not JSON (${JSON.stringify(snippet)})${outcome}`,
    { method, url },
  );
}

function apiErrorFrom(response: Response, text: string, method: string, url: string): TaskRouterApiError {
  const { status } = response;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (
    typeof document === 'object' &&
    document !== null &&
    typeof (document as { message?: unknown }).message === 'string'
  ) {
    const { message, code, more_info, details } = document as Record<string, unknown>;
    return new TaskRouterApiError({
      status,
      message: message as string,
      code: typeof code === 'number' ? code : undefined,
      moreInfo: typeof more_info === 'string' ? more_info : undefined,
      details:
        typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined,
      method,
      url,
      response,
    });
  }
  const snippet = text.trim().slice(0, FALLBACK_SNIPPET_LENGTH);
  return new TaskRouterApiError({
    status,
    message: `[HTTP ${status}] ${snippet || response.statusText || 'Request failed'}`,
    method,
    url,
    response,
  });
}
