import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  createTaskRouterClient,
  paginate,
  TaskRouterApiError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
} from '@taskrouter/core';
import { createEmulator, type Emulator, type EmulatorServer } from '@taskrouter/testing-mocks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNodeFetch, type NodeFetch } from '../src/node-fetch.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A loopback server whose behaviour each test sets; it echoes requests by default. */
async function startEdgeServer(): Promise<{ url: string; server: Server; handle(handler: Handler): void }> {
  let handler: Handler = () => {};
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { url: `http://127.0.0.1:${address.port}`, server, handle: (next) => (handler = next) };
}

const nodeFetch: NodeFetch = createNodeFetch();
const transports = [
  ['the platform fetch', globalThis.fetch],
  ['createNodeFetch', nodeFetch],
] as const;

let emulator: Emulator;
let emulatorServer: EmulatorServer;
let edge: Awaited<ReturnType<typeof startEdgeServer>>;

beforeAll(async () => {
  emulator = createEmulator();
  emulatorServer = await emulator.listen({ port: 0 });
  edge = await startEdgeServer();
});

afterAll(async () => {
  nodeFetch.close();
  await emulator.close();
  edge.server.closeAllConnections();
  await new Promise((resolve) => edge.server.close(resolve));
});

describe.each(transports)('the core client over %s, against the emulator over HTTP', (_, fetch) => {
  const client = () =>
    createTaskRouterClient({ ...emulator.credentials, baseUrl: emulatorServer.url, fetch, maxRetries: 0 });

  test('creates, fetches and lists across pages', async () => {
    const api = client();
    const { data: workspace } = await api.POST('/v1/Workspaces', {
      body: { FriendlyName: `ws ${Math.random()}`, Template: 'FIFO' },
    });
    const WorkspaceSid = workspace.sid!;
    const created: string[] = [];
    for (let index = 0; index < 5; index++) {
      const { data: task } = await api.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: { path: { WorkspaceSid } },
        body: { Attributes: { index, note: 'ünïcødé ✓' }, Priority: index },
      });
      created.push(task.sid!);
    }
    const { data: fetched, response } = await api.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid, Sid: created[3]! } },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(fetched.attributes!)).toEqual({ index: 3, note: 'ünïcødé ✓' });
    expect(fetched.url).toBe(`${emulatorServer.url}/v1/Workspaces/${WorkspaceSid}/Tasks/${created[3]}`);
    const listed: string[] = [];
    for await (const task of paginate(
      api,
      '/v1/Workspaces/{WorkspaceSid}/Tasks',
      { params: { path: { WorkspaceSid } } },
      { pageSize: 2 },
    )) {
      listed.push(task.sid!);
    }
    expect(listed.sort()).toEqual([...created].sort());
  });

  test('turns an unknown SID into a TaskRouterApiError', async () => {
    const missing = `WS${'0'.repeat(32)}`;
    const error = await client()
      .GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: missing } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });

  test('turns wrong credentials into a 401 TaskRouterApiError', async () => {
    const api = createTaskRouterClient({
      accountSid: emulator.credentials.accountSid,
      authToken: 'wrong',
      baseUrl: emulatorServer.url,
      fetch,
    });
    await expect(api.GET('/v1/Workspaces')).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});

describe.each(transports)('%s at the transport level', (_, fetch) => {
  test('sends method, headers and body bytes as given', async () => {
    edge.handle((req, body, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          type: req.headers['content-type'],
          custom: req.headers['x-custom'],
          body,
        }),
      );
    });
    const response = await fetch(
      new Request(`${edge.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'yes' },
        body: 'Attributes=%7B%7D&Name=%C3%A9',
      }),
    );
    expect(await response.json()).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      custom: 'yes',
      body: 'Attributes=%7B%7D&Name=%C3%A9',
    });
  });

  test('accepts a URL and init as well as a Request', async () => {
    edge.handle((req, body, res) => res.end(`${req.method} ${req.url} ${body}`));
    const response = await fetch(`${edge.url}/plain?x=1`, { method: 'PUT', body: 'hello' });
    expect(await response.text()).toBe('PUT /plain?x=1 hello');
  });

  test('decodes a gzip body and reports status, status text, headers and URL', async () => {
    edge.handle((_req, _body, res) => {
      const payload = gzipSync(JSON.stringify({ ok: true }));
      res.writeHead(202, 'Accepted Later', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'set-cookie': ['a=1', 'b=2'],
        'x-rate-limit-remaining': '99',
      });
      res.end(payload);
    });
    const response = await fetch(`${edge.url}/zipped`);
    expect(response.status).toBe(202);
    expect(response.statusText).toBe('Accepted Later');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${edge.url}/zipped`);
    expect(response.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  test('gives a 204 a null body', async () => {
    edge.handle((_req, _body, res) => {
      res.writeHead(204);
      res.end();
    });
    const response = await fetch(`${edge.url}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  test('rejects with the signal reason when aborted mid-request', async () => {
    edge.handle(() => {});
    const controller = new AbortController();
    const pending = fetch(`${edge.url}/stall`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 20);
    await expect(pending).rejects.toThrow('stop waiting');
  });

  test('rejects at once for an already aborted signal', async () => {
    await expect(fetch(`${edge.url}/never`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  test('rejects with a TypeError when nothing listens', async () => {
    const closed = await startEdgeServer();
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(fetch(`${closed.url}/`)).rejects.toBeInstanceOf(TypeError);
  });

  test('lets the core client report timeouts and network failures with its own errors', async () => {
    edge.handle(() => {});
    const stalled = createTaskRouterClient({
      accountSid: emulator.credentials.accountSid,
      authToken: 'token',
      baseUrl: edge.url,
      fetch,
      timeoutMs: 50,
      maxRetries: 0,
    });
    await expect(stalled.GET('/v1/Workspaces')).rejects.toBeInstanceOf(TaskRouterTimeoutError);
    const closed = await startEdgeServer();
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = createTaskRouterClient({
      accountSid: emulator.credentials.accountSid,
      authToken: 'token',
      baseUrl: closed.url,
      fetch,
      maxRetries: 0,
    });
    await expect(unreachable.GET('/v1/Workspaces')).rejects.toBeInstanceOf(TaskRouterNetworkError);
  });
});

describe('createNodeFetch specifics', () => {
  test('refuses URLs that are not http or https', async () => {
    await expect(nodeFetch('file:///etc/hosts')).rejects.toThrow(/unsupported protocol file:/);
  });

  test('reuses one connection for sequential requests', async () => {
    const ports = new Set<number>();
    edge.handle((req, _body, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    const own = createNodeFetch();
    try {
      for (let index = 0; index < 5; index++) await (await own(`${edge.url}/again`)).text();
    } finally {
      own.close();
    }
    expect(ports.size).toBe(1);
  });
});
