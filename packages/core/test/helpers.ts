import { createClientWithClock } from '../src/client.js';
import type { TaskRouterClientOptions } from '../src/index.js';
import type { Clock } from '../src/transport.js';

/**
 * How the clients of the socket-level suites (faults, leaks, hostile answers) pick their fetch
 * when given none: left undefined, the platform fetch, as `@taskrouter/core` does off Node;
 * `over-node-transport.test.ts` sets the Node default before it runs the suites again.
 */
export const transportUnderTest: { defaultFetch?: () => typeof globalThis.fetch | undefined } = {};

/** A valid SID with the given prefix, its 32 digits made of one repeated hex character. */
export function sid(prefix: string, digit = 'a'): string {
  return prefix + digit.repeat(32);
}

export const ACCOUNT_SID = sid('AC', '1');
export const AUTH_TOKEN = 'tok3n-S3CRET-0123456789abcdef';
export const API_KEY = sid('SK', '2');
export const API_SECRET = 'k3y-S3CRET-fedcba9876543210';
export const WORKSPACE_SID = sid('WS');

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

type Responder = (request: RecordedRequest, index: number) => Response | Promise<Response>;

/**
 * A fetch that records every request and answers with `respond` (by default 200 `{}`).
 * Passing an array answers the n-th request with the n-th responder (the last one repeats).
 * Like the platform fetch, it takes a `Request` or a URL with its init.
 */
export function recordingFetch(respond: Responder | Responder[] = () => Response.json({})) {
  const requests: RecordedRequest[] = [];
  const responders = Array.isArray(respond) ? respond : [respond];
  const fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = typeof input === 'string' ? new Request(input, init) : input;
    const recorded = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body === null ? '' : await request.text(),
    };
    requests.push(recorded);
    const index = requests.length - 1;
    const responder = responders[Math.min(index, responders.length - 1)] as Responder;
    return responder(recorded, index);
  };
  return { fetch, requests };
}

/** A fetch whose answer never comes: it only settles when the request's signal aborts. */
export function hangingFetch() {
  let calls = 0;
  const fetch = (request: Request): Promise<Response> => {
    calls++;
    return new Promise((_, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
    });
  };
  return {
    fetch,
    get calls() {
      return calls;
    },
  };
}

/**
 * A clock whose sleeps return at once and are recorded. `onSleep` runs before a sleep returns,
 * so a test can abort the signal in the middle of a backoff wait.
 */
export function fakeClock(options: { random?: number; now?: number; onSleep?: (ms: number) => void } = {}) {
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => options.now ?? 0,
    random: () => options.random ?? 0.5,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      options.onSleep?.(ms);
      signal?.throwIfAborted();
    },
  };
  return { clock, sleeps };
}

/** A client with test credentials, the given fetch and a fake clock. */
export function testClient(
  fetch: (request: Request) => Promise<Response>,
  options: Partial<TaskRouterClientOptions> = {},
  clock: Clock = fakeClock().clock,
) {
  return createClientWithClock({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fetch, ...options }, clock);
}

/** A Twilio error document answer. */
export function twilioError(status: number, code: number, message: string, headers?: HeadersInit): Response {
  return Response.json(
    { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    { status, headers },
  );
}
