import { createServer, type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EmulatorRequestError } from './errors.js';
import { answerFor, type IncomingCall, MAX_BODY_BYTES, type OutgoingAnswer, tooLarge } from './dispatch.js';

/** Where {@link Emulator.listen} binds. */
export interface ListenOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to `127.0.0.1`. */
  host?: string;
}

/** A running HTTP server in front of an emulator. */
export interface EmulatorServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:43117`. */
  readonly url: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/** Serves `answer` over HTTP until closed. */
export async function startHttpServer(
  answer: (call: IncomingCall) => OutgoingAnswer,
  options: ListenOptions = {},
): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`listen({ port }): port must be an integer from 0 to 65535, got ${port}`);
  }
  const server = createServer((request, response) => {
    readBody(request).then(
      (body) => respond(response, answerRequest(answer, request, body)),
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
  server.on('clientError', answerUnparsable);
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
  answer: (call: IncomingCall) => OutgoingAnswer,
  request: IncomingMessage,
  body: string | null,
): OutgoingAnswer {
  const host = request.headers.host ?? `${request.socket.localAddress}:${request.socket.localPort}`;
  // URL parsing would resolve `/Workspaces/../..` silently; a path is never meant to climb.
  if (DOT_SEGMENT.test((request.url ?? '/').split('?')[0] ?? '')) {
    return answerFor(
      new EmulatorRequestError(
        400,
        20001,
        `Malformed request target ${request.url}: '.' and '..' segments are not allowed`,
      ),
    );
  }
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
  });
}

/** A `.` or `..` path segment, also percent-encoded. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Answers a request Node's HTTP parser refused (an unknown method, oversized headers…) with a
 * Twilio-shaped error instead of Node's bare status line, then closes the connection.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify(
    new EmulatorRequestError(
      status,
      20001,
      `Malformed HTTP request (${error.code ?? 'unreadable'})`,
    ).toJSON(),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Decodes strictly: bytes that are not UTF-8 are refused rather than turned into U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function readBody(request: IncomingMessage): Promise<string | null> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE') {
    request.resume();
    return Promise.resolve(null);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
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
  const headers: Record<string, string | number> = {};
  if (answer.body !== null) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(answer.body);
  }
  if (answer.etag !== undefined) headers.ETag = answer.etag;
  if (answer.allow !== undefined) headers.Allow = answer.allow;
  response.writeHead(answer.status, headers);
  response.end(answer.body ?? undefined);
}
