import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** One request as the fault server received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * What the server does with one request. It may answer, stall, or break the connection;
 * `signal` aborts when the client goes away or the server closes, so no behaviour outlives a test.
 */
export type Behaviour = (
  request: ReceivedRequest,
  response: ServerResponse,
  signal: AbortSignal,
) => void | Promise<void>;

/** Longest stall a behaviour may ask for, so a forgotten server cannot hold a test run. */
const MAX_STALL_MS = 10_000;

/** Resolves after `ms`, or as soon as `signal` aborts. */
function stall(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.min(ms, MAX_STALL_MS));
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Answers with `body` as given, with the status and headers. */
export function answer(status: number, body: string, headers: Record<string, string> = {}): Behaviour {
  return (_, response) => {
    response.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
    response.end(body);
  };
}

/** Answers with a JSON document. */
export function json(status: number, document: unknown, headers: Record<string, string> = {}): Behaviour {
  return answer(status, JSON.stringify(document), { 'Content-Type': 'application/json', ...headers });
}

/** Answers with a Twilio error document, as TaskRouter does. */
export function twilioError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Behaviour {
  return json(
    status,
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    headers,
  );
}

/** Answers with the HTML error page a proxy or load balancer puts in front of an API. */
export function htmlPage(status: number, title: string): Behaviour {
  const page = `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>\n`;
  return answer(status, page, { 'Content-Type': 'text/html' });
}

/** Closes the connection without answering. */
export function drop(): Behaviour {
  return (_, response) => {
    response.socket?.destroy();
  };
}

/**
 * Sends the status line and the first `sentBytes` bytes of `body` while announcing the whole
 * length, then closes the connection: the answer is cut in the middle.
 */
export function truncated(status: number, body: string, sentBytes: number): Behaviour {
  return (_, response) => {
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    response.write(Buffer.from(body).subarray(0, sentBytes), () => response.socket?.destroy());
  };
}

/** Waits `ms` (or until the client gives up), then behaves like `then`. */
export function delayed(ms: number, then: Behaviour): Behaviour {
  return async (request, response, signal) => {
    await stall(ms, signal);
    if (!signal.aborted) await then(request, response, signal);
  };
}

/** Never answers; the connection stays open until the client or the server closes it. */
export function hang(): Behaviour {
  return (_, __, signal) => stall(MAX_STALL_MS, signal);
}

/** A running fault server. */
export interface FaultServer {
  /** Origin of the server, such as `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Every request received since the last {@link FaultServer.script}. */
  readonly requests: ReceivedRequest[];
  /**
   * Sets what the next requests get: the n-th request gets the n-th behaviour, the last one
   * repeats. Clears the recorded requests.
   */
  script(...behaviours: Behaviour[]): void;
  /** Resolves once `count` requests have arrived since the last script. */
  received(count: number): Promise<void>;
  /** Closes every connection and stops the server. */
  close(): Promise<void>;
}

/** Starts a fault server on 127.0.0.1 with a free port; by default it answers 200 `{}`. */
export async function startFaultServer(): Promise<FaultServer> {
  let behaviours: Behaviour[] = [json(200, {})];
  let requests: ReceivedRequest[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const closing = new AbortController();

  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    for (const waiter of waiters.filter(({ count }) => requests.length >= count)) waiter.resolve();
    waiters = waiters.filter(({ count }) => requests.length < count);

    const behaviour = behaviours[Math.min(requests.length - 1, behaviours.length - 1)] as Behaviour;
    const gone = new AbortController();
    response.once('close', () => gone.abort());
    await behaviour(request, response, AbortSignal.any([gone.signal, closing.signal]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    script(...next) {
      behaviours = next.length > 0 ? next : [json(200, {})];
      requests = [];
      waiters = [];
    },
    received(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      closing.abort();
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A fault server for the tests of one file: started before its first test, closed after its last.
 * The handle is usable at once; it reaches the running server from then on.
 */
export function useFaultServer(): FaultServer {
  let running: FaultServer | undefined;
  beforeAll(async () => {
    running = await startFaultServer();
  });
  afterAll(() => running?.close());
  const current = (): FaultServer => {
    if (running === undefined) throw new Error('the fault server starts before the first test');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    script: (...behaviours) => current().script(...behaviours),
    received: (count) => current().received(count),
    close: () => current().close(),
  };
}
