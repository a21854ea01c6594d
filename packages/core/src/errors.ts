/**
 * Every error this toolkit raises on purpose extends {@link TaskRouterError}, so one
 * `instanceof TaskRouterError` check catches them all.
 */

const API_ERROR_BRAND = Symbol.for('@taskrouter/core/TaskRouterApiError');

/** Query parameter names whose values look like secrets and are masked in error URLs. */
const SECRET_QUERY_NAME = /pass|secret|auth|token|signature|api_?key/i;
const REDACTED = 'REDACTED';

/**
 * Removes credentials from a URL before it is stored in an error: user info
 * (`https://user:pass@host`) is dropped and secret-looking query values are masked.
 * @internal
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[invalid URL]';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of new Set(parsed.searchParams.keys())) {
    if (SECRET_QUERY_NAME.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.href;
}

/** Base class of every error raised by the TaskRouter toolkit. */
export class TaskRouterError extends Error {
  override name = 'TaskRouterError';

  /** Plain-object form for structured logs: the name, the message and the error's own fields. */
  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this)), name: this.name, message: this.message };
  }
}

/** What a {@link TaskRouterApiError} is built from. */
export interface TaskRouterApiErrorInit {
  /** HTTP status of the answer. */
  status: number;
  /** Twilio error code from the body, when the body had one. */
  code?: number | undefined;
  /** Human-readable message. */
  message: string;
  /** Link to the documentation of the error code. */
  moreInfo?: string | undefined;
  /** Extra structured details the server sent. */
  details?: Record<string, unknown> | undefined;
  /** HTTP method of the request. */
  method: string;
  /** URL of the request; credentials are removed before it is stored. */
  url: string;
  /** The raw answer. */
  response?: Response | undefined;
}

/**
 * The server answered with a status outside 2xx.
 *
 * @example
 * ```ts
 * try {
 *   await client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: workspaceSid } } });
 * } catch (error) {
 *   if (isTaskRouterApiError(error) && error.status === 404) console.log('no such workspace');
 *   else throw error;
 * }
 * ```
 */
export class TaskRouterApiError extends TaskRouterError {
  override name = 'TaskRouterApiError';
  /** HTTP status of the answer, such as 404. */
  declare readonly status: number;
  /** Twilio error code, such as 20404; `undefined` when the body was not a Twilio error document. */
  declare readonly code: number | undefined;
  /** Link to Twilio's page about {@link TaskRouterApiError.code}. */
  declare readonly moreInfo: string | undefined;
  /** Extra structured details, when the server sent any. */
  declare readonly details: Record<string, unknown> | undefined;
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** URL of the failed request, with credentials removed. */
  declare readonly url: string;
  /** The raw answer (not enumerable, so it stays out of logs and JSON). */
  declare readonly response: Response | undefined;

  constructor(init: TaskRouterApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.moreInfo = init.moreInfo;
    this.details = init.details;
    this.method = init.method;
    this.url = redactUrl(init.url);
    Object.defineProperty(this, 'response', { value: init.response, enumerable: false });
  }
}

Object.defineProperty(TaskRouterApiError.prototype, API_ERROR_BRAND, { value: true });

/**
 * Tells whether a value is a {@link TaskRouterApiError}. Unlike `instanceof`, it also
 * recognises errors from another installed copy of this package.
 */
export function isTaskRouterApiError(error: unknown): error is TaskRouterApiError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [API_ERROR_BRAND]?: unknown })[API_ERROR_BRAND] === true
  );
}

/** What a {@link TaskRouterNetworkError} or {@link TaskRouterTimeoutError} is built from. */
export interface RequestFailureInit {
  /** HTTP method of the request. */
  method: string;
  /** URL of the request; credentials are removed before it is stored. */
  url: string;
  /** The underlying error. */
  cause?: unknown | undefined;
}

/**
 * The request could not be sent or its answer could not be read: DNS, a refused or reset
 * connection, an answer cut short, or a 2xx answer whose body is not JSON.
 */
export class TaskRouterNetworkError extends TaskRouterError {
  override name = 'TaskRouterNetworkError';
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** URL of the failed request, with credentials removed. */
  declare readonly url: string;

  constructor(message: string, init: RequestFailureInit) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.url = redactUrl(init.url);
  }
}

/**
 * One attempt took longer than `timeoutMs`. For a POST the server may have acted on the
 * request anyway, so its outcome is unknown and it is never retried.
 */
export class TaskRouterTimeoutError extends TaskRouterError {
  override name = 'TaskRouterTimeoutError';
  /** HTTP method of the request that timed out. */
  declare readonly method: string;
  /** URL of the request that timed out, with credentials removed. */
  declare readonly url: string;
  /** The per-attempt limit that was exceeded, in milliseconds. */
  declare readonly timeoutMs: number;

  constructor(message: string, init: RequestFailureInit & { timeoutMs: number }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.url = redactUrl(init.url);
    this.timeoutMs = init.timeoutMs;
  }
}

/**
 * The answer's body is larger than the client's `maxResponseBytes`, as received or once decoded
 * (a small compressed answer can decode to gigabytes). Reading stopped at the limit; the call is
 * not retried. For a POST the server may have acted on the request.
 */
export class TaskRouterResponseTooLargeError extends TaskRouterNetworkError {
  override name = 'TaskRouterResponseTooLargeError';
  /** The limit that was exceeded, in bytes. */
  declare readonly maxResponseBytes: number;

  constructor(message: string, init: RequestFailureInit & { maxResponseBytes: number }) {
    super(message, init);
    this.maxResponseBytes = init.maxResponseBytes;
  }
}

/** What a {@link TaskRouterRedirectError} is built from. */
export interface TaskRouterRedirectErrorInit extends RequestFailureInit {
  /** Status of the redirect; 0 when a browser hid the redirect (an opaque redirect). */
  status: number;
  /** Origin of the `Location` the server pointed to, when it could be read. */
  targetOrigin: string | undefined;
}

/**
 * The server answered with a redirect. TaskRouter never redirects, so the client never follows
 * one: the request, its credentials and its body go nowhere else. Not retried.
 */
export class TaskRouterRedirectError extends TaskRouterError {
  override name = 'TaskRouterRedirectError';
  /** Status of the redirect (301, 302, 303, 307, 308); 0 for a redirect a browser kept opaque. */
  declare readonly status: number;
  /** Origin the redirect pointed to (`https://elsewhere.example`), or `undefined` when unknown. */
  declare readonly targetOrigin: string | undefined;
  /** HTTP method of the request. */
  declare readonly method: string;
  /** URL of the request, with credentials removed. */
  declare readonly url: string;

  constructor(message: string, init: TaskRouterRedirectErrorInit) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.targetOrigin = init.targetOrigin;
    this.method = init.method;
    this.url = redactUrl(init.url);
  }
}

/** Input was rejected before any request was sent. */
export class TaskRouterValidationError extends TaskRouterError {
  override name = 'TaskRouterValidationError';
  /** Name (or dotted path) of the offending option, parameter or field. */
  declare readonly field: string;
  /** Why the value was rejected. */
  declare readonly reason: string;

  constructor(field: string, reason: string) {
    super(`Invalid ${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}
