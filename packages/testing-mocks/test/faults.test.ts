import { createTaskRouterClient, TaskRouterApiError } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { createEmulator, type FaultRequest } from '../src/index.js';
import { setup, workspaceWith } from './helpers.js';

const RATE_LIMIT_HEADERS = ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-config'];

const rateLimitHeaders = (headers: Headers) =>
  Object.fromEntries(RATE_LIMIT_HEADERS.map((name) => [name, headers.get(name)]));

describe('rate-limit headers', () => {
  test('every answer carries them, successful or not', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const answers = [
      worker,
      await api.get(`${ws.path}/Workers`),
      await api.get(`${ws.path}/Workers/${worker.body.sid}`),
      await api.delete(`${ws.path}/Workers/${worker.body.sid}`),
      await api.get(`${ws.path}/Workers/${worker.body.sid}`),
      await api.post(`${ws.path}/Workers`, {}),
      await api.send('PUT', `${ws.path}/Workers`),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200, 204, 404, 400, 405]);
    for (const answer of answers) {
      expect(rateLimitHeaders(answer.headers)).toEqual({
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '99',
        'x-rate-limit-config': 'default',
      });
    }
    const unauthenticated = await createEmulator().fetch('https://taskrouter.twilio.com/v1/Workspaces');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('x-rate-limit-limit')).toBe('100');
  });

  test('over HTTP too', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen();
    try {
      const answer = await fetch(`${server.url}/v1/Workspaces`);
      expect(answer.status).toBe(401);
      expect(rateLimitHeaders(answer.headers)).toEqual({
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '99',
        'x-rate-limit-config': 'default',
      });
    } finally {
      await server.close();
    }
  });
});

describe('injected 429 answers', () => {
  test('rateLimitEvery refuses every n-th request, unprocessed, with Retry-After', async () => {
    const { emulator, api } = setup({ faults: { rateLimitEvery: 3, retryAfterSeconds: 7 } });
    const first = await api.post('/v1/Workspaces', { FriendlyName: 'One' });
    const second = await api.post('/v1/Workspaces', { FriendlyName: 'Two' });
    const third = await api.post('/v1/Workspaces', { FriendlyName: 'Three' });
    expect([first.status, second.status, third.status]).toEqual([201, 201, 429]);
    expect(third.body).toEqual({
      code: 20429,
      message: 'Too Many Requests: the request was not processed; retry after 7 seconds',
      more_info: 'https://www.twilio.com/docs/errors/20429',
      status: 429,
    });
    expect(third.headers.get('retry-after')).toBe('7');
    expect(third.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(emulator.inspect.workspaces().map((workspace) => workspace.friendly_name)).toEqual(['One', 'Two']);
    expect((await api.get('/v1/Workspaces')).status).toBe(200);
    expect((await api.get('/v1/Workspaces')).status).toBe(200);
    expect((await api.get('/v1/Workspaces')).status).toBe(429);
  });

  test('requests that fail authentication or match no operation are not counted', async () => {
    const { emulator, api } = setup({ faults: { rateLimitEvery: 2 } });
    const stranger = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
      headers: { authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:wrong`)}` },
    });
    expect(stranger.status).toBe(401);
    expect((await api.get('/v1/Nowhere')).status).toBe(404);
    expect((await api.get('/v1/Workspaces')).status).toBe(200);
    expect((await api.get('/v1/Workspaces')).status).toBe(429);
  });

  test('rateLimit decides per request, from its method, path and operation', async () => {
    const seen: FaultRequest[] = [];
    const { api } = setup({
      faults: {
        rateLimit: (request) => {
          seen.push(request);
          return request.operationId === 'CreateTask';
        },
      },
    });
    const ws = await workspaceWith(api, 'FIFO');
    expect((await api.post(`${ws.path}/Tasks`, {})).status).toBe(429);
    expect((await api.get(`${ws.path}/Tasks`)).body.tasks).toEqual([]);
    expect(seen.slice(-2)).toEqual([
      { method: 'POST', path: `${ws.path}/Tasks`, operationId: 'CreateTask' },
      { method: 'GET', path: `${ws.path}/Tasks`, operationId: 'ListTask' },
    ]);
  });

  test("@taskrouter/core's client waits as Retry-After says and tries again", async () => {
    let refusals = 0;
    const emulator = createEmulator({
      faults: {
        // Refuses each creation the first time it is asked for.
        rateLimit: (request) => request.operationId === 'CreateWorkspace' && refusals++ % 2 === 0,
        retryAfterSeconds: 0,
      },
    });
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const { data, response } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Retried' } });
    expect(response.status).toBe(201);
    expect(data.friendly_name).toBe('Retried');
    expect(refusals).toBe(2);
    expect(emulator.inspect.workspaces()).toHaveLength(1);

    const impatient = createTaskRouterClient({
      ...emulator.credentials,
      fetch: emulator.fetch,
      maxRetries: 0,
    });
    const failure = await impatient
      .POST('/v1/Workspaces', { body: { FriendlyName: 'Refused' } })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(TaskRouterApiError);
    expect(failure).toMatchObject({ status: 429, code: 20429 });
    expect(emulator.inspect.workspaces()).toHaveLength(1);
  });

  test.each([
    [{ rateLimitEvery: 0 }, /faults.rateLimitEvery must be a whole number of at least 1, got 0/],
    [{ rateLimitEvery: 1.5 }, /faults.rateLimitEvery/],
    [{ rateLimitEvery: 2, retryAfterSeconds: -1 }, /faults.retryAfterSeconds must be a whole number/],
    [{ rateLimit: 'often' }, /faults.rateLimit must be a function/],
  ])('createEmulator({ faults: %o }) is refused', (faults, message) => {
    expect(() => createEmulator({ faults: faults as never })).toThrow(message);
  });
});
