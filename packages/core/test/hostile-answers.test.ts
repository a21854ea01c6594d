/**
 * A server that answers with what TaskRouter never sends: redirects elsewhere, bodies that
 * decompress to far more than they weigh, oversized pages. Every call goes through a real socket,
 * so `over-node-transport.test.ts` runs this suite again over the Node transport.
 */
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, test } from 'vitest';
import { createClientWithClock } from '../src/client.js';
import {
  type TaskRouterClientOptions,
  TaskRouterApiError,
  TaskRouterRedirectError,
  TaskRouterResponseTooLargeError,
  TaskRouterValidationError,
} from '../src/index.js';
import { type Behaviour, drop, json, useFaultServer, twilioError } from './fault-server.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID, fakeClock, sid, transportUnderTest } from './helpers.js';

const server = useFaultServer();
const elsewhere = useFaultServer();
beforeEach(() => {
  elsewhere.script();
});

function client(options: Partial<TaskRouterClientOptions> = {}) {
  return createClientWithClock(
    { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: server.url, ...options },
    fakeClock().clock,
    transportUnderTest.defaultFetch,
  );
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const tasksPath = `/v1/Workspaces/${WORKSPACE_SID}/Tasks`;
const createTask = (api: ReturnType<typeof client>) =>
  api.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid: WORKSPACE_SID } },
    body: { Attributes: { secret: 'task data' }, Priority: 5 },
  });
const fetchWorkspace = (api: ReturnType<typeof client>) =>
  api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });

describe('path parameters that would change the path', () => {
  const channelPath = '/v1/Workspaces/{WorkspaceSid}/TaskChannels/{Sid}';
  const workerChannelPath = '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels/{Sid}';
  const hostile = [
    '',
    '.',
    '..',
    '%2e',
    '%2e%2E',
    '.%2E',
    'a/b',
    '%2F',
    'a\\b',
    'a?b',
    'a#b',
    '%3Fx',
    'a\nb',
  ];

  test.each(hostile)('%j is refused before sending, naming the parameter', async (value) => {
    server.script();
    const api = client();
    const calls = [
      () => api.DELETE(channelPath, { params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: value } } }),
      () => api.GET(channelPath, { params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: value } } }),
      () =>
        api.POST(channelPath, {
          params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: value } },
          body: { FriendlyName: 'x' },
        }),
      () =>
        api.POST(workerChannelPath, {
          params: { path: { WorkspaceSid: WORKSPACE_SID, WorkerSid: sid('WK'), Sid: value } },
          body: { Capacity: 1 },
        }),
    ];
    for (const call of calls) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(TaskRouterValidationError);
      expect(error).toMatchObject({ field: 'params.path.Sid' });
    }
    expect(server.requests).toHaveLength(0);
  });

  test('channel names that stay one segment are sent, encoded, to that segment', async () => {
    server.script(json(200, { sid: sid('TC') }));
    const api = client();
    for (const name of ['voice', 'chat-2', 'café', '...', 'a.b', '%25']) {
      await api.GET(channelPath, { params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: name } } });
    }
    expect(server.requests.map((request) => decodeURIComponent(request.url.split('/').at(-1) ?? ''))).toEqual(
      ['voice', 'chat-2', 'café', '...', 'a.b', '%25'],
    );
  });
});

describe('answers larger than maxResponseBytes', () => {
  // Text that compresses to almost nothing: a bomb of `decodedBytes` once decoded.
  const bombText = (decodedBytes: number) => `{"sid":"${'0'.repeat(decodedBytes - 10)}"}`;
  const encoders: [string, (text: string) => Buffer][] = [
    ['br', (text) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })],
    ['gzip', (text) => gzipSync(text, { level: 6 })],
    ['deflate', (text) => deflateSync(text, { level: 6 })],
  ];
  const compressed =
    (encoding: string, bytes: Buffer): Behaviour =>
    (_, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': encoding,
        'Content-Length': bytes.byteLength,
      });
      response.end(bytes);
    };

  test.each(encoders)(
    'a small %s answer that decodes past the default 8 MiB fails with a typed error, and is not retried',
    async (encoding, encode) => {
      // Twice the default limit: compressing more only slows the test down.
      const bomb = encode(bombText(16 * 1024 * 1024));
      expect(bomb.byteLength).toBeLessThan(64 * 1024);
      server.script(compressed(encoding, bomb));
      const error = await rejection(fetchWorkspace(client()));
      expect(error).toBeInstanceOf(TaskRouterResponseTooLargeError);
      expect(error).toMatchObject({
        method: 'GET',
        url: `${server.url}/v1/Workspaces/${WORKSPACE_SID}`,
        maxResponseBytes: 8 * 1024 * 1024,
      });
      expect(error.message).toContain('answered with more than maxResponseBytes (8388608)');
      expect(server.requests).toHaveLength(1);
    },
    30_000,
  );

  test.each(encoders)(
    'the limit counts decoded %s bytes: exactly at the limit passes',
    async (encoding, encode) => {
      const text = bombText(20_000);
      server.script(compressed(encoding, encode(text)));
      const { data } = await fetchWorkspace(client({ maxResponseBytes: 20_000 }));
      expect((data as { sid: string }).sid).toHaveLength(20_000 - 10);
      const error = await rejection(fetchWorkspace(client({ maxResponseBytes: 19_999 })));
      expect(error).toBeInstanceOf(TaskRouterResponseTooLargeError);
    },
  );

  test('an uncompressed answer is held to the same limit, error answers included', async () => {
    const text = JSON.stringify({ sid: WORKSPACE_SID, pad: 'x'.repeat(1000) });
    server.script(json(200, JSON.parse(text)));
    await fetchWorkspace(client({ maxResponseBytes: Buffer.byteLength(text) }));
    const error = await rejection(fetchWorkspace(client({ maxResponseBytes: 1000 })));
    expect(error).toBeInstanceOf(TaskRouterResponseTooLargeError);
    expect(error).toMatchObject({ maxResponseBytes: 1000 });

    server.script(twilioError(500, 20500, 'x'.repeat(2000)));
    expect(await rejection(fetchWorkspace(client({ maxResponseBytes: 1000 })))).toBeInstanceOf(
      TaskRouterResponseTooLargeError,
    );
  });

  test('a POST whose answer is too large is sent once and says the server may have acted', async () => {
    server.script(json(201, { sid: sid('WT'), pad: 'x'.repeat(5000) }));
    const error = await rejection(createTask(client({ maxResponseBytes: 4096 })));
    expect(error).toBeInstanceOf(TaskRouterResponseTooLargeError);
    expect(error.message).toContain('the server may have acted on it');
    expect(server.requests).toHaveLength(1);
  });

  test('maxResponseBytes must be a whole number of bytes, 1 or more', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as never]) {
      expect(() => client({ maxResponseBytes })).toThrow(
        expect.objectContaining({ field: 'maxResponseBytes', name: 'TaskRouterValidationError' }),
      );
    }
  });
});

describe('redirects', () => {
  const redirect =
    (status: number, location: () => string): Behaviour =>
    (_, response) => {
      response.writeHead(status, { Location: location(), 'Content-Length': 0 });
      response.end();
    };

  test.each([301, 302, 303, 307, 308])(
    'a %i to another host is never followed: the POST body and credentials stay home',
    async (status) => {
      server.script(redirect(status, () => `${elsewhere.url}/collect`));
      const error = await rejection(createTask(client()));
      expect(error).toBeInstanceOf(TaskRouterRedirectError);
      expect(error).toMatchObject({
        status,
        targetOrigin: elsewhere.url,
        method: 'POST',
        url: server.url + tasksPath,
      });
      expect(error.message).toBe(
        `POST ${server.url}${tasksPath} answered with a redirect (${status}) to ${elsewhere.url}, which is never followed`,
      );
      expect(server.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  test('a GET redirected to its own origin is refused too, and not retried', async () => {
    server.script(redirect(307, () => '/v1/Workspaces'));
    const error = await rejection(fetchWorkspace(client()));
    expect(error).toMatchObject({ name: 'TaskRouterRedirectError', status: 307, targetOrigin: server.url });
    expect(server.requests).toHaveLength(1);
  });

  test('a redirect without a usable Location still fails, without a target', async () => {
    server.script(redirect(302, () => 'http://[bad'));
    const error = await rejection(fetchWorkspace(client()));
    expect(error).toMatchObject({ name: 'TaskRouterRedirectError', status: 302, targetOrigin: undefined });
  });
});

describe('redirects a fetch reports without a status', () => {
  test('a redirect a custom fetch followed on its own is refused, naming where it went', async () => {
    const followed = Response.json({ sid: WORKSPACE_SID });
    Object.defineProperties(followed, {
      redirected: { value: true },
      url: { value: `${elsewhere.url}/moved` },
    });
    const error = await rejection(fetchWorkspace(client({ fetch: async () => followed })));
    expect(error).toMatchObject({ name: 'TaskRouterRedirectError', status: 0, targetOrigin: elsewhere.url });
  });

  test("a browser's opaque redirect (status 0, no Location) is refused, without a target", async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperties(opaque, { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    const error = await rejection(createTask(client({ fetch: async () => opaque })));
    expect(error).toBeInstanceOf(TaskRouterRedirectError);
    expect(error).toMatchObject({ status: 0, targetOrigin: undefined, method: 'POST' });
  });
});

describe('per-call baseUrl', () => {
  test('is validated like the client option, before anything is sent', async () => {
    server.script();
    const api = client();
    for (const baseUrl of [
      'https://user:pa55@example.com',
      'ftp://example.com',
      'not a url',
      `${server.url}?x=1`,
      `${server.url}#top`,
      42 as never,
    ]) {
      const error = await rejection(api.GET('/v1/Workspaces', { baseUrl }));
      expect(error).toBeInstanceOf(TaskRouterValidationError);
      expect(error).toMatchObject({ field: 'baseUrl' });
      expect(error.message).not.toContain('pa55');
    }
    expect(server.requests).toHaveLength(0);
  });

  test('a valid one is used, trailing slashes removed', async () => {
    elsewhere.script(json(200, { workspaces: [] }));
    await client().GET('/v1/Workspaces', { baseUrl: `${elsewhere.url}/prefix//` });
    expect(elsewhere.requests.map((request) => request.url)).toEqual(['/prefix/v1/Workspaces']);
  });
});

describe('a DELETE retried after its answer was lost', () => {
  const deleteWorker = (api: ReturnType<typeof client>) =>
    api.DELETE('/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WK') } },
    });
  const notFound = twilioError(404, 20404, 'The requested resource was not found');

  test.each([
    ['the connection dropped', drop()],
    ['a gateway answered 502', twilioError(502, 20500, 'bad gateway')],
    ['a gateway answered 504', twilioError(504, 20500, 'gateway timeout')],
  ])('succeeds on a 404 when %s first: the resource is gone', async (_, first) => {
    server.script(first, notFound);
    const { data, response } = await deleteWorker(client());
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(server.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  test('still fails on a 404 at the first attempt, or after the server refused to act (503)', async () => {
    server.script(notFound);
    expect(await rejection(deleteWorker(client()))).toMatchObject({ status: 404 });
    server.script(twilioError(503, 20500, 'busy'), notFound);
    const error = await rejection(deleteWorker(client()));
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(2);
  });

  test('a GET that finds nothing after a lost answer still fails', async () => {
    server.script(drop(), notFound);
    expect(await rejection(fetchWorkspace(client()))).toMatchObject({ status: 404 });
  });
});
