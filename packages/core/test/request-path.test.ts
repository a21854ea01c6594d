import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  TaskRouterApiError,
  TaskRouterNetworkError,
  TaskRouterValidationError,
  createTaskRouterClient,
} from '../src/index.js';
import { DIRECT_SEND, type Exchange, type WireRequest } from '../src/transport.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  WORKSPACE_SID,
  recordingFetch,
  sid,
  testClient,
  twilioError,
} from './helpers.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const workspace = { sid: WORKSPACE_SID };
const fetchWorkspace = (client: ReturnType<typeof testClient>, init: Record<string, unknown> = {}) =>
  client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } }, ...init });

describe('how a request is handed to fetch', () => {
  test('the platform fetch gets the URL and an init, with no Request built first', async () => {
    const calls: unknown[][] = [];
    vi.stubGlobal('fetch', async (...args: unknown[]) => {
      calls.push(args);
      return Response.json(workspace);
    });
    const client = createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const { data, response } = await client.POST('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: WORKSPACE_SID } },
      body: { FriendlyName: 'Support' },
    });
    expect(data).toEqual(workspace);
    expect(response.bodyUsed).toBe(true);
    const [url, init] = calls[0] as [unknown, RequestInit];
    expect(url).toBe(`https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}`);
    expect(init).toMatchObject({ method: 'POST', body: 'FriendlyName=Support' });
    expect(init.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': '@taskrouter/core',
    });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  test('a fetch of the caller gets a Request', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json(workspace));
    const spy = vi.fn(fetch);
    await fetchWorkspace(testClient(spy));
    expect(spy.mock.calls[0]?.[0]).toBeInstanceOf(Request);
    expect(requests[0]?.headers.get('authorization')).toMatch(/^Basic /);
  });

  test('a fetch offering a direct send gets a plain request and answers without a Request', async () => {
    const sent: WireRequest[] = [];
    const direct = (request: WireRequest): Exchange => {
      sent.push(request);
      return {
        answer: Promise.resolve({ response: Response.json(workspace), text: '{"ok":1}' }),
        cancel() {},
      };
    };
    const unused = vi.fn(async () => Response.json({}));
    Object.defineProperty(unused, DIRECT_SEND, { value: direct });
    const { data } = await fetchWorkspace(testClient(unused, { userAgent: 'app/1' }));
    expect(unused).not.toHaveBeenCalled();
    expect(data).toEqual({ ok: 1 });
    expect(sent).toEqual([
      {
        method: 'GET',
        url: `https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}`,
        headers: {
          authorization: `Basic ${btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`)}`,
          accept: 'application/json',
          'user-agent': 'app/1',
        },
        body: undefined,
        maxResponseBytes: 8 * 1024 * 1024,
      },
    ]);
  });
});

describe('per-call options', () => {
  test('headers merge in order (defaults, headers, params.header); null removes one, arrays join', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WT') }, header: { 'If-Match': '"2"' } },
      body: { Priority: 1 },
      headers: new Headers([
        ['If-Match', '"1"'],
        ['X-Trace', 'a'],
      ]),
    });
    await testClient(fetch).POST('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: WORKSPACE_SID } },
      body: { FriendlyName: 'x' },
      headers: { 'Content-Type': null, 'X-Tags': ['a', 'b'], Accept: 'text/plain' } as never,
    });
    const [first, second] = requests;
    expect(first?.headers.get('if-match')).toBe('"2"');
    expect(first?.headers.get('x-trace')).toBe('a');
    expect(second?.headers.get('x-tags')).toBe('a, b');
    expect(second?.headers.get('accept')).toBe('text/plain');
    expect(second?.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
  });

  test.each([
    ['headers.X-Evil', { headers: { 'X-Evil': 'a\r\nInjected: 1' } }, 'line breaks'],
    [
      'params.header.If-Match',
      { params: { path: { Sid: WORKSPACE_SID }, header: { 'If-Match': 'a\nb' } } },
      'line breaks',
    ],
    ['headers.Bad Name', { headers: { 'Bad Name': 'x' } }, 'not a valid header name'],
  ])('rejects a bad header %s before sending', async (field, init, reason) => {
    const { fetch, requests } = recordingFetch();
    const error = await fetchWorkspace(testClient(fetch), init).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskRouterValidationError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(reason);
    expect(requests).toHaveLength(0);
  });

  test('a per-call pathSerializer and querySerializer shape the URL', async () => {
    const { fetch, requests } = recordingFetch();
    await fetchWorkspace(testClient(fetch), {
      pathSerializer: (url: string, values: Record<string, unknown>) =>
        url.replace('{Sid}', `${values.Sid}/x`),
      querySerializer: () => '?A=1&B=2',
    });
    expect(requests[0]?.url).toBe(`https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}/x?A=1&B=2`);
  });

  test('a querySerializer that is not a function is refused', async () => {
    const { fetch, requests } = recordingFetch();
    const call = fetchWorkspace(testClient(fetch), {
      querySerializer: { array: { style: 'form', explode: false } },
    });
    await expect(call).rejects.toMatchObject({ name: 'TaskRouterValidationError', field: 'querySerializer' });
    expect(requests).toHaveLength(0);
  });

  test('a body serialized to something other than text is sent through a Request', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).POST('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: WORKSPACE_SID } },
      body: { FriendlyName: 'Support' },
      bodySerializer: (body) => new TextEncoder().encode(`FriendlyName=${body?.FriendlyName}!`),
    });
    expect(requests[0]?.body).toBe('FriendlyName=Support!');
    expect(requests[0]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });
});

describe('middleware', () => {
  test('sees the call, may replace the request, and runs onRequest in order and onResponse in reverse', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json(workspace, { headers: { ETag: '"1"' } }));
    const client = testClient(fetch);
    const order: string[] = [];
    const contexts: Record<string, unknown>[] = [];
    client.use(
      {
        onRequest(context) {
          order.push('request 1');
          contexts.push(context as never);
          return new Request(context.request, { headers: { 'X-Replaced': 'yes' } });
        },
        onResponse() {
          order.push('response 1');
        },
      },
      {
        onRequest({ request }) {
          order.push(`request 2 ${request.headers.get('X-Replaced')}`);
        },
        async onResponse({ response }) {
          order.push('response 2');
          return Response.json({ wrapped: await response.json() }, { headers: response.headers });
        },
      },
    );
    const { data, response } = await fetchWorkspace(client, {
      params: { path: { Sid: WORKSPACE_SID }, query: {} },
    });
    expect(order).toEqual(['request 1', 'request 2 yes', 'response 2', 'response 1']);
    expect(data).toEqual({ wrapped: workspace });
    expect(response.headers.get('etag')).toBe('"1"');
    expect(requests[0]?.headers.get('x-replaced')).toBe('yes');
    expect(requests[0]?.headers.get('authorization')).toMatch(/^Basic /);
    expect(contexts[0]).toMatchObject({
      schemaPath: '/v1/Workspaces/{Sid}',
      params: { path: { Sid: WORKSPACE_SID }, query: {} },
      id: expect.stringMatching(/^[0-9a-z]+$/),
      options: { baseUrl: 'https://taskrouter.twilio.com', parseAs: 'json' },
    });
  });

  test('onRequest may answer by itself, and nothing is sent', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch);
    const onResponse = vi.fn();
    client.use({ onRequest: () => Response.json({ cached: true }), onResponse });
    expect((await fetchWorkspace(client)).data).toEqual({ cached: true });
    expect(requests).toHaveLength(0);
    expect(onResponse).not.toHaveBeenCalled();
  });

  test('onError sees typed errors and may answer instead, or replace the error', async () => {
    const { fetch } = recordingFetch(() => twilioError(404, 20404, 'not found'));
    const recovering = testClient(fetch);
    const seen: unknown[] = [];
    recovering.use({
      onError({ error }) {
        seen.push(error);
        return Response.json({ fallback: true });
      },
    });
    expect((await fetchWorkspace(recovering)).data).toEqual({ fallback: true });
    expect(seen[0]).toBeInstanceOf(TaskRouterApiError);

    const replacing = testClient(fetch);
    const replacement = new Error('mapped');
    replacing.use({ onError: () => replacement });
    await expect(fetchWorkspace(replacing)).rejects.toBe(replacement);
  });

  test('a non-2xx answer made by middleware rejects with TaskRouterApiError', async () => {
    const { fetch } = recordingFetch();
    const client = testClient(fetch);
    client.use({ onRequest: () => twilioError(409, 20001, 'conflict') });
    await expect(fetchWorkspace(client)).rejects.toMatchObject({ name: 'TaskRouterApiError', status: 409 });
  });

  test('options.fetch sends another request through the client, credentials and errors included', async () => {
    const { fetch, requests } = recordingFetch([
      () => Response.json({ extra: true }),
      () => Response.json(workspace),
      () => twilioError(500, 20500, 'x'),
    ]);
    const client = testClient(fetch, { maxRetries: 0 });
    const extra: unknown[] = [];
    client.use({
      async onRequest({ options }) {
        const answer = await options.fetch(new Request('https://taskrouter.twilio.com/v1/Workspaces'));
        extra.push(await answer.json());
      },
    });
    expect((await fetchWorkspace(client)).data).toEqual(workspace);
    await expect(fetchWorkspace(client)).rejects.toBeInstanceOf(TaskRouterApiError);
    expect(extra).toEqual([{ extra: true }]);
    expect(requests.map((request) => [request.url, request.headers.get('authorization')])).toEqual([
      ['https://taskrouter.twilio.com/v1/Workspaces', expect.stringMatching(/^Basic /)],
      [`https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}`, expect.stringMatching(/^Basic /)],
      ['https://taskrouter.twilio.com/v1/Workspaces', expect.stringMatching(/^Basic /)],
    ]);
  });

  test('per-call middleware runs after the client middleware, for that call only', async () => {
    const { fetch } = recordingFetch(() => Response.json(workspace));
    const client = testClient(fetch);
    const order: string[] = [];
    client.use({ onRequest: () => void order.push('client') });
    const perCall = { onRequest: () => void order.push('call') };
    await fetchWorkspace(client, { middleware: [perCall] });
    await fetchWorkspace(client);
    expect(order).toEqual(['client', 'call', 'client']);
  });

  test.each([
    ['onRequest', { onRequest: () => 'nope' }],
    ['onResponse', { onResponse: () => 'nope' }],
    ['onError', { onError: () => 'nope' }],
  ])('%s returning something else is a TypeError', async (hook, middleware) => {
    const { fetch } = recordingFetch(hook === 'onError' ? () => twilioError(400, 20001, 'bad') : undefined);
    const client = testClient(fetch, { maxRetries: 0 });
    client.use(middleware as never);
    const error = await fetchWorkspace(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(hook);
  });

  test('use() refuses what is not middleware, and ignores empty slots', () => {
    const client = testClient(recordingFetch().fetch);
    expect(() => client.use(undefined as never)).not.toThrow();
    expect(() => client.use({ onSomething() {} } as never)).toThrow(
      expect.objectContaining({ name: 'TaskRouterValidationError', field: 'middleware' }),
    );
  });

  test('a network failure reaches onError as TaskRouterNetworkError', async () => {
    const client = testClient(
      async () => {
        throw new TypeError('fetch failed');
      },
      { maxRetries: 0 },
    );
    const seen: unknown[] = [];
    client.use({ onError: ({ error }) => void seen.push(error) });
    await expect(fetchWorkspace(client)).rejects.toBeInstanceOf(TaskRouterNetworkError);
    expect(seen[0]).toBeInstanceOf(TaskRouterNetworkError);
  });
});
