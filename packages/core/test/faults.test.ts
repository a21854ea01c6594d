import { beforeEach, describe, expect, test } from 'vitest';
import { createClientWithClock } from '../src/client.js';
import {
  type TaskRouterClientOptions,
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
  paginate,
} from '../src/index.js';
import type { Clock } from '../src/transport.js';
import {
  answer,
  delayed,
  drop,
  hang,
  htmlPage,
  json,
  useFaultServer,
  truncated,
  twilioError,
} from './fault-server.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID, fakeClock, sid, transportUnderTest } from './helpers.js';

// Every call goes through the real fetch and a real socket to a local server that misbehaves
// on purpose. The retry clock is fake (random draw 0.5), so backoff waits are exact and instant:
// 50 ms before the first retry, 100 ms before the second.
const BACKOFF = [50, 100];

const server = useFaultServer();
const elsewhere = useFaultServer();
beforeEach(() => {
  elsewhere.script();
});

function client(options: Partial<TaskRouterClientOptions> = {}, clock: Clock = fakeClock().clock) {
  return createClientWithClock(
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: server.url, ...options },
    clock,
    transportUnderTest.defaultFetch,
  );
}

type Client = ReturnType<typeof client>;
const workspacePath = `/v1/Workspaces/${WORKSPACE_SID}`;
const workerSid = sid('WK');
const tasksPath = `/v1/Workspaces/${WORKSPACE_SID}/Tasks`;

const calls = {
  GET: (api: Client, signal?: AbortSignal) =>
    api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } }, signal }),
  DELETE: (api: Client) =>
    api.DELETE('/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: workerSid } },
    }),
  POST: (api: Client) =>
    api.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: { Attributes: { type: 'support' }, Priority: 5 },
    }),
};
const urls = {
  GET: () => server.url + workspacePath,
  DELETE: () => `${server.url}/v1/Workspaces/${WORKSPACE_SID}/Workers/${workerSid}`,
  POST: () => server.url + tasksPath,
};
type Method = keyof typeof calls;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const workspace = { sid: WORKSPACE_SID, friendly_name: 'Support' };

describe('connection dropped before answering', () => {
  test.each(['GET', 'DELETE'] as const)(
    '%s is retried with backoff, then raises TaskRouterNetworkError',
    async (method) => {
      server.script(drop());
      const { clock, sleeps } = fakeClock();
      const error = await rejection(calls[method](client({}, clock)));
      expect(server.requests).toHaveLength(3);
      expect(sleeps).toEqual(BACKOFF);
      expect(error).toBeInstanceOf(TaskRouterNetworkError);
      expect(error).toMatchObject({ method, url: urls[method]() });
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).toContain(`${method} ${urls[method]()} failed`);
    },
  );

  test('GET succeeds when the connection comes back before the retries run out', async () => {
    server.script(drop(), drop(), json(200, workspace));
    const { data } = await calls.GET(client());
    expect(data).toEqual(workspace);
    expect(server.requests).toHaveLength(3);
    const authorizations = new Set(server.requests.map((request) => request.headers.authorization));
    expect(authorizations.size).toBe(1);
  });

  test('POST is sent once and its error says the outcome is unknown', async () => {
    server.script(drop(), json(201, { sid: sid('WT') }));
    const { clock, sleeps } = fakeClock();
    const error = await rejection(calls.POST(client({}, clock)));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error).toMatchObject({ method: 'POST', url: urls.POST() });
    expect(error.message).toContain('outcome is unknown');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('Attributes=%7B%22type%22%3A%22support%22%7D&Priority=5');
    expect(sleeps).toEqual([]);
  });
});

describe('answer after a delay', () => {
  test('a slow answer within timeoutMs is simply awaited', async () => {
    server.script(delayed(100, json(200, workspace)));
    const { data } = await calls.GET(client({ timeoutMs: 5_000 }));
    expect(data).toEqual(workspace);
    expect(server.requests).toHaveLength(1);
  });

  test('GET times out on every attempt, is retried, then raises TaskRouterTimeoutError', async () => {
    server.script(delayed(5_000, json(200, workspace)));
    const { clock, sleeps } = fakeClock();
    const error = await rejection(calls.GET(client({ timeoutMs: 100, maxRetries: 1 }, clock)));
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(error).toMatchObject({ method: 'GET', url: urls.GET(), timeoutMs: 100 });
    expect(error.message).toBe(`GET ${urls.GET()} timed out after 100 ms`);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([50]);
  });

  test('a POST that timed out after it was sent is not retried and its outcome is unknown', async () => {
    server.script(delayed(5_000, json(201, { sid: sid('WT') })));
    const { clock, sleeps } = fakeClock();
    const error = await rejection(calls.POST(client({ timeoutMs: 100 }, clock)));
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(error).toMatchObject({ method: 'POST', url: urls.POST(), timeoutMs: 100 });
    expect(error.message).toContain('its outcome is unknown');
    // The server did receive the whole request: it is the answer that never came.
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toContain('Priority=5');
    expect(sleeps).toEqual([]);
  });

  test('a stalled body counts against the same timeout', async () => {
    server.script((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
      response.write('{"sid":');
    });
    const error = await rejection(calls.GET(client({ timeoutMs: 100, maxRetries: 0 })));
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('429 Too Many Requests', () => {
  test.each(['GET', 'POST'] as const)(
    '%s waits the Retry-After seconds, then resends the same request',
    async (method) => {
      server.script(
        twilioError(429, 20429, 'Too Many Requests', { 'Retry-After': '2' }),
        json(200, workspace),
      );
      const { clock, sleeps } = fakeClock();
      await calls[method](client({}, clock));
      expect(sleeps).toEqual([2000]);
      const [first, second] = server.requests;
      expect(server.requests).toHaveLength(2);
      expect(second?.url).toBe(first?.url);
      expect(second?.body).toBe(first?.body);
      expect(second?.headers.authorization).toBe(first?.headers.authorization);
    },
  );

  test('without Retry-After it backs off exponentially, then raises the 429', async () => {
    server.script(twilioError(429, 20429, 'Too Many Requests'));
    const { clock, sleeps } = fakeClock();
    const error = await rejection(calls.POST(client({}, clock)));
    expect(sleeps).toEqual(BACKOFF);
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 20429,
      moreInfo: 'https://www.twilio.com/docs/errors/20429',
      method: 'POST',
      url: urls.POST(),
    });
  });

  test('a Retry-After beyond a minute is not waited out', async () => {
    server.script(twilioError(429, 20429, 'Too Many Requests', { 'Retry-After': '120' }));
    const { clock, sleeps } = fakeClock();
    await expect(calls.GET(client({}, clock))).rejects.toMatchObject({ status: 429 });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('server errors', () => {
  // [status, attempts for GET and DELETE, attempts for POST]
  test.each([
    [500, 1, 1],
    [502, 3, 1],
    [503, 3, 1],
    [504, 3, 1],
  ])(
    'status %i: idempotent calls make %i attempts, POST %i',
    async (status, idempotentAttempts, postAttempts) => {
      for (const method of ['GET', 'DELETE', 'POST'] as Method[]) {
        server.script(twilioError(status, 20500, `Upstream said ${status}`));
        const { clock, sleeps } = fakeClock();
        const error = await rejection(calls[method](client({}, clock)));
        const attempts = method === 'POST' ? postAttempts : idempotentAttempts;
        expect(server.requests, method).toHaveLength(attempts);
        expect(sleeps, method).toEqual(BACKOFF.slice(0, attempts - 1));
        expect(error).toBeInstanceOf(TaskRouterApiError);
        expect(error).toMatchObject({
          status,
          code: 20500,
          message: `Upstream said ${status}`,
          method,
          url: urls[method](),
        });
      }
    },
  );

  test('503 with Retry-After waits what the server asked', async () => {
    server.script(twilioError(503, 20500, 'busy', { 'Retry-After': '1' }), json(200, workspace));
    const { clock, sleeps } = fakeClock();
    await calls.GET(client({}, clock));
    expect(sleeps).toEqual([1000]);
  });
});

describe('bodies that are not what they should be', () => {
  test('an HTML error page from a proxy becomes a TaskRouterApiError with the page as text', async () => {
    server.script(htmlPage(502, 'Bad Gateway'));
    const error = await rejection(calls.GET(client()));
    expect(server.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 502, code: undefined, method: 'GET', url: urls.GET() });
    expect(error.message).toMatch(/^\[HTTP 502\] <!DOCTYPE html>.*502 Bad Gateway/s);
  });

  test('a plain-text error is kept as the message, without a Twilio code', async () => {
    server.script(answer(400, 'Bad Request: malformed form body', { 'Content-Type': 'text/plain' }));
    const error = await rejection(calls.POST(client()));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({
      status: 400,
      code: undefined,
      message: '[HTTP 400] Bad Request: malformed form body',
    });
  });

  test('a 2xx body that is not JSON fails a GET as unreadable, after retrying', async () => {
    server.script(answer(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' }));
    const { clock, sleeps } = fakeClock();
    const error = await rejection(calls.GET(client({}, clock)));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error).toMatchObject({ method: 'GET', url: urls.GET() });
    expect(error.message).toBe(
      `GET ${urls.GET()} answered 200 with a body that is not JSON ("<html>maintenance</html>")`,
    );
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual(BACKOFF);
  });

  test('a 2xx body that is not JSON fails a POST at once, saying its result is unknown', async () => {
    server.script(answer(201, '{"sid":"WT', { 'Content-Type': 'application/json' }));
    const error = await rejection(calls.POST(client()));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error.message).toContain('answered 201 with a body that is not JSON');
    expect(error.message).toContain('what it created or changed is unknown');
    expect(server.requests).toHaveLength(1);
  });

  test('an answer cut off mid-body is a network failure: GET retries, POST does not', async () => {
    const body = JSON.stringify(workspace);
    server.script(truncated(200, body, 10), truncated(200, body, 10), json(200, workspace));
    const { data } = await calls.GET(client());
    expect(data).toEqual(workspace);
    expect(server.requests).toHaveLength(3);

    server.script(truncated(201, body, 10));
    const error = await rejection(calls.POST(client()));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error.message).toContain('outcome is unknown');
    expect(server.requests).toHaveLength(1);
  });

  test('an error answer cut off mid-body is a network failure too', async () => {
    server.script(truncated(500, JSON.stringify({ code: 20500, message: 'boom', status: 500 }), 8));
    const error = await rejection(calls.GET(client({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
  });
});

describe('lists that point the wrong way', () => {
  const listUrl = (page: number, extra = '') =>
    `${server.url}/v1/Workspaces?PageSize=1&Page=${page}&PageToken=PT${page}${extra}`;
  const page = (number: number, next: string | null) =>
    json(200, {
      workspaces: [{ sid: sid('WS', String(number)) }],
      meta: { key: 'workspaces', page: number, page_size: 1, url: listUrl(number), next_page_url: next },
    });
  const collect = async (api: Client, seen: string[]) => {
    for await (const item of paginate(api, '/v1/Workspaces', {}, { pageSize: 1 })) seen.push(item.sid ?? '');
  };

  test('a next_page_url that repeats an earlier page stops the loop with an error', async () => {
    server.script(page(0, listUrl(1)), page(1, listUrl(0)));
    const seen: string[] = [];
    const error = await rejection(collect(client(), seen));
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(error.message).toContain('repeated a page URL');
    expect(seen).toEqual([sid('WS', '0'), sid('WS', '1')]);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/v1/Workspaces?PageSize=1',
      '/v1/Workspaces?PageSize=1&Page=1&PageToken=PT1',
    ]);
  });

  test('a next_page_url pointing to itself is caught on the first repeat', async () => {
    server.script(page(0, listUrl(1)), page(1, listUrl(1)));
    const error = await rejection(collect(client(), []));
    expect(error.message).toContain('repeated a page URL');
    expect(server.requests).toHaveLength(2);
  });

  test('a next_page_url on another origin is never followed, so the credentials stay home', async () => {
    const foreign = `${elsewhere.url}/v1/Workspaces?PageSize=1&Page=1`;
    server.script(page(0, foreign));
    const seen: string[] = [];
    const error = await rejection(collect(client(), seen));
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(error.message).toContain(`Refusing to follow meta.next_page_url to ${elsewhere.url}`);
    expect(seen).toEqual([sid('WS', '0')]);
    expect(elsewhere.requests).toHaveLength(0);
  });

  test('a failing later page reports its own URL, with secret-looking values masked', async () => {
    server.script(page(0, listUrl(1, '&AuthToken=hunter2')), twilioError(500, 20500, 'page store down'));
    const error = await rejection(collect(client(), []));
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({
      status: 500,
      method: 'GET',
      url: `${server.url}/v1/Workspaces?PageSize=1&Page=1&PageToken=REDACTED&AuthToken=REDACTED`,
    });
    expect(server.requests[1]?.url).toContain('AuthToken=hunter2');
  });
});

describe('AbortSignal', () => {
  test('aborting during a backoff wait stops the retries', async () => {
    server.script(twilioError(503, 20500, 'busy'));
    const controller = new AbortController();
    const { clock, sleeps } = fakeClock({ onSleep: () => controller.abort() });
    const error = await rejection(calls.GET(client({ maxRetries: 5 }, clock), controller.signal));
    expect(error.name).toBe('AbortError');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([50]);
  });

  test('aborting while a retry waits for its answer rejects with the reason and sends nothing more', async () => {
    server.script(twilioError(503, 20500, 'busy'), hang());
    const controller = new AbortController();
    const call = rejection(calls.GET(client({ maxRetries: 5 }), controller.signal));
    await server.received(2);
    const reason = new Error('the user closed the page');
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(server.requests).toHaveLength(2);
  });
});
