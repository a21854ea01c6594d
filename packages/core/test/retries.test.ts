import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  TaskRouterApiError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
  isTaskRouterApiError,
} from '../src/index.js';
import { systemClock } from '../src/transport.js';
import {
  WORKSPACE_SID,
  fakeClock,
  hangingFetch,
  recordingFetch,
  sid,
  testClient,
  twilioError,
} from './helpers.js';

const ok = () => Response.json({ sid: WORKSPACE_SID });
const rateLimited = (retryAfter?: string) =>
  twilioError(429, 20429, 'Too Many Requests', retryAfter === undefined ? {} : { 'Retry-After': retryAfter });
const unavailable = () => twilioError(503, 20500, 'Service Unavailable');
const networkFailure = async (): Promise<Response> => {
  throw new TypeError('fetch failed');
};

type Client = ReturnType<typeof testClient>;
const fetchWorkspace = (client: Client, signal?: AbortSignal) =>
  client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } }, signal });
const createTask = (client: Client) =>
  client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid: WORKSPACE_SID } },
    body: { Attributes: { type: 'support' } },
  });
const deleteWorker = (client: Client) =>
  client.DELETE('/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}', {
    params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WK') } },
  });

describe('backoff', () => {
  test('waits a random share of 100 ms doubling per attempt, capped at 3000 ms', async () => {
    const { clock, sleeps } = fakeClock({ random: 0.999 });
    const { fetch, requests } = recordingFetch(unavailable);
    const client = testClient(fetch, { maxRetries: 7 }, clock);
    await expect(fetchWorkspace(client)).rejects.toBeInstanceOf(TaskRouterApiError);
    expect(requests).toHaveLength(8);
    expect(sleeps).toEqual([99, 199, 399, 799, 1598, 2997, 2997]);
  });

  test('uses full jitter: the random draw scales the whole window', async () => {
    const { clock, sleeps } = fakeClock({ random: 0 });
    const { fetch } = recordingFetch([unavailable, unavailable, ok]);
    await fetchWorkspace(testClient(fetch, {}, clock));
    expect(sleeps).toEqual([0, 0]);
  });

  test('stops after maxRetries and raises the last answer', async () => {
    const { clock, sleeps } = fakeClock();
    const { fetch, requests } = recordingFetch(unavailable);
    const error = await fetchWorkspace(testClient(fetch, { maxRetries: 2 }, clock)).catch((caught) => caught);
    expect(isTaskRouterApiError(error) && error.status).toBe(503);
    expect(requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  test('does not retry with maxRetries 0', async () => {
    const { fetch, requests } = recordingFetch(() => rateLimited());
    await expect(fetchWorkspace(testClient(fetch, { maxRetries: 0 }))).rejects.toMatchObject({ status: 429 });
    expect(requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  test('waits the given seconds on 429, then succeeds with the same request', async () => {
    const { clock, sleeps } = fakeClock();
    const { fetch, requests } = recordingFetch([() => rateLimited('2'), ok]);
    const { data } = await fetchWorkspace(testClient(fetch, {}, clock));
    expect(data).toEqual({ sid: WORKSPACE_SID });
    expect(sleeps).toEqual([2000]);
    expect(requests[1]?.url).toBe(requests[0]?.url);
    expect(requests[1]?.headers.get('Authorization')).toBe(requests[0]?.headers.get('Authorization'));
  });

  test('waits until an HTTP date on 503', async () => {
    const now = Date.UTC(2024, 5, 1, 12, 0, 0);
    const { clock, sleeps } = fakeClock({ now });
    const { fetch } = recordingFetch([
      () => twilioError(503, 20500, 'busy', { 'Retry-After': new Date(now + 1500).toUTCString() }),
      ok,
    ]);
    await fetchWorkspace(testClient(fetch, {}, clock));
    expect(sleeps).toEqual([1000]);
  });

  test('falls back to backoff when Retry-After is unreadable', async () => {
    const { clock, sleeps } = fakeClock({ random: 0.5 });
    const { fetch } = recordingFetch([() => rateLimited('soon'), ok]);
    await fetchWorkspace(testClient(fetch, {}, clock));
    expect(sleeps).toEqual([50]);
  });

  test('does not wait out a Retry-After longer than a minute', async () => {
    const { clock, sleeps } = fakeClock();
    const { fetch, requests } = recordingFetch(() => rateLimited('3600'));
    await expect(fetchWorkspace(testClient(fetch, {}, clock))).rejects.toMatchObject({ status: 429 });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('what is retried', () => {
  test.each([429, 502, 503, 504])('GET and DELETE retry status %i', async (status) => {
    const { fetch, requests } = recordingFetch([() => twilioError(status, 20500, 'x'), ok]);
    const client = testClient(fetch);
    await fetchWorkspace(client);
    const deletes = recordingFetch([
      () => twilioError(status, 20500, 'x'),
      () => new Response(null, { status: 204 }),
    ]);
    await deleteWorker(testClient(deletes.fetch));
    expect([requests.length, deletes.requests.length]).toEqual([2, 2]);
  });

  test.each([400, 401, 404, 409, 500])('nothing retries status %i', async (status) => {
    const { fetch, requests } = recordingFetch(() => twilioError(status, 20001, 'x'));
    await expect(fetchWorkspace(testClient(fetch))).rejects.toMatchObject({ status });
    expect(requests).toHaveLength(1);
  });

  test('POST retries 429, because the server did not act on it', async () => {
    const { fetch, requests } = recordingFetch([() => rateLimited(), ok]);
    await createTask(testClient(fetch));
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    expect(requests[1]?.body).toBe('Attributes=%7B%22type%22%3A%22support%22%7D');
  });

  test.each([502, 503, 504])('POST does not retry status %i', async (status) => {
    const { fetch, requests } = recordingFetch(() => twilioError(status, 20500, 'x'));
    await expect(createTask(testClient(fetch))).rejects.toMatchObject({ status });
    expect(requests).toHaveLength(1);
  });

  test('GET retries network failures and then raises TaskRouterNetworkError', async () => {
    const attempts = recordingFetch([networkFailure, networkFailure, ok]);
    await fetchWorkspace(testClient(attempts.fetch));
    expect(attempts.requests).toHaveLength(3);

    const failing = recordingFetch(networkFailure);
    const error = await fetchWorkspace(testClient(failing.fetch)).catch((caught) => caught);
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error).toMatchObject({ method: 'GET', cause: new TypeError('fetch failed') });
    expect(failing.requests).toHaveLength(3);
  });

  test('POST never retries a network failure and says the outcome is unknown', async () => {
    const { fetch, requests } = recordingFetch(networkFailure);
    const error = await createTask(testClient(fetch)).catch((caught) => caught);
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error.message).toContain('outcome is unknown');
    expect(requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  test('a GET that times out is retried, then raises TaskRouterTimeoutError', async () => {
    const hanging = hangingFetch();
    const error = await fetchWorkspace(testClient(hanging.fetch, { timeoutMs: 5, maxRetries: 1 })).catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(error).toMatchObject({ method: 'GET', timeoutMs: 5 });
    expect(error.message).toBe(
      `GET https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID} timed out after 5 ms`,
    );
    expect(hanging.calls).toBe(2);
  });

  test('a POST that times out is not retried and its outcome is reported as unknown', async () => {
    const hanging = hangingFetch();
    const error = await createTask(testClient(hanging.fetch, { timeoutMs: 5 })).catch((caught) => caught);
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(error.message).toContain('outcome is unknown');
    expect(hanging.calls).toBe(1);
  });

  test('the timeout also covers reading the body', async () => {
    const stalledBody = () =>
      new Response(
        new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{')) }),
        {
          status: 200,
        },
      );
    const { fetch } = recordingFetch(stalledBody);
    await expect(fetchWorkspace(testClient(fetch, { timeoutMs: 5, maxRetries: 0 }))).rejects.toBeInstanceOf(
      TaskRouterTimeoutError,
    );
  });
});

describe('abort', () => {
  test('an already aborted signal sends nothing', async () => {
    const { fetch, requests } = recordingFetch(ok);
    const controller = new AbortController();
    controller.abort();
    await expect(fetchWorkspace(testClient(fetch), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requests).toHaveLength(0);
  });

  test('aborting during a backoff wait stops retrying', async () => {
    const controller = new AbortController();
    const { clock, sleeps } = fakeClock({ onSleep: () => controller.abort() });
    const { fetch, requests } = recordingFetch(unavailable);
    const call = fetchWorkspace(testClient(fetch, { maxRetries: 5 }, clock), controller.signal);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(requests).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
  });

  test('aborting while waiting for the answer raises the abort reason, not a timeout', async () => {
    const controller = new AbortController();
    const hanging = hangingFetch();
    const call = fetchWorkspace(testClient(hanging.fetch), controller.signal);
    const reason = new Error('user went away');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });
});

describe('system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test.each([
    ['a signal', new AbortController().signal],
    ['no signal (a call made without one)', undefined],
  ])('sleep with %s resolves after the delay', async (_, signal) => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = systemClock.sleep(1000, signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  test('sleep rejects with the reason as soon as the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });
});
