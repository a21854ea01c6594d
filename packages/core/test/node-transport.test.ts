import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  TaskRouterApiError,
  TaskRouterValidationError,
  createTaskRouterClient as createFetchClient,
} from '../src/index.js';
import { type NodeFetch, createNodeFetch, createTaskRouterClient } from '../src/node.js';
import {
  type Behaviour,
  answer,
  type FaultServer,
  delayed,
  hang,
  json,
  startFaultServer,
  twilioError,
} from './fault-server.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID, recordingFetch, sid } from './helpers.js';

let server: FaultServer;
let closed: FaultServer;
const nodeFetch: NodeFetch = createNodeFetch();

beforeAll(async () => {
  [server, closed] = await Promise.all([startFaultServer(), startFaultServer()]);
  await closed.close();
});
afterAll(async () => {
  nodeFetch.close();
  await server.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers with the request as JSON: method, path, body and the headers that matter here. */
const echo: Behaviour = (request, response) => {
  const { 'content-type': type, 'x-custom': custom } = request.headers;
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(
    JSON.stringify({ method: request.method, url: request.url, type, custom, body: request.body }),
  );
};

/** Answers 202 with the document compressed by `encoding`, plus a few headers to read back. */
function compressed(encoding: string, compress: (bytes: Buffer) => Buffer): Behaviour {
  return (_, response) => {
    response.writeHead(202, 'Accepted Later', {
      'Content-Type': 'application/json',
      'Content-Encoding': encoding,
      'Set-Cookie': ['a=1', 'b=2'],
      'X-Rate-Limit-Remaining': '99',
    });
    response.end(compress(Buffer.from(JSON.stringify({ ok: true, note: 'ünïcødé ✓' }))));
  };
}

/** The remote port of each connection a request arrived on, in order. */
function remotePorts(): { behaviour: Behaviour; ports: number[] } {
  const ports: number[] = [];
  return {
    ports,
    behaviour: (_, response) => {
      ports.push(response.socket?.remotePort ?? 0);
      response.end('ok');
    },
  };
}

describe.each([
  ['the platform fetch', (...args: Parameters<typeof fetch>) => fetch(...args)],
  ['createNodeFetch', nodeFetch],
] as const)('%s', (_, send) => {
  test('sends the method, headers and body of a Request as given', async () => {
    server.script(echo);
    const response = await send(
      new Request(`${server.url}/echo?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'yes' },
        body: 'Attributes=%7B%7D&Name=%C3%A9',
      }),
    );
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/echo?x=1',
      type: 'application/x-www-form-urlencoded',
      custom: 'yes',
      body: 'Attributes=%7B%7D&Name=%C3%A9',
    });
  });

  test('takes a URL and an init, typing string and form bodies as the platform does', async () => {
    server.script(echo);
    const text = await send(`${server.url}/plain`, { method: 'put', body: 'héllo' });
    expect(await text.json()).toMatchObject({
      method: 'PUT',
      type: 'text/plain;charset=UTF-8',
      body: 'héllo',
    });
    const form = await send(new URL(`${server.url}/form`), {
      method: 'POST',
      body: new URLSearchParams({ Priority: '5', Note: 'a b&c' }),
    });
    expect(await form.json()).toMatchObject({
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'Priority=5&Note=a+b%26c',
    });
  });

  test.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decodes a %s body and reports status, status text, headers and URL', async (encoding, compress) => {
    server.script(compressed(encoding, compress));
    const response = await send(`${server.url}/zipped`);
    expect(response.status).toBe(202);
    expect(response.statusText).toBe('Accepted Later');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${server.url}/zipped`);
    expect(response.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true, note: 'ünïcødé ✓' });
  });

  test('gives a 204 a null body', async () => {
    server.script((_, response) => {
      response.writeHead(204).end();
    });
    const response = await send(`${server.url}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  test('rejects with the signal reason when aborted mid-request', async () => {
    server.script(hang());
    const controller = new AbortController();
    const pending = send(`${server.url}/stall`, { signal: controller.signal });
    await server.received(1);
    controller.abort(new Error('stop waiting'));
    await expect(pending).rejects.toThrow('stop waiting');
  });

  test('rejects at once for an already aborted signal', async () => {
    server.script();
    await expect(send(`${server.url}/never`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(0);
  });

  test('rejects with a TypeError when nothing listens', async () => {
    await expect(send(`${closed.url}/`)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('createNodeFetch', () => {
  test('refuses URLs that are not http or https, naming the protocol', async () => {
    const error = await nodeFetch('file:///etc/hosts').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toMatchObject({ message: 'unsupported protocol file:' });
  });

  test('reuses one connection for sequential requests, and opens a new one after close()', async () => {
    const { behaviour, ports } = remotePorts();
    server.script(behaviour);
    const own = createNodeFetch();
    try {
      for (let index = 0; index < 4; index++) await (await own(`${server.url}/again`)).text();
      own.close();
      await (await own(`${server.url}/after-close`)).text();
    } finally {
      own.close();
    }
    expect(new Set(ports.slice(0, 4)).size).toBe(1);
    expect(ports[4]).not.toBe(ports[0]);
  });

  test('opens at most maxSockets connections to a host', async () => {
    const { behaviour, ports } = remotePorts();
    server.script(delayed(20, behaviour));
    const own = createNodeFetch({ maxSockets: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => own(`${server.url}/busy`)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    } finally {
      own.close();
    }
    expect(new Set(ports).size).toBe(2);
  });

  test.each([
    ['maxSockets', { maxSockets: 0 }],
    ['maxSockets', { maxSockets: 1.5 }],
    ['idleTimeoutMs', { idleTimeoutMs: 0 }],
    ['idleTimeoutMs', { idleTimeoutMs: Number.NaN }],
  ])('rejects a bad %s', (field, options) => {
    expect(() => createNodeFetch(options)).toThrow(TaskRouterValidationError);
    expect(() => createNodeFetch(options)).toThrow(expect.objectContaining({ field }));
  });
});

describe('the client over the Node transport', () => {
  const client = () =>
    createFetchClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      baseUrl: server.url,
      fetch: nodeFetch,
    });
  const fetchWorkspace = (api: ReturnType<typeof client>) =>
    api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
  const workspace = { sid: WORKSPACE_SID, friendly_name: 'Support ✓' };

  test('answers with the Response interface: status, headers and URL as received, body already read', async () => {
    server.script(json(200, workspace, { ETag: '"7"', 'Set-Cookie': 'b=2', 'X-Twilio-Request-Id': 'RQ1' }));
    const { data, response } = await fetchWorkspace(client());
    expect(data).toEqual(workspace);
    expect(response).toMatchObject({ status: 200, ok: true, statusText: 'OK', bodyUsed: true, body: null });
    expect(response.url).toBe(`${server.url}/v1/Workspaces/${WORKSPACE_SID}`);
    expect(response.headers.get('etag')).toBe('"7"');
    expect(response.headers.get('ETag')).toBe('"7"');
    expect(response.headers.has('x-twilio-request-id')).toBe(true);
    expect(response.headers.get('x-missing')).toBeNull();
    expect(response.headers.getSetCookie()).toEqual(['b=2']);
    const names = [...response.headers.keys()];
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['content-type', 'etag', 'set-cookie']));
    const seen: string[] = [];
    response.headers.forEach((value, name) => {
      seen.push(`${name}: ${value}`);
    });
    expect(seen).toContain('etag: "7"');
    expect([...response.headers.values()]).toContain('RQ1');
    expect(() => response.headers.set('ETag', '"8"')).toThrow(TypeError);
    await expect(response.json()).rejects.toThrow(/already been read/);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  test('answers a status without a body as the fetch path does: nothing read, an empty text', async () => {
    const remove = (fetch?: typeof nodeFetch) =>
      createFetchClient({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        baseUrl: server.url,
        fetch,
      }).DELETE('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
    const observe = async (response: Response) => ({
      status: response.status,
      bodyUsed: response.bodyUsed,
      text: await response.text(),
      cloned: response.clone().status,
    });
    server.script(answer(204, ''));
    const overNode = await observe((await remove(nodeFetch)).response);
    const overFetch = await observe((await remove()).response);
    expect(overNode).toEqual(overFetch);
    expect(overNode).toEqual({ status: 204, bodyUsed: false, text: '', cloned: 204 });
  });

  test('reads a compressed answer and hides the encoding it no longer has', async () => {
    server.script(compressed('gzip', gzipSync));
    const { data, response } = await fetchWorkspace(client());
    expect(data).toEqual({ ok: true, note: 'ünïcødé ✓' });
    expect(response.status).toBe(202);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  test('reads an answer that starts with a byte order mark, as Response.text() does', async () => {
    server.script((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`\uFEFF${JSON.stringify(workspace)}`);
    });
    expect((await fetchWorkspace(client())).data).toEqual(workspace);
  });

  test('reads multi-byte characters split across socket reads intact', async () => {
    const document = { names: Array.from({ length: 500 }, (_, index) => `wörker ✓ 🚀 ${index}`) };
    const bytes = Buffer.from(JSON.stringify(document));
    // Cut in the middle of the four bytes of the first rocket, and pause between the two halves.
    const cut = bytes.indexOf(Buffer.from('🚀')) + 2;
    server.script((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.byteLength });
      response.write(bytes.subarray(0, cut));
      setTimeout(() => response.end(bytes.subarray(cut)), 30);
    });
    const { data } = await client().GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
    expect(data).toEqual(document);
  });

  test('sends non-ASCII form bodies with their byte length', async () => {
    server.script(json(201, { sid: sid('WT') }));
    await client().POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: { Attributes: { note: 'ünïcødé ✓ 🚀' } },
    });
    const [received] = server.requests;
    expect(new URLSearchParams(received?.body).get('Attributes')).toBe('{"note":"ünïcødé ✓ 🚀"}');
    expect(Number(received?.headers['content-length'])).toBe(Buffer.byteLength(received?.body ?? ''));
  });

  test('keeps a readable copy of an error answer in TaskRouterApiError.response', async () => {
    server.script(twilioError(404, 20404, 'not found', { 'X-Twilio-Request-Id': 'RQ2' }));
    const error = await fetchWorkspace(client()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskRouterApiError);
    const { response } = error as TaskRouterApiError;
    expect(response?.headers.get('x-twilio-request-id')).toBe('RQ2');
    expect(await response?.json()).toMatchObject({ code: 20404, message: 'not found' });
  });

  test('gives middleware real Request and Response objects', async () => {
    server.script(json(200, workspace));
    const api = client();
    const seen: unknown[] = [];
    api.use({
      onRequest: ({ request }) => {
        seen.push(request);
      },
      onResponse: async ({ response }) => {
        seen.push(response, await response.clone().json());
      },
    });
    expect((await fetchWorkspace(api)).data).toEqual(workspace);
    expect(seen[0]).toBeInstanceOf(Request);
    expect(seen[1]).toBeInstanceOf(Response);
    expect(seen[2]).toEqual(workspace);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`)}`);
  });
});

describe('createTaskRouterClient of @taskrouter/core/node', () => {
  test('sends through the Node transport, not through the platform fetch', async () => {
    server.script(json(200, { sid: WORKSPACE_SID }));
    const api = createTaskRouterClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      baseUrl: server.url,
    });
    const { data } = await api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
    expect(data).toEqual({ sid: WORKSPACE_SID });
    expect(server.requests).toHaveLength(1);
    // The platform fetch (undici) sends Fetch metadata and does not ask for brotli.
    expect(server.requests[0]?.headers['sec-fetch-mode']).toBeUndefined();
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  test('clients made without a fetch share one connection pool', async () => {
    const { behaviour, ports } = remotePorts();
    server.script(behaviour);
    const options = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: server.url, maxRetries: 0 };
    for (const api of [createTaskRouterClient(options), createTaskRouterClient(options)]) {
      await api.GET('/v1/Workspaces').catch(() => undefined);
    }
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  test('uses the fetch it is given instead', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ sid: WORKSPACE_SID }));
    const api = createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fetch });
    await api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
    expect(requests.map((request) => request.url)).toEqual([
      `https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}`,
    ]);
  });

  test('checks its options like the main entry point', () => {
    expect(() => createTaskRouterClient(null as never)).toThrow(
      expect.objectContaining({ field: 'options' }),
    );
    expect(() => createTaskRouterClient({ accountSid: 'AC1', authToken: AUTH_TOKEN })).toThrow(
      expect.objectContaining({ name: 'TaskRouterValidationError', field: 'accountSid' }),
    );
  });
});
