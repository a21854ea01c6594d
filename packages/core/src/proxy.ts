/**
 * The server half of browser mode: a fetch-style handler that forwards the TaskRouter operations
 * it is configured to allow, adding the credentials on the server, so a page never holds them.
 * It uses only web-standard APIs, so it runs in Node servers, edge runtimes, Deno and Bun.
 *
 * @example
 * ```ts
 * import { createTaskRouterProxy } from '@taskrouter/core/proxy';
 *
 * const proxy = createTaskRouterProxy({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   prefix: '/taskrouter',
 *   allow: ['ListTask', 'FetchTask', 'UpdateTaskReservation'],
 *   authorize: (request) => request.headers.get('cookie')?.includes('session=') ?? false,
 * });
 * // In any fetch-style server: return proxy(request) for URLs under /taskrouter/.
 * ```
 * @packageDocumentation
 */
import { DEFAULT_BASE_URL, authorizationFor } from './client.js';
import { TaskRouterValidationError } from './errors.js';
import { type OperationId, type OperationInfo, operationTable } from './generated/operations.js';

/** Options of {@link createTaskRouterProxy}. */
export interface TaskRouterProxyOptions {
  /** Account SID (`AC…`). The credentials live here, on the server, and never reach the browser. */
  accountSid: string;
  /** Auth token of the account. Give either this, or `apiKey` with `apiSecret` (better: a key of its own). */
  authToken?: string | undefined;
  /** API key SID (`SK…`), used together with `apiSecret`. */
  apiKey?: string | undefined;
  /** Secret of `apiKey`. */
  apiSecret?: string | undefined;
  /** The operations the proxy forwards, by operationId (`ListTask`, `UpdateTaskReservation`…); nothing else passes. */
  allow: readonly OperationId[];
  /** The path the proxy is mounted at, such as `/taskrouter`; the browser client's `baseUrl`. Default: none. */
  prefix?: string | undefined;
  /** Where requests are forwarded; defaults to TaskRouter itself. */
  upstream?: string | undefined;
  /** The fetch that sends forwarded requests; defaults to `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /**
   * Decides whether a request may pass, once it matched an allowed operation: check the user's
   * session here, and the resources they may reach (`parameters` holds the path parameters).
   * Refused requests get a 403. By default every allowed operation passes.
   */
  authorize?: (
    request: Request,
    operation: { id: OperationId; parameters: Readonly<Record<string, string>> },
  ) => boolean | Promise<boolean>;
  /** Largest request body forwarded, in bytes; default 64 KiB. Larger ones get a 413. */
  maxRequestBytes?: number | undefined;
}

/** A fetch-style handler: a `Request` in, a `Response` out. */
export type TaskRouterProxy = (request: Request) => Promise<Response>;

const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
/** Request headers passed on; everything else (cookies, the browser's own authorization) stays behind. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-match'];
/** Answer headers passed back. */
const FORWARDED_ANSWER_HEADERS = ['content-type', 'etag', 'retry-after'];
const PAGE_LINKS = ['url', 'first_page_url', 'previous_page_url', 'next_page_url'];

interface Route {
  id: OperationId;
  method: string;
  /** Segments of the path template; a parameter is `{Name}`. */
  segments: string[];
}

/**
 * Creates the handler your server mounts at `prefix` for a browser client made without
 * credentials. A request passes when its method and path match one of the `allow`ed operations
 * (each path parameter one plain segment: no dot segments, no encoded slash) and `authorize`
 * agrees; it is then sent to TaskRouter with the credentials added and with only the headers an
 * API call needs. The links of a list page (`meta.next_page_url`…) are rewritten to point back
 * at the proxy, so paging works through it. Everything else gets a Twilio-style 403 or 404 and
 * is never forwarded. Redirects from upstream are not followed.
 *
 * @throws {@link TaskRouterValidationError} when an option is invalid.
 * @example
 * ```ts
 * import { createTaskRouterProxy } from '@taskrouter/core/proxy';
 *
 * const proxy = createTaskRouterProxy({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   prefix: '/taskrouter',
 *   allow: ['FetchWorker', 'UpdateWorker', 'ListTaskReservation', 'UpdateTaskReservation'],
 * });
 * ```
 */
export function createTaskRouterProxy(options: TaskRouterProxyOptions): TaskRouterProxy {
  if (typeof options !== 'object' || options === null) {
    throw new TaskRouterValidationError('options', 'must be an object');
  }
  const authorization = authorizationFor({
    accountSid: options.accountSid,
    authToken: options.authToken,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
  }) as string;
  const routes = resolveRoutes(options.allow);
  const prefix = resolvePrefix(options.prefix);
  const upstream = resolveUpstream(options.upstream ?? DEFAULT_BASE_URL);
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 0) {
    throw new TaskRouterValidationError('maxRequestBytes', 'must be a whole number of bytes, 0 or more');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TaskRouterValidationError('fetch', 'must be a function');
  }
  const { authorize } = options;

  return async function proxy(request) {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`${prefix}/`)) return refusal(404, 'Not under the proxy path');
    const path = url.pathname.slice(prefix.length);
    const matched = match(routes, request.method, path);
    if (matched === undefined) return refusal(403, 'This operation is not allowed through this proxy');
    if (authorize !== undefined && !(await authorize(request, matched))) {
      return refusal(403, 'Not authorized');
    }
    const body = request.method === 'POST' ? await request.arrayBuffer() : undefined;
    if (body !== undefined && body.byteLength > maxRequestBytes)
      return refusal(413, 'Request body too large');

    const headers = new Headers({ authorization });
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const forwarded = new Request(upstream + path + url.search, {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
    });
    const answer = await (options.fetch ?? globalThis.fetch)(forwarded);
    if (answer.status >= 300 && answer.status < 400)
      return refusal(502, 'The upstream answered with a redirect');
    const answerHeaders = new Headers();
    for (const name of FORWARDED_ANSWER_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) answerHeaders.set(name, value);
    }
    let text = await answer.text();
    if (request.method === 'GET' && answer.ok) text = pointLinksAtProxy(text, upstream, url.origin + prefix);
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      headers: answerHeaders,
    });
  };
}

function resolveRoutes(allow: unknown): Route[] {
  if (!Array.isArray(allow)) {
    throw new TaskRouterValidationError('allow', 'must be an array of operationIds, such as ["FetchTask"]');
  }
  const table: Readonly<Record<string, OperationInfo>> = operationTable;
  return allow.map((id: unknown, index) => {
    const info = typeof id === 'string' && Object.hasOwn(table, id) ? table[id] : undefined;
    if (info === undefined)
      throw new TaskRouterValidationError(`allow[${index}]`, 'is not a TaskRouter operationId');
    return { id: id as OperationId, method: info.method, segments: info.path.split('/') };
  });
}

function resolvePrefix(prefix: unknown): string {
  if (prefix === undefined || prefix === '') return '';
  if (typeof prefix !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix) || /\/\.\.?(\/|$)/.test(prefix)) {
    throw new TaskRouterValidationError(
      'prefix',
      'must be a path such as /taskrouter, without a trailing slash',
    );
  }
  return prefix;
}

function resolveUpstream(upstream: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof upstream === 'string' ? new URL(upstream) : undefined;
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new TaskRouterValidationError(
      'upstream',
      'must be an absolute http(s) URL without credentials, query or fragment',
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** A path parameter: one plain segment, which cannot move the request elsewhere once resolved. */
const SAFE_SEGMENT =
  /^(?!\.\.?$)(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%(?![01][0-9a-fA-F]|2[eEfF]|5[cC]|7[fF])[0-9a-fA-F]{2})+$/;

function match(
  routes: readonly Route[],
  method: string,
  path: string,
): { id: OperationId; parameters: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const parameters: Record<string, string> = {};
    const fits = route.segments.every((expected, index) => {
      const actual = segments[index] as string;
      const name = /^\{(\w+)\}$/.exec(expected)?.[1];
      if (name === undefined) return actual === expected;
      if (!SAFE_SEGMENT.test(actual)) return false;
      try {
        parameters[name] = decodeURIComponent(actual);
      } catch {
        return false;
      }
      return true;
    });
    if (fits) return { id: route.id, parameters };
  }
  return undefined;
}

/** Rewrites the links of a list page from the upstream to the proxy, so the browser pages through it. */
function pointLinksAtProxy(text: string, upstream: string, proxyBase: string): string {
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch {
    return text;
  }
  const meta = (page as { meta?: Record<string, unknown> } | null)?.meta;
  if (typeof meta !== 'object' || meta === null) return text;
  for (const key of PAGE_LINKS) {
    const link = meta[key];
    if (typeof link === 'string' && link.startsWith(`${upstream}/`)) {
      meta[key] = proxyBase + link.slice(upstream.length);
    }
  }
  return JSON.stringify(page);
}

/** An answer in the shape of a Twilio error, so the browser client reports it like any other. */
function refusal(status: number, message: string): Response {
  return Response.json({ code: 20000 + status, message, more_info: null, status }, { status });
}
