import {
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterRedirectError,
  TaskRouterResponseTooLargeError,
  TaskRouterTimeoutError,
  redactUrl,
} from './errors.js';

/**
 * A `fetch`-compatible function: it receives a `Request` and resolves to a `Response`.
 * `globalThis.fetch`, msw's patched fetch and the emulator's handler all fit.
 */
export type FetchLike = (request: Request) => Promise<Response>;

/**
 * Key of the method through which a fetch function offers the client a direct way to send: the
 * client then hands it a plain {@link WireRequest} instead of a `Request`, and takes the answer's
 * body as text instead of reading a stream, which saves several object allocations per call.
 * `@taskrouter/core/node`'s fetch and the `@taskrouter/testing-mocks` emulator's fetch offer it;
 * any other fetch is called as usual. A registered symbol, so that two installed copies of this
 * package agree on it.
 *
 * @example
 * ```ts
 * import { DIRECT_SEND, type DirectSend, type FetchLike, ReadResponse } from '@taskrouter/core';
 *
 * const send: DirectSend = (request) => ({
 *   answer: Promise.resolve({
 *     response: new ReadResponse({
 *       status: 200,
 *       url: request.url,
 *       headers: () => new Headers({ 'content-type': 'application/json' }),
 *     }),
 *     text: JSON.stringify({ sid: 'WS00000000000000000000000000000000', method: request.method }),
 *   }),
 *   cancel() {},
 * });
 * const fetch: FetchLike = async () => new Response('{}');
 * Object.defineProperty(fetch, DIRECT_SEND, { value: send });
 * ```
 */
export const DIRECT_SEND = Symbol.for('@taskrouter/core/direct-send');

/** One request as the client hands it to a {@link DirectSend}: everything is already encoded. */
export interface WireRequest {
  /** `GET`, `POST` or `DELETE`. */
  method: string;
  /** Absolute URL, query string included. */
  url: string;
  /** Header names in lower case; credentials, `accept` and `user-agent` included. */
  headers: Record<string, string>;
  /** The encoded body (form or JSON text), or undefined when the request has none. */
  body: string | ArrayBuffer | undefined;
  /**
   * Largest body the client accepts, in bytes, as received and once decoded. A direct sender
   * stops reading past it and rejects with a {@link ResponseTooLarge}; the client also checks
   * the text it gets back.
   */
  maxResponseBytes?: number | undefined;
}

/**
 * What a {@link DirectSend} rejects with when an answer's body goes past
 * {@link WireRequest.maxResponseBytes}; the client turns it into a
 * `TaskRouterResponseTooLargeError` that names the request.
 */
export class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';

  constructor() {
    super('the answer is larger than maxResponseBytes');
  }
}

/** What a {@link ReadResponse} is made of. */
export interface ReadResponseInit {
  /** HTTP status of the answer, such as 200. */
  status: number;
  /** The reason phrase; empty when the answer had none. */
  statusText?: string;
  /** URL of the request the answer belongs to. */
  url: string;
  /**
   * The answer's headers, or a function that makes them when they are first read: most callers
   * never read them, and building a `Headers` costs more than the rest of this object.
   */
  headers: Headers | (() => Headers);
}

/**
 * An answer whose body has already been read into text, with the Fetch `Response` interface: status,
 * headers and URL as received; `body` null, `bodyUsed` true, the body methods rejecting and `clone`
 * throwing, as on a `Response` whose body was read. An answer whose status has no body (204, 205,
 * 304) behaves as a `Response` without one: `bodyUsed` false, `text()` resolving to `''`, `clone()`
 * working. A {@link DirectSend} answers with it to save building a `Response` for a body the client
 * no longer needs; the Node transport does the same.
 *
 * @example
 * ```ts
 * import { ReadResponse } from '@taskrouter/core';
 *
 * const response = new ReadResponse({
 *   status: 200,
 *   url: 'https://taskrouter.twilio.com/v1/Workspaces',
 *   headers: () => new Headers({ 'content-type': 'application/json' }),
 * });
 * console.log(response.ok, response.headers.get('content-type')); // true application/json
 * ```
 */
export class ReadResponse implements Response {
  /** HTTP status of the answer. */
  declare readonly status: number;
  /** The reason phrase of the answer. */
  declare readonly statusText: string;
  /** URL of the request the answer belongs to. */
  declare readonly url: string;
  /** True: the body has been read; false for a status without a body. */
  declare readonly bodyUsed: boolean;
  /** Always null: the body has been read. */
  readonly body = null;
  /** Always false: the client never follows a redirect. */
  readonly redirected = false;
  /** Always `basic`, as for a same-origin answer. */
  readonly type: Response['type'] = 'basic';
  #headers: Headers | (() => Headers);

  constructor(init: ReadResponseInit) {
    this.status = init.status;
    this.statusText = init.statusText ?? '';
    this.url = init.url;
    this.bodyUsed = !NULL_BODY_STATUSES.has(init.status);
    this.#headers = init.headers;
  }

  /** The headers of the answer, made on first use when given as a function. */
  get headers(): Headers {
    if (typeof this.#headers === 'function') this.#headers = this.#headers();
    return this.#headers;
  }

  /** True for a status from 200 to 299. */
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#standard().arrayBuffer();
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  blob(): Promise<Blob> {
    return this.#standard().blob();
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#standard().bytes();
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  formData(): Promise<FormData> {
    return this.#standard().formData();
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  json(): Promise<unknown> {
    return this.#standard().json();
  }

  /** Rejects, as the body has been read; answers as an empty body for a status without one. */
  text(): Promise<string> {
    return this.#standard().text();
  }

  /** Throws, as the body has been read; for a status without a body, a standard copy without one. */
  clone(): Response {
    return this.#standard().clone();
  }

  /** A standard Response in the same state: with its body read, or without one. */
  #standard(): Response {
    const { status, statusText, headers, bodyUsed } = this;
    const response = new Response(bodyUsed ? '' : null, { status, statusText, headers });
    if (bodyUsed) void response.text();
    return response;
  }
}

/** A request on its way through a {@link DirectSend}. */
export interface Exchange {
  /**
   * Resolves to the answer and its whole body as text (the client reads nothing from the
   * response's body, only its status and headers); rejects when the request fails or is cancelled.
   */
  answer: Promise<{ response: Response; text: string }>;
  /** Stops the request and releases what it holds; `answer` then rejects. Called on timeout or abort. */
  cancel(reason: unknown): void;
}

/** The method a fetch function may carry under {@link DIRECT_SEND}. */
export type DirectSend = (request: WireRequest) => Exchange;

/** Time and randomness used by retries; replaced by a fake in tests. @internal */
export interface Clock {
  now(): number;
  /** A number in [0, 1). */
  random(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** @internal */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** @internal */
export interface TransportSettings {
  /** Value of the Authorization header; undefined in browser mode, where a proxy adds it. */
  authorization: string | undefined;
  userAgent: string;
  /** The caller's fetch; when undefined, {@link TransportSettings.defaultFetch} picks one per attempt. */
  fetch: FetchLike | undefined;
  /**
   * Picks the fetch of a client without one, on every attempt, so interceptors installed later
   * still apply; called as `fetch(url, init)`. Defaults to `globalThis.fetch`.
   */
  defaultFetch?: (() => typeof globalThis.fetch | undefined) | undefined;
  /** Largest answer body accepted, in bytes, as received and decoded. */
  maxResponseBytes: number;
  timeoutMs: number;
  maxRetries: number;
  clock: Clock;
}

/** A 2xx answer: the response (its body read), the body text and the parsed document. @internal */
export interface Answer {
  response: Response;
  text: string;
  data: unknown;
}

/** Sends one request with retries; resolves to a 2xx answer or rejects with a typed error. @internal */
export type Send = (request: WireRequest, signal: AbortSignal | undefined) => Promise<Answer>;

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 3000;
/** A longer Retry-After is not waited out: the error is raised so the caller can decide. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Statuses after which a GET or DELETE is tried again; a POST only ever retries 429. */
const RETRYABLE_IDEMPOTENT_STATUSES = new Set([429, 502, 503, 504]);
/**
 * Statuses after which a DELETE may have been carried out although its answer never came back
 * (a gateway between gave up waiting), as after a network failure or a timeout.
 */
const OUTCOME_UNKNOWN_STATUSES = new Set([502, 504]);
/** Redirect statuses; the client follows none of them. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses whose Retry-After header is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
/** Statuses whose answers have no body. @internal */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
/** Largest delay setTimeout supports. @internal */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** The reason an attempt is cancelled with when it runs out of time. */
const TIMED_OUT = Symbol('timed out');

/**
 * Builds the function that sends every request of a client: it adds the credentials and
 * default headers, applies the per-attempt timeout (reading the body included), retries what is
 * safe to retry and turns any non-2xx answer into a {@link TaskRouterApiError}. Each attempt
 * costs one timer; an abort controller is made only for a fetch that needs a signal.
 * @internal
 */
export function createTransport(settings: TransportSettings): Send {
  const { clock, maxRetries } = settings;

  return async function send(request, signal) {
    const { method, url } = request;
    const idempotent = method === 'GET' || method === 'DELETE';
    const headers: Record<string, string> = { ...request.headers };
    if (settings.authorization !== undefined) headers.authorization = settings.authorization;
    headers.accept ??= 'application/json';
    headers['user-agent'] ??= settings.userAgent;
    const wire = { method, url, headers, body: request.body, maxResponseBytes: settings.maxResponseBytes };
    // Set once an earlier attempt of this call may have been carried out without the answer
    // reaching us: a DELETE that then finds nothing has done its work.
    let mayHaveActed = false;

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const result = await attemptOnce(wire, signal);
      const canRetry = attempt < maxRetries;
      if (result instanceof TaskRouterError) {
        if (!(idempotent && canRetry)) throw result;
        mayHaveActed = true;
        await clock.sleep(backoffMs(attempt), signal);
        continue;
      }
      const { response } = result;
      if (response.ok) return result;
      const { status } = response;
      if (status === 404 && mayHaveActed && method === 'DELETE') return result;
      if (OUTCOME_UNKNOWN_STATUSES.has(status)) mayHaveActed = true;
      if (canRetry && (status === 429 || (idempotent && RETRYABLE_IDEMPOTENT_STATUSES.has(status)))) {
        const delay = RETRY_AFTER_STATUSES.has(status)
          ? retryAfterMs(response.headers.get('Retry-After'))
          : undefined;
        if (delay === undefined || delay <= MAX_RETRY_AFTER_MS) {
          await clock.sleep(delay ?? backoffMs(attempt), signal);
          continue;
        }
      }
      throw apiErrorFrom(response, result.text, method, url);
    }
  };

  /** One attempt: its answer (2xx or not), or the failure that may be retried. */
  async function attemptOnce(
    wire: WireRequest,
    signal: AbortSignal | undefined,
  ): Promise<Answer | TaskRouterError> {
    const { method, url } = wire;
    const fetchImpl = settings.fetch ?? (settings.defaultFetch ?? platformFetch)();
    if (typeof fetchImpl !== 'function') {
      throw new TaskRouterError('No fetch implementation is available: pass options.fetch to the client');
    }
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await settle(start(fetchImpl, wire), settings.timeoutMs, signal));
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const unsafe = method === 'POST';
      const target = `${method} ${redactUrl(url)}`;
      if (error instanceof ResponseTooLarge) throw tooLarge(target, method, url);
      if (error === TIMED_OUT) {
        const outcome = unsafe ? '; the server may have acted on it, so its outcome is unknown' : '';
        return new TaskRouterTimeoutError(`${target} timed out after ${settings.timeoutMs} ms${outcome}`, {
          method,
          url,
          timeoutMs: settings.timeoutMs,
        });
      }
      const detail = error instanceof Error ? error.message : String(error);
      const outcome = unsafe ? ' The server may have received it, so its outcome is unknown.' : '';
      return new TaskRouterNetworkError(`${target} failed: ${detail}.${outcome}`, {
        method,
        url,
        cause: error,
      });
    }
    if (text.length > settings.maxResponseBytes) throw tooLarge(`${method} ${redactUrl(url)}`, method, url);
    if (isRedirect(response)) throw redirectError(response, method, url);
    if (!response.ok || text === '') return { response, text, data: undefined };
    try {
      return { response, text, data: JSON.parse(text) };
    } catch {
      return unreadableAnswer(method, url, response.status, text);
    }
  }

  /**
   * Starts a request: directly when the fetch offers it, with `(url, init)` on the platform
   * fetch (which builds its own `Request` anyway), and with a `Request` on a fetch of the caller's.
   */
  function start(fetchImpl: FetchLike, wire: WireRequest): Exchange {
    const direct = (fetchImpl as { [DIRECT_SEND]?: DirectSend })[DIRECT_SEND];
    if (typeof direct === 'function') return direct(wire);
    const controller = new AbortController();
    const init: RequestInit = {
      method: wire.method,
      headers: wire.headers,
      body: wire.body,
      signal: controller.signal,
      redirect: 'manual',
    };
    const own = settings.fetch;
    const answer = (async () => {
      const response = await (own
        ? own(new Request(wire.url, init))
        : (fetchImpl as typeof globalThis.fetch)(wire.url, init));
      return { response, text: await readText(response, settings.maxResponseBytes) };
    })();
    return { answer, cancel: (reason) => controller.abort(reason) };
  }

  function tooLarge(target: string, method: string, url: string): TaskRouterResponseTooLargeError {
    const { maxResponseBytes } = settings;
    const outcome = method === 'POST' ? '; the server may have acted on it' : '';
    return new TaskRouterResponseTooLargeError(
      `${target} answered with more than maxResponseBytes (${maxResponseBytes})${outcome}`,
      { method, url, maxResponseBytes },
    );
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

const platformFetch = () => globalThis.fetch;

/**
 * Reads a body as UTF-8 text (without a byte order mark, as `Response.text()` does), stopping
 * with a {@link ResponseTooLarge} as soon as it grows past `limit` bytes. The platform's fetch
 * has already decoded any content encoding, so the limit applies to the decoded bytes.
 */
async function readText(response: Response, limit: number): Promise<string> {
  const { body } = response;
  if (body === null) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > limit) {
      reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * Whether an answer is a redirect: a redirect status, a redirect a browser kept opaque
 * (`redirect: 'manual'` gives status 0 there), or one a custom fetch followed on its own.
 */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || response.redirected || REDIRECT_STATUSES.has(response.status);
}

function redirectError(response: Response, method: string, url: string): TaskRouterRedirectError {
  const location = response.redirected ? response.url : response.headers.get('location');
  let targetOrigin: string | undefined;
  try {
    if (location) targetOrigin = new URL(location, url).origin;
  } catch {
    targetOrigin = undefined;
  }
  // A fetch of the caller's that followed the redirect itself reports it as `redirected`.
  const status = response.redirected ? 0 : response.status;
  return new TaskRouterRedirectError(
    `${method} ${redactUrl(url)} answered with a redirect (${status})${targetOrigin ? ` to ${targetOrigin}` : ''}, which is never followed`,
    { method, url, status, targetOrigin },
  );
}

/**
 * Settles like the exchange's answer, or rejects (and cancels the exchange) as soon as the time
 * runs out or the caller's signal aborts, so a fetch or a body that ignores cancellation cannot
 * outlive the timeout.
 */
function settle(
  exchange: Exchange,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ response: Response; text: string }> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const stop = (reason: unknown) => {
      finish();
      exchange.cancel(reason);
      reject(reason);
    };
    const onAbort = () => stop(signal?.reason);
    const timer = setTimeout(stop, timeoutMs, TIMED_OUT);
    signal?.addEventListener('abort', onAbort);
    exchange.answer.then(
      (answer) => {
        finish();
        resolve(answer);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}

/** A `Response` with the same status and headers whose body, already read as `text`, can be read again. @internal */
export function readableCopy(response: Response, text: string): Response {
  const { status, statusText, headers } = response;
  return new Response(NULL_BODY_STATUSES.has(status) ? null : text, { status, statusText, headers });
}

const FALLBACK_SNIPPET_LENGTH = 200;

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

/** The error for a non-2xx answer; it keeps a readable copy of the answer. @internal */
export function apiErrorFrom(
  response: Response,
  text: string,
  method: string,
  url: string,
): TaskRouterApiError {
  const { status } = response;
  const common = { status, method, url, response: readableCopy(response, text) };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  const { message, code, more_info, details } = (document ?? {}) as Record<string, unknown>;
  if (typeof message === 'string') {
    return new TaskRouterApiError({
      ...common,
      message,
      code: typeof code === 'number' ? code : undefined,
      moreInfo: typeof more_info === 'string' ? more_info : undefined,
      details:
        typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined,
    });
  }
  const snippet = text.trim().slice(0, FALLBACK_SNIPPET_LENGTH);
  return new TaskRouterApiError({
    ...common,
    message: `[HTTP ${status}] ${snippet || response.statusText || 'Request failed'}`,
  });
}
