import createClient, { mergeHeaders } from 'openapi-fetch';
import { bytesToBase64 } from './base64.js';
import { TaskRouterValidationError } from './errors.js';
import { encodeFormAt } from './form.js';
import { jsonBodyPaths as jsonBodyPathList } from './generated/operations.js';
import { type SidPrefix, assertSid } from './sid.js';
import { type Clock, type FetchLike, createTransport, systemClock } from './transport.js';
import type { TaskRouterClient } from './types.js';

/** The TaskRouter API host. */
export const DEFAULT_BASE_URL = 'https://taskrouter.twilio.com';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_USER_AGENT = '@taskrouter/core';
/** Largest delay setTimeout supports. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Options of {@link createTaskRouterClient}. */
export interface TaskRouterClientOptions {
  /** Account SID (`AC…`); required with either credential style. */
  accountSid: string;
  /** Auth token of the account. Give either this, or `apiKey` with `apiSecret`. */
  authToken?: string;
  /** API key SID (`SK…`), used together with `apiSecret`. */
  apiKey?: string;
  /** Secret of `apiKey`. */
  apiSecret?: string;
  /** Where requests go; defaults to {@link DEFAULT_BASE_URL}. Point it at an emulator in tests. */
  baseUrl?: string;
  /**
   * The `fetch` to send requests with. When omitted, `globalThis.fetch` is looked up on every
   * call, so interceptors (msw and the like) installed after the client was made still apply.
   */
  fetch?: FetchLike;
  /** Time limit of one attempt in milliseconds, including reading the body; defaults to 30 000. */
  timeoutMs?: number;
  /** How many times a failed call may be retried (see the README's retry rules); defaults to 2. */
  maxRetries?: number;
  /** `User-Agent` header; defaults to `@taskrouter/core`. */
  userAgent?: string;
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
export function createTaskRouterClient(options: TaskRouterClientOptions): TaskRouterClient {
  return createClientWithClock(options, systemClock);
}

type Method = 'GET' | 'POST' | 'DELETE';
type UntypedCall = (path: string, init?: Record<string, unknown>) => Promise<unknown>;

const jsonBodyPaths = new Set<string>(jsonBodyPathList);

/** {@link createTaskRouterClient} with an injectable clock for retries. @internal */
export function createClientWithClock(options: TaskRouterClientOptions, clock: Clock): TaskRouterClient {
  const settings = resolveOptions(options);
  const raw = createClient({
    baseUrl: settings.baseUrl,
    fetch: createTransport({ ...settings, clock }),
    querySerializer: (query) => encodeFormAt(query, 'params.query.'),
  }) as unknown as Record<Method, UntypedCall> & Pick<TaskRouterClient, 'use' | 'eject'>;

  const method =
    (name: Method): UntypedCall =>
    async (path, init = {}) => {
      const params = (init.params ?? {}) as {
        path?: Record<string, unknown>;
        query?: Record<string, unknown>;
      };
      checkPathParameters(path, params.path ?? {});
      checkSidFields(params.query, 'params.query');
      // A per-call fetch would skip the credentials, retries and error mapping of the transport.
      const common = { ...init, fetch: undefined };
      if (init.body === undefined) return raw[name](path, common);
      checkSidFields(init.body as Record<string, unknown>, 'body');
      const json = jsonBodyPaths.has(path);
      return raw[name](path, {
        ...common,
        bodySerializer:
          init.bodySerializer ??
          (json
            ? (body: unknown) => JSON.stringify(body)
            : (body: Record<string, unknown>) => encodeFormAt(body, 'body.')),
        headers: mergeHeaders(
          { 'Content-Type': json ? 'application/json' : FORM_CONTENT_TYPE },
          init.headers as HeadersInit | undefined,
        ),
      });
    };

  const client = {
    baseUrl: settings.baseUrl,
    GET: method('GET'),
    POST: method('POST'),
    DELETE: method('DELETE'),
    use: raw.use,
    eject: raw.eject,
  };
  return Object.freeze(client) as unknown as TaskRouterClient;
}

interface ResolvedOptions {
  baseUrl: string;
  authorization: string;
  userAgent: string;
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/** Validates the options up front; messages never repeat a credential's value. */
function resolveOptions(options: TaskRouterClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TaskRouterValidationError('options', 'must be an object');
  }
  const { accountSid, authToken, apiKey, apiSecret, fetch, userAgent } = options;
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

  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new TaskRouterValidationError('fetch', 'must be a function');
  }
  if (
    userAgent !== undefined &&
    (typeof userAgent !== 'string' || userAgent === '' || /[\r\n]/.test(userAgent))
  ) {
    throw new TaskRouterValidationError('userAgent', 'must be a non-empty string without line breaks');
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
    baseUrl: resolveBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    authorization: `Basic ${bytesToBase64(new TextEncoder().encode(`${username}:${password}`))}`,
    userAgent: userAgent ?? DEFAULT_USER_AGENT,
    fetch,
    timeoutMs,
    maxRetries,
  };
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

/** SID prefix of an instance `{Sid}` by the collection segment before it; channels also take names. */
const collectionPrefixes: Readonly<Record<string, SidPrefix>> = {
  Workspaces: 'WS',
  Activities: 'WA',
  Events: 'EV',
  Tasks: 'WT',
  TaskQueues: 'WQ',
  Workers: 'WK',
  Workflows: 'WW',
  Reservations: 'WR',
};

/** SID prefix of a parameter or field by the end of its name (`PostWorkActivitySid` → WA). */
const fieldSuffixPrefixes: ReadonlyArray<readonly [string, SidPrefix]> = [
  ['WorkspaceSid', 'WS'],
  ['WorkflowSid', 'WW'],
  ['ActivitySid', 'WA'],
  ['WorkerSid', 'WK'],
  ['TaskQueueSid', 'WQ'],
  ['QueueSids', 'WQ'],
  ['TaskSid', 'WT'],
  ['ReservationSid', 'WR'],
  ['CallSid', 'CA'],
];

function fieldPrefix(name: string): SidPrefix | undefined {
  return fieldSuffixPrefixes.find(([suffix]) => name.endsWith(suffix))?.[1];
}

interface PathParameter {
  name: string;
  prefix: SidPrefix | undefined;
}

const pathParameterCache = new Map<string, PathParameter[]>();

function pathParametersOf(path: string): PathParameter[] {
  let parameters = pathParameterCache.get(path);
  if (parameters === undefined) {
    const segments = path.split('/');
    parameters = segments.flatMap((segment, index) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return [];
      const prefix = name === 'Sid' ? collectionPrefixes[segments[index - 1] ?? ''] : fieldPrefix(name);
      return [{ name, prefix }];
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
    else if (typeof value !== 'string' || value === '') {
      throw new TaskRouterValidationError(field, 'must be a non-empty string');
    }
  }
}

function checkSidFields(fields: Record<string, unknown> | undefined, location: string): void {
  if (typeof fields !== 'object' || fields === null) return;
  for (const [name, value] of Object.entries(fields)) {
    const prefix = fieldPrefix(name);
    if (prefix === undefined || value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        assertSid(element, prefix, `${location}.${name}[${index}]`);
      });
    } else assertSid(value, prefix, `${location}.${name}`);
  }
}
