import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createEmulator, VirtualClock } from '../src/index.js';
import { apiClient, setup, workspaceWith } from './helpers.js';

describe('authentication', () => {
  test.each([
    ['no header', undefined],
    ['wrong token', 'wrong'],
    ['bearer scheme', 'Bearer abc'],
  ])('%s gets 401/20003 before anything else', async (_, credential) => {
    const { emulator } = setup();
    const headers: Record<string, string> = {};
    if (credential === 'wrong') {
      headers.authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:not-the-token`)}`;
    } else if (credential) headers.authorization = credential;
    const answer = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ FriendlyName: 'x' }),
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    expect(emulator.inspect.workspaces()).toEqual([]);
  });

  test('each call is judged by its own header, whatever came before on this or another emulator', async () => {
    const first = createEmulator({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'first' });
    const second = createEmulator({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'second' });
    const basic = (token: string) => `Basic ${btoa(`AC${'1'.repeat(32)}:${token}`)}`;
    const statusOf = async (emulator: typeof first, authorization: string) =>
      (await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, { headers: { authorization } })).status;
    const calls: [typeof first, string, number][] = [
      [first, basic('first'), 200],
      [second, basic('first'), 401],
      [second, basic('second'), 200],
      [first, basic('second'), 401],
      [first, 'Basic not-base64-credentials', 401],
      [first, basic('first'), 200],
      [first, basic('first'), 200],
    ];
    const statuses = [];
    for (const [emulator, authorization] of calls) statuses.push(await statusOf(emulator, authorization));
    expect(statuses).toEqual(calls.map(([, , status]) => status));
  });

  test('configured credentials are the only ones accepted; acceptAnyCredentials takes any Basic pair', async () => {
    const emulator = createEmulator({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'secret' });
    expect(emulator.credentials).toEqual({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'secret' });
    expect((await apiClient(emulator).get('/v1/Workspaces')).status).toBe(200);
    const open = createEmulator({ acceptAnyCredentials: true });
    const anyone = await open.fetch(`${open.baseUrl}/v1/Workspaces`, {
      headers: { authorization: `Basic ${btoa('someone:anything')}` },
    });
    expect(anyone.status).toBe(200);
    expect((await open.fetch(`${open.baseUrl}/v1/Workspaces`)).status).toBe(401);
  });

  test('bad options are refused with the option named', () => {
    expect(() => createEmulator({ accountSid: 'AC123' })).toThrow(
      /accountSid must be AC followed by 32 hex digits/,
    );
    expect(() => createEmulator({ authToken: '' })).toThrow(/authToken must not be empty/);
    expect(() => createEmulator({ baseUrl: 'nowhere' })).toThrow(/baseUrl must be an absolute URL/);
    expect(() => createEmulator({ startTime: new Date('nope') })).toThrow(/startTime must be a valid Date/);
  });
});

describe('routing and request shape', () => {
  test('unknown paths get 404/20404, known paths with the wrong method get 405 with Allow', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const unknown = await api.get('/v1/Nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 20404,
      message: 'The requested resource /v1/Nothing was not found',
    });
    expect((await api.get(`${ws.path}/Workers/WK0123456789abcdef0123456789abcdef`)).status).toBe(404);
    const wrongMethod = await api.send('DELETE', `${ws.path}/Events`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.code).toBe(20004);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect((await api.send('PUT', ws.path)).headers.get('allow')).toBe('DELETE, GET, POST');
  });

  test('literal statistics segments win over SIDs', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    expect((await api.get(`${ws.path}/Workers/Statistics`)).body.realtime.total_workers).toBe(0);
    expect((await api.get(`${ws.path}/TaskQueues/Statistics`)).body.meta.key).toBe('task_queues_statistics');
  });

  test('URLs in answers use the origin the client called', async () => {
    const { emulator, api } = setup();
    const answer = await emulator.fetch('http://localhost:4010/v1/Workspaces', {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
      },
      body: new URLSearchParams({ FriendlyName: 'Local' }),
    });
    const body = await answer.json();
    expect(body.url).toBe(`http://localhost:4010/v1/Workspaces/${body.sid}`);
    expect(body.links.workers).toBe(`http://localhost:4010/v1/Workspaces/${body.sid}/Workers`);
    const list = await api.get('/v1/Workspaces');
    expect(list.body.workspaces[0].url).toBe(`https://taskrouter.twilio.com/v1/Workspaces/${body.sid}`);
  });

  test('form bodies only, up to 1 MB', async () => {
    const { emulator } = setup();
    const headers = {
      authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
    };
    const json = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"FriendlyName":"x"}',
    });
    expect(json.status).toBe(400);
    expect((await json.json()).message).toContain('application/x-www-form-urlencoded');
    const huge = await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: `FriendlyName=${'x'.repeat(1_048_577)}`,
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).code).toBe(20413);
  });
});

describe('fetch arguments', () => {
  test('every way of passing headers and bodies reaches the emulator alike', async () => {
    const { emulator } = setup();
    const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
    const url = `${emulator.baseUrl}/v1/Workspaces`;
    const form = 'FriendlyName=Form';
    const answers = await Promise.all([
      emulator.fetch(url, {
        method: 'post',
        headers: { Authorization: authorization },
        body: new URLSearchParams({ FriendlyName: 'A' }),
      }),
      emulator.fetch(new URL(url), {
        method: 'POST',
        headers: [['authorization', authorization]],
        body: form,
      }),
      emulator.fetch(url, {
        method: 'POST',
        headers: new Headers({ authorization }),
        body: new Blob([form]),
      }),
      emulator.fetch(
        new Request(url, {
          method: 'POST',
          headers: { authorization },
          body: new URLSearchParams({ FriendlyName: 'D' }),
        }),
      ),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(
      emulator.inspect
        .workspaces()
        .map((workspace) => workspace.friendly_name)
        .sort(),
    ).toEqual(['A', 'D', 'Form', 'Form']);
  });
});

describe('paging', () => {
  test('meta links, PageSize bounds and forged tokens', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    for (let index = 0; index < 5; index++)
      await api.post(`${ws.path}/Workers`, { FriendlyName: `W${index}` });
    const first = await api.get(`${ws.path}/Workers`, { PageSize: 2, ActivityName: 'Offline' });
    expect(first.body.meta).toMatchObject({ page: 0, page_size: 2, key: 'workers', previous_page_url: null });
    expect(first.body.meta.first_page_url).toBe(
      `https://taskrouter.twilio.com${ws.path}/Workers?ActivityName=Offline&PageSize=2&Page=0`,
    );
    expect(first.body.meta.next_page_url).toContain('ActivityName=Offline&PageSize=2&Page=1&PageToken=');
    const second = await api.get(first.body.meta.next_page_url);
    expect(second.body.meta.page).toBe(1);
    expect(second.body.meta.url).toBe(first.body.meta.next_page_url);
    const back = await api.get(second.body.meta.previous_page_url);
    expect(back.body.workers).toEqual(first.body.workers);
    const third = await api.get(second.body.meta.next_page_url);
    expect(third.body.workers).toHaveLength(1);
    expect(third.body.meta.next_page_url).toBeNull();
    expect((await api.get(`${ws.path}/Workers`, { PageSize: 0 })).body.details.parameter).toBe('PageSize');
    expect((await api.get(`${ws.path}/Workers`, { PageSize: 1001 })).status).toBe(400);
    expect((await api.get(`${ws.path}/Workers`, { PageToken: 'PTnonsense' })).body.details.parameter).toBe(
      'PageToken',
    );
    expect((await api.get(`${ws.path}/Workers`, { PageToken: 'abc' })).status).toBe(400);
  });

  test('items created or deleted between pages never make another item appear twice or go missing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 12 }),
        async (initial, pageSize, changes) => {
          const { api } = setup();
          const ws = await workspaceWith(api);
          const sids: string[] = [];
          for (let index = 0; index < initial; index++) {
            sids.push((await api.post(`${ws.path}/Workers`, { FriendlyName: `W${index}` })).body.sid);
          }
          const survivors = new Set(sids);
          const seen: string[] = [];
          let url: string | null = `${ws.path}/Workers?PageSize=${pageSize}`;
          let step = 0;
          while (url) {
            const page = await api.get(url);
            seen.push(...page.body.workers.map((worker: { sid: string }) => worker.sid));
            const change = changes[step++];
            if (change) {
              const [create, pick] = change;
              if (create) {
                await api.post(`${ws.path}/Workers`, { FriendlyName: `New${step}` });
              } else if (sids.length > 0) {
                const victim = sids[pick % sids.length]!;
                if (survivors.delete(victim)) await api.delete(`${ws.path}/Workers/${victim}`);
              }
            }
            url = page.body.meta.next_page_url;
          }
          expect(new Set(seen).size).toBe(seen.length);
          for (const sid of survivors) expect(seen).toContain(sid);
        },
      ),
      { numRuns: 40, seed: 1234 },
    );
  });
});

describe('virtual clock', () => {
  test('advance runs due timers in order, each at its own time; canceled timers do not run', () => {
    const clock = new VirtualClock(new Date('2030-01-01T00:00:00Z'));
    const seen: [string, number][] = [];
    clock.schedule(clock.nowMs() + 2000, () => seen.push(['b', clock.nowMs()]));
    clock.schedule(clock.nowMs() + 1000, () => {
      seen.push(['a', clock.nowMs()]);
      clock.schedule(clock.nowMs() + 500, () => seen.push(['a2', clock.nowMs()]));
    });
    const canceled = clock.schedule(clock.nowMs() + 1500, () => seen.push(['x', clock.nowMs()]));
    clock.schedule(clock.nowMs() + 2000, () => seen.push(['c', clock.nowMs()]));
    canceled.cancel();
    expect(clock.pendingTimers()).toBe(3);
    clock.advance(1999);
    const start = Date.parse('2030-01-01T00:00:00Z');
    expect(seen).toEqual([
      ['a', start + 1000],
      ['a2', start + 1500],
    ]);
    clock.advance(1);
    expect(seen.map(([name]) => name)).toEqual(['a', 'a2', 'b', 'c']);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:02.000Z');
    expect(clock.pendingTimers()).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  test('reset forgets state but keeps credentials and time', async () => {
    const { emulator, api } = setup();
    await workspaceWith(api);
    emulator.clock.advance(1000);
    emulator.reset();
    expect(emulator.inspect.workspaces()).toEqual([]);
    expect(emulator.clock.now().toISOString()).toBe('2030-01-01T00:00:01.000Z');
    expect((await api.get('/v1/Workspaces')).status).toBe(200);
  });
});
