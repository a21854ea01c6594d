import {
  createTaskRouterClient,
  DIRECT_SEND,
  type DirectSend,
  TaskRouterApiError,
  type WireRequest,
} from '@taskrouter/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createEmulator } from '../src/index.js';
import type { Emulator } from '../src/emulator/types.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const directSendOf = (emulator: Emulator): DirectSend =>
  (emulator.fetch as unknown as { [DIRECT_SEND]: DirectSend })[DIRECT_SEND];

const authorization = (emulator: Emulator) =>
  `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;

/** The same request through the direct send and through the fetch: status, headers and body text. */
async function bothWays(emulator: Emulator, request: WireRequest) {
  const { response, text } = await directSendOf(emulator)(request).answer;
  const viaFetch = await emulator.fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return {
    direct: { status: response.status, headers: Object.fromEntries(response.headers), text },
    fetch: {
      status: viaFetch.status,
      headers: Object.fromEntries(viaFetch.headers),
      text: await viaFetch.text(),
    },
  };
}

describe("the emulator's fetch offers core's direct send", () => {
  test('it answers every kind of request exactly as the fetch does', async () => {
    // Two emulators with the same account and token, fed the same requests, one per path.
    const options = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'token', startTime: new Date(0) };
    const direct = createEmulator(options);
    const plain = createEmulator(options);
    const headers = {
      authorization: authorization(direct),
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    const url = (path: string) => `${direct.baseUrl}${path}`;
    const requests: WireRequest[] = [
      { method: 'POST', url: url('/v1/Workspaces'), headers, body: 'FriendlyName=Support&Template=FIFO' },
      { method: 'GET', url: url('/v1/Workspaces?PageSize=1'), headers, body: undefined },
      { method: 'POST', url: url('/v1/Workspaces'), headers, body: 'Template=FIFO' },
      { method: 'GET', url: url('/v1/Nothing'), headers, body: undefined },
      { method: 'PUT', url: url('/v1/Workspaces'), headers, body: undefined },
      { method: 'GET', url: url('/v1/Workspaces'), headers: { accept: 'application/json' }, body: undefined },
      {
        method: 'POST',
        url: url('/v1/Workspaces'),
        headers,
        body: new TextEncoder().encode('FriendlyName=Bytes').buffer as ArrayBuffer,
      },
    ];
    const statuses: number[] = [];
    for (const request of requests) {
      const { direct: viaDirect } = await bothWays(direct, request);
      const { fetch: viaFetch } = await bothWays(plain, request);
      // SIDs and dates are random per emulator: compare the shape of the body, not its values.
      const shape = (text: string) => (text === '' ? '' : Object.keys(JSON.parse(text)).sort().join());
      expect({ ...viaDirect, text: shape(viaDirect.text) }).toEqual({
        ...viaFetch,
        text: shape(viaFetch.text),
      });
      statuses.push(viaDirect.status);
    }
    expect(statuses).toEqual([201, 200, 400, 404, 405, 401, 201]);
  });

  test("a client's result carries the request's URL and the emulator's headers, its body already read", async () => {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const { data, response } = await client.GET('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: workspace.sid } },
    });
    expect(data.friendly_name).toBe('Support');
    expect(response.url).toBe(`${emulator.baseUrl}/v1/Workspaces/${workspace.sid}`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
  });

  test('ETag, If-Match and the 412 of a stale version travel through it', async () => {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
    const task = emulator.seed.task(workspace.sid, { Attributes: { type: 'support' } });
    const send = directSendOf(emulator);
    const taskUrl = `${emulator.baseUrl}/v1/Workspaces/${workspace.sid}/Tasks/${task.sid}`;
    const headers = { authorization: authorization(emulator) };
    const fetched = await send({ method: 'GET', url: taskUrl, headers, body: undefined }).answer;
    const etag = fetched.response.headers.get('etag');
    expect(etag).toMatch(/^"?\d+"?$/);
    const update = (ifMatch: string, body: string) =>
      send({
        method: 'POST',
        url: taskUrl,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'if-match': ifMatch },
        body,
      }).answer;
    expect((await update(etag!, 'Priority=7')).response.status).toBe(200);
    const stale = await update(etag!, 'Priority=8');
    expect(stale.response.status).toBe(412);
    expect(JSON.parse(stale.text)).toMatchObject({ status: 412 });
  });

  test('a core client on the emulator never builds a Request', async () => {
    const emulator = createEmulator();
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    vi.stubGlobal(
      'Request',
      class {
        constructor() {
          throw new Error('a Request was built');
        }
      },
    );
    const { data: workspace } = await client.POST('/v1/Workspaces', {
      body: { FriendlyName: 'Support', Template: 'FIFO' },
    });
    const WorkspaceSid = workspace.sid!;
    const { data: task, response } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      body: { Attributes: { type: 'support' }, Priority: 5 },
    });
    expect(response.status).toBe(201);
    expect(task.assignment_status).toBe('pending');
    const { data: listed } = await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
    });
    expect(listed.tasks.map((item) => item.sid)).toEqual([task.sid]);
    const deleted = await client.DELETE('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid, Sid: task.sid! } },
    });
    expect(deleted.response.status).toBe(204);
    const missing = await client
      .GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
        params: { path: { WorkspaceSid, Sid: task.sid! } },
      })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TaskRouterApiError);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  test('injected rate limits reach the client with their Retry-After, and it retries', async () => {
    let requests = 0;
    // Every second request is refused with Retry-After: 0, so each refused call is retried at once.
    const emulator = createEmulator({
      faults: { rateLimit: () => ++requests % 2 === 0, retryAfterSeconds: 0 },
    });
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    vi.stubGlobal(
      'Request',
      class {
        constructor() {
          throw new Error('a Request was built');
        }
      },
    );
    const statuses = [];
    for (let call = 0; call < 3; call++) statuses.push((await client.GET('/v1/Workspaces')).response.status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(requests).toBe(5);
    const refused = await directSendOf(emulator)({
      method: 'GET',
      url: `${emulator.baseUrl}/v1/Workspaces`,
      headers: { authorization: authorization(emulator) },
      body: undefined,
    }).answer;
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('0');
    expect(JSON.parse(refused.text)).toMatchObject({ code: 20429 });
  });
});
