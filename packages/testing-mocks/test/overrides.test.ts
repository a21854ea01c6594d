import { createTaskRouterClient, TaskRouterApiError } from '@taskrouter/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createEmulator } from '../src/index.js';
import { setup, workspaceWith } from './helpers.js';

describe('emulator.on: overriding answers', () => {
  test('replies answers instead of the handler and changes nothing', async () => {
    const { emulator, api } = setup();
    emulator.on('CreateWorkspace').replies(201, { sid: 'WSfake', friendly_name: 'Fake' });
    const answer = await api.post('/v1/Workspaces', { FriendlyName: 'Support' });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ sid: 'WSfake', friendly_name: 'Fake' });
    expect(emulator.inspect.workspaces()).toEqual([]);
    expect(emulator.calls('CreateWorkspace')).toMatchObject([{ status: 201, overridden: true }]);
  });

  test('fails answers with a Twilio-shaped error that core reads as such', async () => {
    const emulator = createEmulator();
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch, maxRetries: 0 });
    emulator.on('ListWorkspace').fails({ status: 503, code: 20503, message: 'Service unavailable' });
    const failure = await client.GET('/v1/Workspaces').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TaskRouterApiError);
    expect(failure).toMatchObject({
      status: 503,
      code: 20503,
      message: expect.stringContaining('Service unavailable'),
    });
    const raw = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
      headers: {
        authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
      },
    });
    expect(await raw.json()).toEqual({
      code: 20503,
      message: 'Service unavailable',
      more_info: 'https://www.twilio.com/docs/errors/20503',
      status: 503,
    });
  });

  test('match selects requests by path, form and query parameters; JSON attributes by containment', async () => {
    const { emulator, api } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    emulator
      .on('CreateTask', { Attributes: { type: 'vip' }, Priority: 10 })
      .fails({ status: 400, code: 20001, message: 'no VIPs today' });
    const vip = await api.post(`${ws.path}/Tasks`, {
      Attributes: JSON.stringify({ type: 'vip', language: 'fr' }),
      Priority: 10,
    });
    const lowVip = await api.post(`${ws.path}/Tasks`, {
      Attributes: JSON.stringify({ type: 'vip' }),
      Priority: 1,
    });
    const other = await api.post(`${ws.path}/Tasks`, {
      Attributes: JSON.stringify({ type: 'std' }),
      Priority: 10,
    });
    expect([vip.status, lowVip.status, other.status]).toEqual([400, 201, 201]);
    expect(vip.body.message).toBe('no VIPs today');
    expect(emulator.inspect.tasks(ws.sid)).toHaveLength(2);

    emulator
      .on('ListTask', { WorkspaceSid: ws.sid, AssignmentStatus: ['pending'] })
      .replies(200, { tasks: [] });
    expect((await api.get(`${ws.path}/Tasks`, { AssignmentStatus: 'pending' })).body).toEqual({ tasks: [] });
    expect((await api.get(`${ws.path}/Tasks`)).body.tasks).toHaveLength(2);
  });

  test('once and times(n) limit a rule; the newest rule wins; uses counts', async () => {
    const { emulator, api } = setup();
    const always = emulator.on('ListWorkspace').replies(200, { which: 'always' });
    const twice = emulator.on('ListWorkspace').replies(200, { which: 'twice' }).times(2);
    const once = emulator.on('ListWorkspace').replies(200, { which: 'once' }).once();
    const seen = [];
    for (let index = 0; index < 5; index++) seen.push((await api.get('/v1/Workspaces')).body.which);
    expect(seen).toEqual(['once', 'twice', 'twice', 'always', 'always']);
    expect([once.uses, twice.uses, always.uses]).toEqual([1, 2, 2]);
  });

  test('a rule with delays alone holds the emulator answer back without changing it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { emulator, api } = setup();
      emulator.on('CreateWorkspace').delays(100);
      let settled = false;
      const pending = api.post('/v1/Workspaces', { FriendlyName: 'Late' }).then((answer) => {
        settled = true;
        return answer;
      });
      await vi.advanceTimersByTimeAsync(99);
      expect(settled).toBe(false);
      // The request was handled when it arrived; only its answer waits.
      expect(emulator.inspect.workspaces()).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(201);
    } finally {
      vi.useRealTimers();
    }
  });

  test('delays applies over HTTP and through core’s direct send too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const emulator = createEmulator();
      const client = createTaskRouterClient({
        ...emulator.credentials,
        fetch: emulator.fetch,
        timeoutMs: 60_000,
      });
      emulator.on('ListWorkspace').replies(200, { workspaces: [], meta: {} }).delays(50);
      let settled = false;
      const pending = client.GET('/v1/Workspaces').then(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    const emulator = createEmulator();
    const server = await emulator.listen();
    try {
      emulator.on('ListWorkspace').fails({ status: 500, code: 20500 }).delays(1);
      const answer = await fetch(`${server.url}/v1/Workspaces`, {
        headers: {
          authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
        },
      });
      expect(answer.status).toBe(500);
    } finally {
      await server.close();
    }
  });

  test('resetOverrides removes test rules but keeps the faults option', async () => {
    const { emulator, api } = setup({ faults: { rateLimitEvery: 3 } });
    emulator.on('ListWorkspace').replies(200, { overridden: true });
    expect((await api.get('/v1/Workspaces')).body).toEqual({ overridden: true });
    emulator.resetOverrides();
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await api.get('/v1/Workspaces')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(emulator.calls('ListWorkspace').map((call) => call.overridden)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  test('a test rule answers before the built-in rate limit, which does not count it', async () => {
    const { emulator, api } = setup({ faults: { rateLimitEvery: 2 } });
    emulator.on('ListWorkspace').replies(200, { mine: true }).once();
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await api.get('/v1/Workspaces')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  test.each([204, 205, 304])('a %i reply has no body, through fetch and over HTTP', async (status) => {
    const { emulator } = setup();
    emulator.on('ListWorkspace').replies(status);
    const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
    const answer = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, { headers: { authorization } });
    expect(answer.status).toBe(status);
    expect(answer.body).toBeNull();
    const server = await emulator.listen();
    try {
      const overHttp = await fetch(`${server.url}/v1/Workspaces`, { headers: { authorization } });
      expect(overHttp.status).toBe(status);
      expect(await overHttp.text()).toBe('');
    } finally {
      await server.close();
    }
  });

  test('unauthenticated requests never reach a rule', async () => {
    const emulator = createEmulator();
    const rule = emulator.on('ListWorkspace').replies(200, {});
    const answer = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`);
    expect(answer.status).toBe(401);
    expect(rule.uses).toBe(0);
  });

  test('bad arguments throw errors naming the argument', () => {
    const emulator = createEmulator();
    // @ts-expect-error not an operation
    expect(() => emulator.on('MakeCoffee')).toThrow(
      "emulator.on(operationId): unknown operation 'MakeCoffee'",
    );
    const rule = emulator.on('CreateTask');
    expect(() => rule.replies(99)).toThrow(
      /replies\(status\): must be a whole number from 200 to 599, got 99/,
    );
    expect(() => rule.replies(204, {})).toThrow(/a 204 answer has no body/);
    expect(() => rule.replies(205, {})).toThrow(/replies\(205, body\): a 205 answer has no body/);
    expect(() => rule.replies(304, {})).toThrow(/replies\(304, body\): a 304 answer has no body/);
    expect(() => rule.fails({ status: 200, code: 1 })).toThrow(/fails\(\{ status \}\)/);
    expect(() => rule.fails({ status: 500, code: 0 })).toThrow(/fails\(\{ code \}\)/);
    expect(() => rule.delays(-1)).toThrow(/delays\(ms\)/);
    expect(() => rule.times(0)).toThrow(/times\(count\)/);
    // @ts-expect-error match must be an object
    expect(() => emulator.on('CreateTask', 'x')).toThrow(/match must be an object/);
  });
});

describe('emulator.calls', () => {
  test('lists every request with its operation, parameters, status and error code, as plain JSON', async () => {
    const { emulator, api } = setup();
    const ws = await workspaceWith(api);
    await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice', Attributes: '{"skills":["en"]}' });
    await api.get(`${ws.path}/Workers`, { Available: 'true', PageSize: 10 });
    await api.post(`${ws.path}/Workers`, {});
    await api.send('PUT', `${ws.path}/Workers`);
    const calls = emulator.calls();
    expect(JSON.parse(JSON.stringify(calls))).toEqual(calls);
    expect(calls.slice(1)).toEqual([
      {
        operationId: 'CreateWorker',
        method: 'POST',
        path: `${ws.path}/Workers`,
        pathParams: { WorkspaceSid: ws.sid },
        params: { FriendlyName: 'Alice', Attributes: '{"skills":["en"]}' },
        status: 201,
        code: null,
        overridden: false,
        accountSid: emulator.credentials.accountSid,
        at: Date.parse('2030-01-01T00:00:00Z'),
      },
      expect.objectContaining({
        operationId: 'ListWorker',
        method: 'GET',
        params: { Available: 'true', PageSize: '10' },
        status: 200,
      }),
      expect.objectContaining({ operationId: 'CreateWorker', params: {}, status: 400, code: 20001 }),
      expect.objectContaining({ operationId: null, method: 'PUT', status: 405, code: 20004 }),
    ]);
    expect(emulator.calls('CreateWorker').map((call) => call.status)).toEqual([201, 400]);
    emulator.reset();
    expect(emulator.calls()).toEqual([]);
  });

  test('timestamps are integers under the real-time clock too', async () => {
    const emulator = createEmulator({ clock: 'real' });
    const api = (await import('./helpers.js')).apiClient(emulator);
    await new Promise((resolve) => setTimeout(resolve, 3));
    await api.get('/v1/Workspaces');
    expect(Number.isInteger(emulator.calls()[0]?.at)).toBe(true);
  });

  test('logLimit keeps the latest entries', async () => {
    const { emulator, api } = setup({ logLimit: 3 });
    for (let index = 0; index < 8; index++) await api.get('/v1/Workspaces', { PageSize: index + 1 });
    expect(emulator.calls().map((call) => call.params.PageSize)).toEqual(['6', '7', '8']);
    expect(() => createEmulator({ logLimit: 0 })).toThrow(/logLimit must be a whole number of at least 1/);
  });
});

afterEach(() => {
  vi.useRealTimers();
});
