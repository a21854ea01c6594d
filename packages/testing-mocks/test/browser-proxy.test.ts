/**
 * Browser mode end to end: a client without credentials talks to the app's own proxy
 * (`createTaskRouterProxy` of `@taskrouter/core/proxy`), which forwards the operations it allows
 * to TaskRouter (here the emulator) with the credentials added on the server.
 */
import { createTaskRouterClient, paginate, TaskRouterApiError } from '@taskrouter/core';
import { createTaskRouterProxy } from '@taskrouter/core/proxy';
import { beforeEach, describe, expect, test } from 'vitest';
import { createEmulator } from '../src/index.js';

const APP = 'https://app.example';

function setup(authorize?: Parameters<typeof createTaskRouterProxy>[0]['authorize']) {
  const emulator = createEmulator();
  const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
  const upstream: Request[] = [];
  const proxy = createTaskRouterProxy({
    ...emulator.credentials,
    upstream: emulator.baseUrl,
    prefix: '/taskrouter',
    allow: ['ListTask', 'CreateTask', 'FetchTask', 'FetchTaskChannel'],
    authorize,
    fetch: async (request) => {
      upstream.push(request.clone());
      return emulator.fetch(request);
    },
  });
  const fromPage: Request[] = [];
  const pageFetch = async (request: Request) => {
    fromPage.push(request.clone());
    return proxy(request);
  };
  const client = createTaskRouterClient({ baseUrl: `${APP}/taskrouter`, fetch: pageFetch });
  return { emulator, workspaceSid: workspace.sid!, upstream, fromPage, proxy, client };
}

let world: ReturnType<typeof setup>;
beforeEach(() => {
  world = setup();
});

const createTask = (priority = 1) =>
  world.client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid: world.workspaceSid } },
    body: { Attributes: { type: 'support' }, Priority: priority },
  });

describe('through the proxy', () => {
  test('allowed operations reach TaskRouter with the credentials, which the page never holds', async () => {
    const { data: task } = await createTask(3);
    const { data: fetched } = await world.client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid: world.workspaceSid, Sid: task.sid! } },
    });
    expect(fetched).toMatchObject({ sid: task.sid, priority: 3, attributes: '{"type":"support"}' });
    expect(world.fromPage.map((request) => request.url)).toEqual([
      `${APP}/taskrouter/v1/Workspaces/${world.workspaceSid}/Tasks`,
      `${APP}/taskrouter/v1/Workspaces/${world.workspaceSid}/Tasks/${task.sid}`,
    ]);
    for (const request of world.fromPage) expect(request.headers.has('authorization')).toBe(false);
    const { accountSid, authToken } = world.emulator.credentials;
    for (const request of world.upstream) {
      expect(request.headers.get('authorization')).toBe(`Basic ${btoa(`${accountSid}:${authToken}`)}`);
    }
    expect(world.upstream.map((request) => new URL(request.url).origin)).toEqual([
      world.emulator.baseUrl,
      world.emulator.baseUrl,
    ]);
  });

  test('pages are walked through the proxy: their links point back at it', async () => {
    for (let index = 0; index < 5; index++) await createTask(index);
    const seen: string[] = [];
    for await (const task of paginate(
      world.client,
      '/v1/Workspaces/{WorkspaceSid}/Tasks',
      { params: { path: { WorkspaceSid: world.workspaceSid } } },
      { pageSize: 2 },
    )) {
      seen.push(task.sid!);
    }
    expect(new Set(seen).size).toBe(5);
    const pageRequests = world.fromPage.filter((request) => request.method === 'GET');
    expect(pageRequests).toHaveLength(3);
    for (const request of pageRequests) expect(request.url.startsWith(`${APP}/taskrouter/v1/`)).toBe(true);
  });

  test('an operation that is not allowed is refused with a 403 and never forwarded', async () => {
    const { data: task } = await createTask();
    const before = world.upstream.length;
    const attempts = [
      world.client.DELETE('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
        params: { path: { WorkspaceSid: world.workspaceSid, Sid: task.sid! } },
      }),
      world.client.POST('/v1/Workspaces/{Sid}', {
        params: { path: { Sid: world.workspaceSid } },
        body: { FriendlyName: 'Taken over' },
      }),
      world.client.GET('/v1/Workspaces'),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TaskRouterApiError);
      expect(error).toMatchObject({ status: 403 });
    }
    expect(world.upstream).toHaveLength(before);
    expect(world.emulator.inspect.workspaces()[0]?.friendly_name).toBe('Support');
  });

  test('requests crafted by hand cannot step out of an allowed operation or carry the page’s headers', async () => {
    const base = `${APP}/taskrouter/v1/Workspaces/${world.workspaceSid}`;
    for (const [method, url] of [
      ['GET', `${base}/TaskChannels/%2e%2e`],
      ['GET', `${base}/TaskChannels/a%2Fb`],
      ['GET', `${base}/TaskChannels/a%5Cb`],
      ['GET', `${base}/Tasks/${'%2e'}`],
      ['GET', `${APP}/taskrouter/v1/Workspaces/${world.workspaceSid}/Tasks/x/y`],
      ['DELETE', `${base}/Tasks`],
      ['GET', `${APP}/elsewhere/v1/Workspaces`],
    ] as const) {
      const answer = await world.proxy(new Request(url, { method }));
      expect([403, 404], `${method} ${url}`).toContain(answer.status);
    }
    expect(world.upstream).toHaveLength(0);

    await world.proxy(
      new Request(`${base}/TaskChannels/voice`, {
        headers: {
          cookie: 'session=abc',
          authorization: 'Basic cGFnZTpzZWNyZXQ=',
          'x-forwarded-for': '1.2.3.4',
        },
      }),
    );
    const [forwarded] = world.upstream;
    expect(new URL(forwarded!.url).pathname).toBe(`/v1/Workspaces/${world.workspaceSid}/TaskChannels/voice`);
    expect(forwarded!.headers.get('cookie')).toBeNull();
    expect(forwarded!.headers.get('x-forwarded-for')).toBeNull();
    expect(forwarded!.headers.get('authorization')).not.toBe('Basic cGFnZTpzZWNyZXQ=');
  });

  test('authorize decides per request, with the operation and its parameters', async () => {
    const asked: unknown[] = [];
    world = setup((request, operation) => {
      asked.push(operation);
      return request.headers.get('x-role') === 'agent';
    });
    const error = await createTask().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 403 });
    expect(world.upstream).toHaveLength(0);
    expect(asked).toEqual([{ id: 'CreateTask', parameters: { WorkspaceSid: world.workspaceSid } }]);
    const { data } = await world.client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: world.workspaceSid } },
      body: { Priority: 2 },
      headers: { 'x-role': 'agent' },
    });
    expect(data.priority).toBe(2);
  });
});
