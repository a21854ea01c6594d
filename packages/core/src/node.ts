/**
 * A lean transport for Node.js servers: `fetch`-compatible, over `node:http` and `node:https`
 * with keep-alive connections. On Node 20 the built-in fetch spends several times the CPU of a
 * plain `node:http` request on each call and, on first use, loads and compiles its own HTTP stack,
 * which costs start-up time and memory. The client sends through this transport without building
 * `Request`, `Response` or `Headers` objects at all.
 *
 * This entry point imports `node:` modules, so it is for Node.js (and runtimes compatible with
 * its `http` module) only; `@taskrouter/core` itself stays free of them.
 *
 * @example
 * ```ts
 * import { paginate } from '@taskrouter/core';
 * import { createTaskRouterClient } from '@taskrouter/core/node';
 *
 * const client = createTaskRouterClient({ accountSid, authToken });
 * for await (const task of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
 *   params: { path: { WorkspaceSid } },
 * })) {
 *   console.log(task.sid);
 * }
 * ```
 * @packageDocumentation
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type TaskRouterClientOptions, createClientWithClock } from './client.js';
import { TaskRouterValidationError } from './errors.js';
import {
  DIRECT_SEND,
  type DirectSend,
  type Exchange,
  MAX_TIMEOUT_MS,
  NULL_BODY_STATUSES,
  ReadResponse,
  ResponseTooLarge,
  systemClock,
} from './transport.js';
import type { TaskRouterApiClient } from './types.js';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Most connections open at once per host. Default 64. */
  maxSockets?: number | undefined;
  /** Idle time after which a kept-alive connection is closed, in milliseconds. Default 30 000. */
  idleTimeoutMs?: number | undefined;
}

/**
 * A `fetch` function over `node:http`/`node:https`, with a way to release its connections.
 * Differences from the platform fetch, none of which matter to a REST client: redirects are
 * returned as they are instead of followed, and only `http:` and `https:` URLs are accepted.
 */
export interface NodeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Closes every pooled connection; requests still in flight fail. */
  close(): void;
}

// The modules' own objects rather than their named exports, whose bindings never change:
// `request` is looked up on every call, so interceptors that patch it (msw's `setupServer`,
// nock) see the requests.
const http = process.getBuiltinModule('node:http');
// `node:https` (with TLS) and `node:zlib` load when first needed: a client of a plain `http:`
// address (an emulator, a local proxy) never needs TLS, and uncompressed answers never need zlib.
let https: typeof import('node:https') | undefined;
let StringDecoder: typeof import('node:string_decoder').StringDecoder | undefined;

const DEFAULT_MAX_SOCKETS = 64;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const ACCEPTED_ENCODINGS = 'gzip, deflate, br';
/** The `node:zlib` function that decodes each content encoding. */
const DECODERS: ReadonlyMap<string, 'gunzip' | 'inflate' | 'brotliDecompress'> = new Map([
  ['gzip', 'gunzip'],
  ['x-gzip', 'gunzip'],
  ['deflate', 'inflate'],
  ['br', 'brotliDecompress'],
] as const);

/** An answer read in full, before it is turned into what the caller asked for. */
interface RawAnswer {
  message: IncomingMessage;
  /** The body, decoded when it was compressed: text when asked for and possible, bytes otherwise. */
  body: string | Buffer;
  decoded: boolean;
}

/**
 * Makes a Node transport: its connection pools, its exchanges and its direct send. Throws on
 * invalid options.
 */
function createNodeSender(options: NodeFetchOptions) {
  const { maxSockets = DEFAULT_MAX_SOCKETS, idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS } = options;
  if (!Number.isSafeInteger(maxSockets) || maxSockets < 1) {
    throw new TaskRouterValidationError('maxSockets', 'must be a whole number, 1 or more');
  }
  if (typeof idleTimeoutMs !== 'number' || !(idleTimeoutMs > 0 && idleTimeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TaskRouterValidationError(
      'idleTimeoutMs',
      `must be a number of milliseconds above 0, at most ${MAX_TIMEOUT_MS}`,
    );
  }
  const agentOptions = { keepAlive: true, maxSockets, timeout: idleTimeoutMs };
  const httpAgent = new http.Agent(agentOptions);
  let httpsAgent: HttpsAgent | undefined;

  /**
   * Sends one request and reads its whole answer, as text or as bytes, decoded when it was
   * compressed. A body past `maxBytes`, as received or once decoded, rejects with a
   * {@link ResponseTooLarge} as soon as it gets there. Throws at once on a URL it cannot send to.
   */
  function exchange(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    as: 'text' | 'bytes',
    maxBytes = Number.POSITIVE_INFINITY,
  ): { answer: Promise<RawAnswer>; cancel(reason: unknown): void } {
    const secure = url.startsWith('https:');
    if (!secure && !url.startsWith('http:')) {
      throw new TypeError(`unsupported protocol ${url.slice(0, url.indexOf(':') + 1)}`);
    }
    const outgoing: Record<string, string> = { 'accept-encoding': ACCEPTED_ENCODINGS, ...headers };
    if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));
    let fail: (reason: unknown) => void = () => {};
    let destroy: () => void = () => {};
    const answer = new Promise<RawAnswer>((resolve, reject) => {
      fail = reject;
      if (secure) {
        https ??= process.getBuiltinModule('node:https');
        httpsAgent ??= new https.Agent(agentOptions);
      }
      const request = (secure && https ? https : http).request(
        url,
        { method, headers: outgoing, agent: secure ? httpsAgent : httpAgent },
        (message) => {
          message.on('error', reject);
          message.on('close', () => {
            if (!message.complete) reject(new Error('the connection closed before the answer was complete'));
          });
          const decoder = DECODERS.get(String(message.headers['content-encoding']).toLowerCase());
          const chunks: Buffer[] = [];
          // An uncompressed answer read as text is decoded chunk by chunk as it arrives, instead of
          // being copied into one buffer first: one allocation and one copy fewer per answer.
          let utf8: import('node:string_decoder').StringDecoder | undefined;
          if (as === 'text' && decoder === undefined) {
            StringDecoder ??= process.getBuiltinModule('node:string_decoder').StringDecoder;
            utf8 = new StringDecoder('utf8');
          }
          let decodedText = '';
          let received = 0;
          message.on('data', (chunk: Buffer) => {
            received += chunk.byteLength;
            if (received > maxBytes) {
              reject(new ResponseTooLarge());
              request.destroy();
            } else if (utf8 !== undefined) decodedText += utf8.write(chunk);
            else chunks.push(chunk);
          });
          message.on('end', () => {
            if (utf8 !== undefined) {
              resolve({ message, body: decodedText + utf8.end(), decoded: false });
              return;
            }
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            if (decoder === undefined || bytes.byteLength === 0) {
              resolve({ message, body: bytes, decoded: false });
              return;
            }
            // zlib stops inflating at maxOutputLength, so a small bomb never grows past the limit.
            const limit = Number.isFinite(maxBytes) ? { maxOutputLength: Math.max(1, maxBytes) } : {};
            // The three take the same arguments (brotli's options type is another, with the same field).
            const decode = process.getBuiltinModule('node:zlib')[
              decoder
            ] as typeof import('node:zlib').gunzip;
            decode(bytes, limit, (error, decoded) => {
              if (error === null) resolve({ message, body: decoded, decoded: true });
              else
                reject(
                  (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
                    ? new ResponseTooLarge()
                    : error,
                );
            });
          });
        },
      );
      request.on('error', reject);
      request.end(body);
      destroy = () => request.destroy();
    });
    return {
      answer,
      cancel(reason) {
        fail(reason);
        destroy();
      },
    };
  }

  const direct: DirectSend = (wire): Exchange => {
    const body = wire.body instanceof ArrayBuffer ? new Uint8Array(wire.body) : wire.body;
    const { answer, cancel } = exchange(
      wire.url,
      wire.method,
      wire.headers,
      body,
      'text',
      wire.maxResponseBytes,
    );
    return {
      answer: answer.then(({ message, body, decoded }) => ({
        response: new ReadResponse({
          status: message.statusCode ?? 0,
          statusText: message.statusMessage ?? '',
          url: wire.url,
          headers: answerHeaders(message.headers, decoded),
        }),
        text: withoutByteOrderMark(typeof body === 'string' ? body : body.toString('utf8')),
      })),
      cancel,
    };
  };

  return {
    exchange,
    direct,
    close() {
      httpAgent.destroy();
      httpsAgent?.destroy();
    },
  };
}

/**
 * Creates a `fetch` function that sends requests with `node:http`/`node:https` and keeps
 * connections open for reuse. Hand it to a client as its `fetch` option, or use it as a fetch
 * of its own: it decodes gzip, deflate and brotli bodies, honours abort signals and rejects
 * with a `TypeError` on network failures, like the platform fetch. Idle pooled connections do
 * not keep the process alive.
 *
 * @throws {@link TaskRouterValidationError} when an option is invalid.
 * @example
 * ```ts
 * import { createTaskRouterClient } from '@taskrouter/core';
 * import { createNodeFetch } from '@taskrouter/core/node';
 *
 * const fetch = createNodeFetch({ maxSockets: 16 });
 * const client = createTaskRouterClient({ accountSid, authToken, fetch });
 * // ... on shutdown, to close the kept-alive connections at once:
 * fetch.close();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const { exchange, direct, close } = createNodeSender(options);

  async function nodeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input)).href;
    const signal = init?.signal ?? request?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = headerRecord(init?.headers ?? request?.headers);
    const source = init?.body ?? (request?.body ? await request.arrayBuffer() : undefined);
    const body = source === undefined || source === null ? undefined : await bodyBytes(source, headers);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    let cancel: (reason: unknown) => void = () => {};
    const onAbort = () => cancel(signal?.reason);
    try {
      const started = exchange(url, method, headers, body, 'bytes');
      cancel = started.cancel;
      signal?.addEventListener('abort', onAbort, { once: true });
      return toResponse(await started.answer, url);
    } catch (error) {
      throw signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return carrying(nodeFetch, { direct, close });
}

/** `fetch` with a transport's `close` and its direct send (which clients use instead of calling it). */
function carrying(
  fetch: typeof globalThis.fetch,
  { direct, close }: Pick<ReturnType<typeof createNodeSender>, 'direct' | 'close'>,
): NodeFetch {
  return Object.defineProperties(fetch as NodeFetch, {
    close: { value: close },
    [DIRECT_SEND]: { value: direct },
  });
}

let sharedSend: NodeFetch | undefined;
/** The global fetch as it was when this module loaded: the platform's, unless something replaced it first. */
const platformFetch = globalThis.fetch;

/**
 * The fetch of a client made without one, picked on every attempt: the shared Node transport,
 * unless `globalThis.fetch` has been replaced since this module loaded (a test double, an
 * interceptor), which then gets the request as it would on other runtimes.
 * @internal
 */
export function defaultNodeFetch(): typeof globalThis.fetch {
  if (globalThis.fetch !== platformFetch) return globalThis.fetch;
  // Clients send through DIRECT_SEND alone, so the default transport carries no fetch wrapper
  // (bundles of the default client leave it out); called as a fetch, it is the platform's.
  sharedSend ??= carrying((input, init) => platformFetch(input, init), createNodeSender({}));
  return sharedSend as typeof globalThis.fetch;
}

/**
 * Creates a typed TaskRouter client that, without a `fetch` option, sends through a Node
 * transport: one {@link createNodeFetch} shared by every client made without a `fetch` option.
 * This is what `createTaskRouterClient` of `@taskrouter/core` is when Node.js loads it (the
 * package's `node` export condition); it is also exported here to ask for it explicitly.
 * Everything else (options, calls, errors, retries) is the same.
 *
 * When `globalThis.fetch` has been replaced after this module was loaded (a test stub, an
 * interceptor), such a client calls it instead, so test doubles keep working. msw's
 * `setupServer` also intercepts the Node transport itself, whenever it was started.
 *
 * @throws {@link TaskRouterValidationError} when the options are invalid.
 * @example
 * ```ts
 * import { createTaskRouterClient } from '@taskrouter/core/node';
 *
 * const client = createTaskRouterClient({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 * });
 * const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
 *   params: { path: { WorkspaceSid: 'WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } },
 *   body: { Attributes: { type: 'support' } },
 * });
 * ```
 */
export function createTaskRouterClient(options: TaskRouterClientOptions): TaskRouterApiClient {
  return createClientWithClock(options, systemClock, defaultNodeFetch);
}

/** The text of a body as `Response.text()` reads it: without a byte order mark. */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The headers of an answer; a decoded body no longer has its encoding and length. */
function answerHeaders(values: IncomingHttpHeaders, decoded: boolean): AnswerHeaders {
  if (!decoded) return new AnswerHeaders(values);
  const { 'content-encoding': _encoding, 'content-length': _length, ...rest } = values;
  return new AnswerHeaders(rest);
}

function toResponse({ message, body: read, decoded }: RawAnswer, url: string): Response {
  const status = message.statusCode ?? 0;
  const bytes = typeof read === 'string' ? Buffer.from(read) : read;
  // Buffers read from a socket are backed by a plain ArrayBuffer, never a shared one.
  const body = NULL_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>);
  const response = new Response(body, {
    status,
    statusText: message.statusMessage ?? '',
    headers: [...answerHeaders(message.headers, decoded)],
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function headerRecord(source: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (source === undefined) return record;
  const entries = source instanceof Headers || Array.isArray(source) ? source : Object.entries(source);
  for (const [name, value] of entries) record[name.toLowerCase()] = value;
  return record;
}

/** The bytes of a body; anything but bytes goes through the platform's encoder, which also gives its type. */
async function bodyBytes(body: BodyInit, headers: Record<string, string>): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type !== null) headers['content-type'] ??= type;
  return new Uint8Array(await encoded.arrayBuffer());
}

/** Read-only headers of an answer, with the Fetch `Headers` interface, straight from Node's. */
class AnswerHeaders implements Headers {
  readonly #values: IncomingHttpHeaders;

  constructor(values: IncomingHttpHeaders) {
    this.#values = values;
  }

  get(name: string): string | null {
    const value = this.#values[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.#values[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    return [...(this.#values['set-cookie'] ?? [])];
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  /** Name and value pairs sorted by name, each cookie of `set-cookie` on its own, like `Headers`. */
  entries(): HeadersIterator<[string, string]> {
    const pairs: [string, string][] = [];
    for (const name of Object.keys(this.#values).sort()) {
      const value = this.#values[name];
      if (name === 'set-cookie') for (const cookie of value as string[]) pairs.push([name, cookie]);
      else if (value !== undefined) pairs.push([name, this.get(name) as string]);
    }
    return pairs.values();
  }

  keys(): HeadersIterator<string> {
    return Array.from(this.entries(), ([name]) => name).values();
  }

  values(): HeadersIterator<string> {
    return Array.from(this.entries(), ([, value]) => value).values();
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  append(): void {
    immutable();
  }

  set(): void {
    immutable();
  }

  delete(): void {
    immutable();
  }
}

function immutable(): never {
  throw new TypeError('immutable: the headers of an answer cannot be changed');
}
