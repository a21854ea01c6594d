import { createServer, type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EmulatorRequestError } from '../domain/errors.js';
import type { ControlHandler } from './control.js';
import {
  answerFor,
  answerHeaders,
  type IncomingCall,
  MAX_BODY_BYTES,
  type OutgoingAnswer,
  tooLarge,
} from '../rest/dispatch.js';
import { afterDelay } from './fetch.js';

/** Where {@link Emulator.listen} binds, and how long it waits for slow clients. */
export interface ListenOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Interface to bind; defaults to `127.0.0.1`. */
  host?: string | undefined;
  /**
   * Milliseconds a client has to send a whole request, body included (default 30,000). A request
   * still incomplete then is answered `408` and its connection closed.
   */
  requestTimeout?: number | undefined;
  /** Milliseconds a client has to send a request's headers (default 10,000, at most `requestTimeout`). */
  headersTimeout?: number | undefined;
  /** Milliseconds an idle keep-alive connection stays open between requests (default 5,000). */
  keepAliveTimeout?: number | undefined;
  /**
   * Serve the dashboard at `/__emulator/ui` (default true). The other `/__emulator/` endpoints
   * are always served.
   */
  ui?: boolean | undefined;
}

/** Default of {@link ListenOptions.requestTimeout}. */
export const DEFAULT_REQUEST_TIMEOUT = 30_000;
const DEFAULT_HEADERS_TIMEOUT = 10_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT = 5_000;

/** A timeout option in milliseconds: a positive integer. */
function timeoutOption(name: keyof ListenOptions, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`listen({ ${name} }): must be a whole number of milliseconds above 0, got ${value}`);
  }
  return value;
}

/** A running HTTP server in front of an emulator. */
export interface EmulatorServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:43117`. */
  readonly url: string;
  /** The worker SDK's `ebServer` option: `<url>/v1/wschannels`. */
  readonly ebServer: string;
  /** The worker SDK's `wsServer` option: `ws://<host:port>/v1/wschannels`. */
  readonly wsServer: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/** Takes over an HTTP upgrade (websocket); false when nothing serves its path. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** Serves `answer` (and websocket upgrades, through `upgrade`) over HTTP until closed. */
export async function startHttpServer(
  answer: (call: IncomingCall) => OutgoingAnswer | Promise<OutgoingAnswer>,
  options: ListenOptions = {},
  control?: ControlHandler,
  upgrade?: UpgradeHandler,
): Promise<Pick<EmulatorServer, 'url' | 'close'>> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`listen({ port }): port must be an integer from 0 to 65535, got ${port}`);
  }
  const requestTimeout = timeoutOption('requestTimeout', options.requestTimeout, DEFAULT_REQUEST_TIMEOUT);
  const headersTimeout = timeoutOption(
    'headersTimeout',
    options.headersTimeout,
    Math.min(DEFAULT_HEADERS_TIMEOUT, requestTimeout),
  );
  if (headersTimeout > requestTimeout) {
    throw new RangeError(
      `listen({ headersTimeout }): must not exceed requestTimeout (${requestTimeout} ms), got ${headersTimeout}`,
    );
  }
  const keepAliveTimeout = timeoutOption(
    'keepAliveTimeout',
    options.keepAliveTimeout,
    DEFAULT_KEEP_ALIVE_TIMEOUT,
  );
  const serverOptions = {
    requestTimeout,
    headersTimeout,
    keepAliveTimeout,
    // Node looks for overdue requests on this period (30 s by default): a quarter of the shorter
    // timeout keeps the answer close to the deadline without polling for nothing.
    connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(headersTimeout / 4))),
  };
  const timedOut = `the request did not arrive in full in time (headers within ${headersTimeout} ms, the whole request within ${requestTimeout} ms)`;
  const server = createServer(serverOptions, (request, response) => {
    readBody(request).then(
      async (body) => {
        if (control?.(request, response, body)) return;
        let answered: OutgoingAnswer;
        try {
          answered = await answerRequest(answer, request, body);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          answered = answerFor(new EmulatorRequestError(500, 20500, `Internal emulator error: ${message}`));
        }
        await afterDelay(answered);
        respond(response, answered);
      },
      (error: unknown) => {
        const failure =
          error instanceof EmulatorRequestError
            ? error
            : new EmulatorRequestError(400, 20001, 'Unreadable request body');
        response.setHeader('Connection', 'close');
        respond(response, answerFor(failure));
      },
    );
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerUnparsable(error, socket, timedOut),
  );
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (upgrade?.(request, socket, head)) return;
    const answered = answerFor(
      new EmulatorRequestError(404, 20404, `Nothing accepts websockets at ${request.url ?? '/'}`),
    );
    socket.end(
      `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n` +
        `Content-Length: ${Buffer.byteLength(answered.body ?? '')}\r\n\r\n${answered.body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const printedHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${printedHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function answerRequest(
  answer: (call: IncomingCall) => OutgoingAnswer | Promise<OutgoingAnswer>,
  request: IncomingMessage,
  body: string | null,
): OutgoingAnswer | Promise<OutgoingAnswer> {
  const host = request.headers.host ?? `${request.socket.localAddress}:${request.socket.localPort}`;
  let url: URL;
  try {
    url = new URL(request.url ?? '/', `http://${host}`);
  } catch {
    return answerFor(new EmulatorRequestError(400, 20001, `Malformed request target ${request.url}`));
  }
  return answer({
    method: request.method ?? 'GET',
    url,
    authorization: request.headers.authorization ?? null,
    ifMatch: headerValue(request.headers['if-match']),
    contentType: request.headers['content-type'] ?? null,
    body,
    sourceIpAddress: request.socket.remoteAddress ?? '',
    // URL parsing would resolve `/Workspaces/../..` and `\` silently; dispatch refuses them.
    target: request.url ?? '/',
  });
}

/**
 * Answers a request Node's HTTP parser refused (an unknown method, oversized headers…) or gave up
 * on (too slow: `timedOut` says why) with a Twilio-shaped error instead of Node's bare status
 * line, then closes the connection.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex, timedOut: string): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const failure =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new EmulatorRequestError(408, 20408, `Request Timeout: ${timedOut}`)
      : new EmulatorRequestError(
          error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400,
          20001,
          `Malformed HTTP request (${error.code ?? 'unreadable'})`,
        );
  const answer = answerFor(failure);
  const headers = Object.entries(answerHeaders(answer)).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n${headers.join('')}` +
      `Content-Length: ${Buffer.byteLength(answer.body ?? '')}\r\nConnection: close\r\n\r\n${answer.body}`,
  );
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Decodes strictly: bytes that are not UTF-8 are refused rather than turned into U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How much of an oversized body the server reads and throws away before answering `413`: a
 * client still sending when the server answers and closes would see a network error instead.
 * Past this, the connection is closed at once.
 */
const DISCARD_LIMIT_BYTES = 64 * MAX_BODY_BYTES;

function readBody(request: IncomingMessage): Promise<string | null> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE') {
    request.resume();
    return Promise.resolve(null);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = declared > MAX_BODY_BYTES;
    if (oversized && declared > DISCARD_LIMIT_BYTES) {
      request.resume();
      reject(tooLarge());
      return;
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        oversized = true;
        chunks.length = 0;
      }
      if (size > DISCARD_LIMIT_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge());
        return;
      }
      if (!oversized) chunks.push(chunk);
    });
    request.on('end', () => {
      if (oversized) {
        reject(tooLarge());
        return;
      }
      try {
        resolve(utf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new EmulatorRequestError(400, 20001, 'Request body is not valid UTF-8'));
      }
    });
    request.on('error', reject);
  });
}

function respond(response: ServerResponse, answer: OutgoingAnswer): void {
  if (response.headersSent) return;
  const headers: Record<string, string | number> = answerHeaders(answer);
  if (answer.body !== null) headers['Content-Length'] = Buffer.byteLength(answer.body);
  response.writeHead(answer.status, headers);
  response.end(answer.body ?? undefined);
}
