/**
 * A `fetch`-compatible function over `node:http` / `node:https` with keep-alive agents: a lean
 * transport for Node.js servers. On Node 20 the built-in fetch spends more CPU per call than a
 * plain `node:http` request and, on its first use, compiles its own HTTP parser, which costs start-up
 * time and tens of megabytes of memory. This module is self-contained (only `node:` imports and web
 * globals) so it can move as one file into a node-only subpath of `@taskrouter/core`.
 *
 * Differences from the platform fetch, all irrelevant to a REST API client: redirects are returned
 * as they are instead of followed, and only `http:` and `https:` URLs are accepted.
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Most sockets kept open per host. Default 64. */
  maxSockets?: number;
  /** Idle time after which a kept-alive socket is closed, in milliseconds. Default 30 000. */
  idleTimeoutMs?: number;
}

/** A fetch function over `node:http`, with a way to release its pooled sockets. */
export interface NodeFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Closes every pooled socket; in-flight requests are aborted. */
  close(): void;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const DECODERS: Record<string, typeof gunzip> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

/**
 * Creates a fetch function that sends requests with `node:http`/`node:https` and reuses
 * connections. Hand it to a client as its `fetch` option.
 * @example
 * ```ts
 * const fetch = createNodeFetch();
 * const client = createTaskRouterClient({ accountSid, authToken, fetch });
 * // ... on shutdown:
 * fetch.close();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    timeout: options.idleTimeoutMs ?? 30_000,
  };
  const agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) };

  async function nodeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    }
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const signal = init?.signal ?? request?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = headerRecord(init?.headers ?? request?.headers);
    const body = await bodyBytes(init?.body ?? (request?.body ? await request.arrayBuffer() : undefined));
    if (body !== undefined) {
      headers['content-length'] = String(body.byteLength);
      if (typeof init?.body === 'string' && headers['content-type'] === undefined) {
        headers['content-type'] = 'text/plain;charset=UTF-8';
      }
    }
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise<Response>((resolve, reject) => {
      const outgoing = send(
        url,
        { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] },
        (res) => {
          readBody(res).then(
            (bytes) => resolve(toResponse(res, bytes, url.href)),
            (error: unknown) =>
              reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error })),
          );
        },
      );
      const onAbort = () => outgoing.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('close', () => signal?.removeEventListener('abort', onAbort));
      outgoing.on('error', (error) => {
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
      });
      outgoing.end(body);
    });
  }

  return Object.assign(nodeFetch, {
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

function headerRecord(source: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (source === undefined) return record;
  const entries = source instanceof Headers || Array.isArray(source) ? source : Object.entries(source);
  for (const [name, value] of entries) record[name.toLowerCase()] = value;
  return record;
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  // Blobs, streams and form data go through the platform's own encoder.
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const decode = DECODERS[String(res.headers['content-encoding'] ?? '').toLowerCase()];
      if (decode === undefined || raw.byteLength === 0) resolve(raw);
      else decode(raw, (error, decoded) => (error ? reject(error) : resolve(decoded)));
    });
  });
}

function toResponse(res: IncomingMessage, bytes: Buffer, url: string): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    // The body is handed over decoded, so its encoding and length no longer apply.
    if (name === 'content-encoding' || (name === 'content-length' && res.headers['content-encoding']))
      continue;
    headers.append(name, raw[index + 1]!);
  }
  // Buffers read from a socket are backed by a plain ArrayBuffer, never a shared one.
  const body = NULL_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>);
  const response = new Response(body, {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
