import type { Middleware, MiddlewareCallbackParams } from 'openapi-fetch';
import { bytesToBase64 } from './base64.js';
import { TaskRouterValidationError } from './errors.js';
import { encodeFormAt } from './form.js';
import { sidFieldPrefixes, sidPathSegments } from './generated/facts.js';
import { jsonBodyPaths as jsonBodyPathList } from './generated/operations.js';
import { type SidPrefix, assertSid } from './sid.js';
import {
  type Clock,
  type FetchLike,
  MAX_TIMEOUT_MS,
  apiErrorFrom,
  createTransport,
  readableCopy,
  systemClock,
} from './transport.js';
import type { TaskRouterApiClient } from './types.js';

/** The TaskRouter API host. */
export const DEFAULT_BASE_URL = 'https://taskrouter.twilio.com';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
/** TaskRouter's largest page (1,000 items) stays well under this; a hostile answer does not. */
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const DEFAULT_USER_AGENT = '@taskrouter/core';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Options of {@link createTaskRouterClient}. */
export interface TaskRouterClientOptions {
  /**
   * Account SID (`AC…`); required with either credential style. Leave it out, with every other
   * credential, for a client in a browser that talks to your own proxy (see `baseUrl`).
   */
  accountSid?: string | undefined;
  /** Auth token of the account. Give either this, or `apiKey` with `apiSecret`. */
  authToken?: string | undefined;
  /** API key SID (`SK…`), used together with `apiSecret`. */
  apiKey?: string | undefined;
  /** Secret of `apiKey`. */
  apiSecret?: string | undefined;
  /**
   * Where requests go; defaults to {@link DEFAULT_BASE_URL}. Point it at an emulator in tests.
   * Without credentials (browser mode) it is required and names your app's own proxy, which adds
   * the credentials server side: a path such as `/taskrouter`, resolved against the page, or an
   * absolute URL on the page's own origin.
   */
  baseUrl?: string | undefined;
  /**
   * The `fetch` to send requests with; it receives a `Request`, unless it offers a direct way to
   * send (as `createNodeFetch()` of `@taskrouter/core/node` does). When omitted, `globalThis.fetch`
   * is looked up on every call, so interceptors (msw and the like) installed after the client was
   * made still apply, and is called as `fetch(url, init)`.
   */
  fetch?: FetchLike | undefined;
  /** Time limit of one attempt in milliseconds, including reading the body; defaults to 30 000. */
  timeoutMs?: number | undefined;
  /** How many times a failed call may be retried (see the README's retry rules); defaults to 2. */
  maxRetries?: number | undefined;
  /** `User-Agent` header; defaults to `@taskrouter/core`. */
  userAgent?: string | undefined;
  /**
   * Largest answer body accepted, in bytes, as received and once decoded (gzip, deflate or
   * brotli); defaults to 8 MiB, several times TaskRouter's largest page. A larger answer fails
   * with a `TaskRouterResponseTooLargeError` as soon as reading gets past the limit.
   */
  maxResponseBytes?: number | undefined;
}

/**
 * Creates a typed client for every TaskRouter v1 operation. Calls use openapi-fetch's
 * convention: the path template, then `{ params: { path, query }, body }` with TaskRouter's
 * PascalCase names. A 2xx answer resolves to `{ data, response }`; any other status rejects with
 * a `TaskRouterApiError`, and bad input (a malformed SID, an unencodable value) rejects with a
 * `TaskRouterValidationError` before anything is sent.
 *
 * Bodies are form-encoded the way TaskRouter expects (arrays as repeated keys, booleans as
 * `true`/`false`, dates as `YYYY-MM-DDTHH:mm:ssZ`, `Attributes`/`Configuration` objects as JSON
 * text); the bulk queue statistics call is sent as JSON.
 *
 * Redirects are never followed (`TaskRouterRedirectError`), answers larger than
 * `maxResponseBytes` fail (`TaskRouterResponseTooLargeError`), and a DELETE retried after its
 * answer was lost (network error, timeout, 502 or 504) resolves when the retry finds nothing
 * (404): the resource is gone.
 *
 * @throws {@link TaskRouterValidationError} when the options are invalid.
 * @example
 * ```ts
 * import { createTaskRouterClient } from '@taskrouter/core';
 *
 * const client = createTaskRouterClient({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 * });
 * const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
 *   params: { path: { WorkspaceSid: 'WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } },
 *   body: { Attributes: { type: 'support' }, Priority: 5 },
 * });
 * console.log(task.sid, task.assignment_status);
 * ```
 */
export function createTaskRouterClient(options: TaskRouterClientOptions): TaskRouterApiClient {
  return createClientWithClock(options, systemClock);
}

type Method = 'GET' | 'POST' | 'DELETE';
type HeaderValues = Iterable<readonly [string, unknown]> | Record<string, unknown>;

/** The options of one call as the client reads them at run time (the types check them at compile time). */
interface CallInit {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
  };
  body?: unknown;
  headers?: HeaderValues;
  signal?: AbortSignal | null;
  baseUrl?: string;
  querySerializer?: (query: Record<string, unknown>) => string;
  bodySerializer?: (body: unknown) => unknown;
  pathSerializer?: (url: string, values: Record<string, unknown>) => string;
  middleware?: Middleware[];
}

type UntypedCall = (path: string, init?: CallInit) => Promise<{ data: unknown; response: Response }>;

const jsonBodyPaths = new Set<string>(jsonBodyPathList);

/** {@link createTaskRouterClient} with an injectable clock for retries. @internal */
export function createClientWithClock(
  options: TaskRouterClientOptions,
  clock: Clock,
  defaultFetch?: () => typeof globalThis.fetch | undefined,
): TaskRouterApiClient {
  const settings = resolveOptions(options);
  const send = createTransport({ ...settings, clock, defaultFetch });
  // Per-call base URLs are validated like the client's; pagination passes the same one on every page.
  let lastCallBase: { given: string; resolved: string } | undefined;
  const callBaseUrl = (given: unknown): string => {
    if (given === undefined) return settings.baseUrl;
    if (lastCallBase?.given !== given)
      lastCallBase = { given: given as string, resolved: resolveBaseUrl(given) };
    return lastCallBase.resolved;
  };
  const middlewares: Middleware[] = [];

  /** Sends a `Request` through the transport and answers with a readable `Response` (for middleware). */
  async function sendRequest(request: Request): Promise<Response> {
    const { response, text } = await send(
      {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: request.body === null ? undefined : await request.arrayBuffer(),
      },
      request.signal,
    );
    return readableCopy(response, text);
  }

  const method =
    (name: Method): UntypedCall =>
    async (path, init = {}) => {
      const { params = {}, body } = init;
      checkPathParameters(path, params.path ?? {});
      checkSidFields(params.query, 'params.query');
      const { querySerializer = serializeQuery, pathSerializer = fillPath } = init;
      if (typeof querySerializer !== 'function') {
        throw new TaskRouterValidationError(
          'querySerializer',
          'must be a function that returns the query string',
        );
      }
      let url = callBaseUrl(init.baseUrl) + path;
      if (params.path) url = pathSerializer(url, params.path);
      const query = querySerializer(params.query ?? {}).replace(/^\?/, '');
      if (query !== '') url += `?${query}`;

      const json = jsonBodyPaths.has(path);
      const { bodySerializer = json ? serializeJson : serializeForm } = init;
      const headers: Record<string, string> = {};
      let serialized: unknown;
      if (body !== undefined) {
        checkSidFields(body as Record<string, unknown>, 'body');
        headers['content-type'] = json ? 'application/json' : FORM_CONTENT_TYPE;
        serialized = bodySerializer(body);
      }
      addHeaders(headers, init.headers, 'headers');
      addHeaders(headers, params.header, 'params.header');
      const signal = init.signal ?? undefined;

      const chain = init.middleware?.length ? [...middlewares, ...init.middleware] : middlewares;
      if (chain.length === 0 && (serialized === undefined || typeof serialized === 'string')) {
        const { data, response } = await send({ method: name, url, headers, body: serialized }, signal);
        return { data, response };
      }
      const request = new Request(url, { method: name, headers, body: serialized as BodyInit, signal });
      const response = await runMiddleware(chain, request, {
        schemaPath: path,
        params,
        id: Math.random().toString(36).slice(2, 11),
        options: Object.freeze({
          baseUrl: settings.baseUrl,
          fetch: sendRequest as typeof fetch,
          parseAs: 'json',
          querySerializer,
          bodySerializer,
          pathSerializer,
        }),
      });
      const text = await response.text();
      if (!response.ok) throw apiErrorFrom(response, text, name, url);
      return { data: text === '' ? undefined : JSON.parse(text), response };
    };

  /**
   * Runs openapi-fetch style middleware around {@link sendRequest}: `onRequest` in order (it may
   * replace the request or answer it), then `onError` and `onResponse` in reverse order.
   */
  async function runMiddleware(
    chain: Middleware[],
    request: Request,
    context: Omit<MiddlewareCallbackParams, 'request'>,
  ): Promise<Response> {
    for (const { onRequest } of chain) {
      const result = await onRequest?.({ ...context, request });
      if (result instanceof Response) return result;
      if (result instanceof Request) request = result;
      else if (result) throw new TypeError('onRequest must return a Request, a Response or nothing');
    }
    const reversed = [...chain].reverse();
    let response: Response | undefined;
    try {
      response = await sendRequest(request);
    } catch (error) {
      let failure = error;
      for (const { onError } of reversed) {
        const result = await onError?.({ ...context, request, error: failure });
        if (result instanceof Response) {
          response = result;
          break;
        }
        if (result instanceof Error) failure = result;
        else if (result) throw new TypeError('onError must return a Response, an Error or nothing');
      }
      if (response === undefined) throw failure;
    }
    for (const { onResponse } of reversed) {
      const result: unknown = await onResponse?.({ ...context, request, response });
      if (result instanceof Response) response = result;
      else if (result) throw new TypeError('onResponse must return a Response or nothing');
    }
    return response;
  }

  const client: TaskRouterApiClient = {
    baseUrl: settings.baseUrl,
    GET: method('GET') as TaskRouterApiClient['GET'],
    POST: method('POST') as TaskRouterApiClient['POST'],
    DELETE: method('DELETE') as TaskRouterApiClient['DELETE'],
    use(...added) {
      for (const middleware of added) {
        if (!middleware) continue;
        if (
          typeof middleware !== 'object' ||
          !('onRequest' in middleware || 'onResponse' in middleware || 'onError' in middleware)
        ) {
          throw new TaskRouterValidationError(
            'middleware',
            'must be an object with onRequest, onResponse or onError',
          );
        }
        middlewares.push(middleware);
      }
    },
    eject(...removed) {
      for (const middleware of removed) {
        const index = middlewares.indexOf(middleware);
        if (index !== -1) middlewares.splice(index, 1);
      }
    },
  };
  return Object.freeze(client);
}

const serializeQuery = (query: Record<string, unknown>) => encodeFormAt(query, 'params.query.');
const serializeForm = (body: unknown) => encodeFormAt(body as Record<string, unknown>, 'body.');
const serializeJson = (body: unknown) => JSON.stringify(body);

/** Puts each `{Name}` path parameter (all checked to be there) into the URL, percent-encoded. */
function fillPath(url: string, values: Record<string, unknown>): string {
  return url.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_BREAK = /[\r\n\0]/;

/**
 * Copies headers into `target` under lower-case names, later ones winning: `null` removes a header
 * and an array sends its values joined, as openapi-fetch does.
 */
function addHeaders(
  target: Record<string, string>,
  source: HeaderValues | undefined,
  location: string,
): void {
  if (typeof source !== 'object' || source === null) return;
  const entries = Symbol.iterator in source ? source : Object.entries(source);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (value === null) {
      delete target[key];
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    if (!HEADER_NAME.test(name))
      throw new TaskRouterValidationError(`${location}.${name}`, 'is not a valid header name');
    if (HEADER_VALUE_BREAK.test(text)) {
      throw new TaskRouterValidationError(
        `${location}.${name}`,
        'must not contain line breaks or NUL characters',
      );
    }
    target[key] = text;
  }
}

interface ResolvedOptions {
  baseUrl: string;
  /** Undefined in browser mode: the proxy adds the credentials. */
  authorization: string | undefined;
  userAgent: string;
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
}

/** Validates the options up front; messages never repeat a credential's value. */
function resolveOptions(options: TaskRouterClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TaskRouterValidationError('options', 'must be an object');
  }
  const { fetch, userAgent } = options;
  const authorization = authorizationFor(options);

  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new TaskRouterValidationError('fetch', 'must be a function');
  }
  if (
    userAgent !== undefined &&
    (typeof userAgent !== 'string' || userAgent === '' || /[\r\n]/.test(userAgent))
  ) {
    throw new TaskRouterValidationError('userAgent', 'must be a non-empty string without line breaks');
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new TaskRouterValidationError('maxResponseBytes', 'must be a whole number of bytes, 1 or more');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TaskRouterValidationError(
      'timeoutMs',
      `must be a number of milliseconds above 0, at most ${MAX_TIMEOUT_MS}`,
    );
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new TaskRouterValidationError('maxRetries', 'must be a whole number, 0 or more');
  }

  return {
    baseUrl:
      authorization === undefined
        ? resolveProxyBaseUrl(options.baseUrl)
        : resolveBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    authorization,
    userAgent: userAgent ?? DEFAULT_USER_AGENT,
    fetch,
    timeoutMs,
    maxRetries,
    maxResponseBytes,
  };
}

/** The credential options of a client (or of a proxy, which holds them for browsers). @internal */
export type CredentialOptions = Pick<
  TaskRouterClientOptions,
  'accountSid' | 'authToken' | 'apiKey' | 'apiSecret'
>;

/**
 * The `Authorization` header for the credentials, validated (messages never repeat a secret), or
 * `undefined` when none is given at all: browser mode.
 * @internal
 */
export function authorizationFor(options: CredentialOptions): string | undefined {
  const { accountSid, authToken, apiKey, apiSecret } = options;
  if ([accountSid, authToken, apiKey, apiSecret].every((value) => value === undefined)) {
    if ((options as TaskRouterClientOptions).baseUrl !== undefined) return undefined;
    throw new TaskRouterValidationError(
      'authToken',
      "is required: give authToken, or apiKey with apiSecret (in a browser, give none and a baseUrl naming your app's proxy)",
    );
  }
  assertSid(accountSid, 'AC', 'accountSid');
  let username: string;
  let password: string;
  if (authToken !== undefined) {
    if (apiKey !== undefined || apiSecret !== undefined) {
      throw new TaskRouterValidationError(
        'authToken',
        'cannot be combined with apiKey/apiSecret; use one credential style',
      );
    }
    requireSecret(authToken, 'authToken');
    [username, password] = [accountSid, authToken];
  } else if (apiKey !== undefined || apiSecret !== undefined) {
    assertSid(apiKey, 'SK', 'apiKey');
    requireSecret(apiSecret, 'apiSecret');
    [username, password] = [apiKey, apiSecret];
  } else {
    throw new TaskRouterValidationError('authToken', 'is required: give authToken, or apiKey with apiSecret');
  }
  return `Basic ${bytesToBase64(new TextEncoder().encode(`${username}:${password}`))}`;
}

/**
 * The base URL of a client without credentials: its app's proxy, a path resolved against the
 * page or an absolute URL on the page's origin (any origin where there is no page, as in tests).
 */
function resolveProxyBaseUrl(baseUrl: unknown): string {
  const page = (globalThis as { location?: { href?: unknown } }).location?.href;
  const origin = typeof page === 'string' ? new URL(page).origin : undefined;
  if (typeof baseUrl === 'string' && baseUrl.startsWith('/') && !baseUrl.startsWith('//')) {
    if (origin === undefined) {
      throw new TaskRouterValidationError(
        'baseUrl',
        'is a path, which needs a page to resolve against; give an absolute URL outside a browser',
      );
    }
    return resolveBaseUrl(origin + baseUrl);
  }
  const resolved = resolveBaseUrl(baseUrl);
  if (origin !== undefined && new URL(resolved).origin !== origin) {
    throw new TaskRouterValidationError(
      'baseUrl',
      "must be on the page's own origin without credentials: the client talks to your app's proxy",
    );
  }
  return resolved;
}

function requireSecret(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value === '')
    throw new TaskRouterValidationError(field, 'must be a non-empty string');
}

function resolveBaseUrl(baseUrl: unknown): string {
  const reason = 'must be an absolute http(s) URL without credentials, query or fragment';
  if (typeof baseUrl !== 'string') throw new TaskRouterValidationError('baseUrl', reason);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TaskRouterValidationError('baseUrl', reason);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new TaskRouterValidationError('baseUrl', reason);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

interface PathParameter {
  name: string;
  prefix: SidPrefix | undefined;
}

const pathParameterCache = new Map<string, PathParameter[]>();

/** The parameters of a path template with the SID prefix the spec gives each (none: any non-empty text). */
function pathParametersOf(path: string): PathParameter[] {
  // Only templates are cached: pagination calls literal page paths, which have no parameters.
  if (!path.includes('{')) return [];
  let parameters = pathParameterCache.get(path);
  if (parameters === undefined) {
    const segments = path.split('/');
    parameters = segments.flatMap((segment, index) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return [];
      const key = `${segments[index - 1]}/${segment}`;
      return [{ name, prefix: Object.hasOwn(sidPathSegments, key) ? sidPathSegments[key] : undefined }];
    });
    pathParameterCache.set(path, parameters);
  }
  return parameters;
}

function checkPathParameters(path: string, values: Record<string, unknown>): void {
  for (const { name, prefix } of pathParametersOf(path)) {
    const value = values[name];
    const field = `params.path.${name}`;
    if (prefix !== undefined) assertSid(value, prefix, field);
    else checkPathSegment(value, field);
  }
}

/** Characters that would end a path segment or the path, or that servers treat as such. */
const PATH_CHANGING = /[/\\?#\p{Cc}]/u;

/**
 * Refuses a path parameter that would change which resource the request reaches once the URL
 * is resolved: empty, a dot segment (also percent-encoded, as `%2e%2E`), or holding a slash, a
 * backslash, `?`, `#` or a control character (also percent-encoded).
 */
function checkPathSegment(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new TaskRouterValidationError(field, 'must be a non-empty string');
  }
  let decoded = value;
  if (value.includes('%')) {
    try {
      decoded = decodeURIComponent(value);
    } catch {
      decoded = value;
    }
  }
  if (decoded === '.' || decoded === '..') {
    throw new TaskRouterValidationError(field, 'must not be "." or "..", which would change the path');
  }
  if (PATH_CHANGING.test(decoded) || PATH_CHANGING.test(value)) {
    throw new TaskRouterValidationError(
      field,
      'must not contain "/", "\\", "?", "#" or control characters, which would change the path',
    );
  }
}

function checkSidFields(fields: Record<string, unknown> | undefined, location: string): void {
  if (typeof fields !== 'object' || fields === null) return;
  for (const [name, value] of Object.entries(fields)) {
    // Own keys only: a field named like an Object.prototype member has no prefix.
    const prefix = Object.hasOwn(sidFieldPrefixes, name) ? sidFieldPrefixes[name] : undefined;
    if (prefix === undefined || value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        assertSid(element, prefix, `${location}.${name}[${index}]`);
      });
    } else assertSid(value, prefix, `${location}.${name}`);
  }
}
