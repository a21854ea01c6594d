import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createClientWithClock } from '../src/client.js';
import {
  type TaskRouterClientOptions,
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterRedirectError,
  TaskRouterResponseTooLargeError,
  TaskRouterTimeoutError,
  TaskRouterValidationError,
  computeRequestSignature,
  createTaskRouterClient,
  encodeForm,
  paginate,
  validateRequestSignature,
  validateWebhookRequest,
} from '../src/index.js';
import { delayed, drop, json, useFaultServer, twilioError } from './fault-server.js';
import { systemClock } from '../src/transport.js';
import { ACCOUNT_SID, API_KEY, WORKSPACE_SID, sid, transportUnderTest } from './helpers.js';

// Fresh, recognisable secrets for this run, so a hit can only come from this test.
const AUTH_TOKEN = `canary-token-${randomUUID()}`;
const API_SECRET = `canary-secret-${randomUUID()}`;
const SECRETS = [
  AUTH_TOKEN,
  API_SECRET,
  btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`),
  btoa(`${API_KEY}:${API_SECRET}`),
  // Enough of the token to recognise a truncated copy.
  AUTH_TOKEN.slice(0, 24),
  API_SECRET.slice(0, 24),
];

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

const server = useFaultServer();
const elsewhere = useFaultServer();
afterEach(() => {
  vi.restoreAllMocks();
});

const credentialStyles: [string, Pick<TaskRouterClientOptions, 'authToken' | 'apiKey' | 'apiSecret'>][] = [
  ['an auth token', { authToken: AUTH_TOKEN }],
  ['an API key', { apiKey: API_KEY, apiSecret: API_SECRET }],
];

/** Every text an error can turn into in a log line or a bug report, its causes included. */
function renderings(error: unknown): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current); ) {
    seen.add(current);
    const asError = current as Error;
    texts.push(
      String(current),
      typeof asError.toString === 'function' ? asError.toString() : '',
      asError.message ?? '',
      asError.stack ?? '',
      JSON.stringify(current) ?? '',
      inspect(current, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    );
    current = asError.cause;
  }
  return texts;
}

function expectNoSecretIn(texts: string[]): void {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe.each(credentialStyles)('with %s', (_, credentials) => {
  const client = (options: Partial<TaskRouterClientOptions> = {}) =>
    createClientWithClock(
      { accountSid: ACCOUNT_SID, baseUrl: server.url, ...credentials, ...options },
      systemClock,
      transportUnderTest.defaultFetch,
    );
  const fetchWorkspace = (api: ReturnType<typeof client>) =>
    api.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });

  test('no error path of the client shows a credential, and nothing is logged', async () => {
    const consoleSpies = CONSOLE_METHODS.map((name) => vi.spyOn(console, name));
    const errors: [string, unknown][] = [];
    const record = async (name: string, run: () => unknown) => errors.push([name, await failureOf(run)]);

    server.script(twilioError(401, 20003, 'Authenticate'));
    await record('API error', () => fetchWorkspace(client()));
    server.script(drop());
    await record('network error', () => fetchWorkspace(client({ maxRetries: 0 })));
    server.script(delayed(5_000, json(200, {})));
    await record('timeout', () => fetchWorkspace(client({ timeoutMs: 50, maxRetries: 0 })));

    const page = (next: string) =>
      json(200, {
        workspaces: [],
        meta: { key: 'workspaces', url: `${server.url}/v1/Workspaces`, next_page_url: next },
      });
    server.script(page(`${elsewhere.url}/v1/Workspaces?Page=1`));
    await record('pagination to another origin', async () => {
      for await (const _item of paginate(client(), '/v1/Workspaces')) void _item;
    });
    server.script(page(`${server.url}/v1/Workspaces`));
    await record('repeated page', async () => {
      for await (const _item of paginate(client(), '/v1/Workspaces')) void _item;
    });
    await record('invalid paging option', () => paginate(client(), '/v1/Workspaces', {}, { pageSize: 0 }));

    // A credential pasted where a SID or a field value belongs must not be echoed back.
    await record('path parameter', () =>
      client().GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: AUTH_TOKEN } } }),
    );
    await record('SID field', () =>
      client().POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: { path: { WorkspaceSid: WORKSPACE_SID } },
        body: { WorkflowSid: API_SECRET },
      }),
    );
    await record('unencodable field', () =>
      client().POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: { path: { WorkspaceSid: WORKSPACE_SID } },
        body: { TaskChannel: { secret: AUTH_TOKEN } as never },
      }),
    );
    await record('per-call base URL with user info', () =>
      client().GET('/v1/Workspaces', { baseUrl: `${server.url.replace('//', `//user:${AUTH_TOKEN}@`)}` }),
    );
    server.script((_, response) => {
      const location = `${elsewhere.url.replace('//', `//user:${AUTH_TOKEN}@`)}/?token=${AUTH_TOKEN}`;
      response.writeHead(302, { Location: location, 'Content-Length': 0 }).end();
    });
    await record('redirect', () => fetchWorkspace(client()));
    server.script(json(200, { pad: AUTH_TOKEN.repeat(100) }));
    await record('answer too large', () => fetchWorkspace(client({ maxResponseBytes: 1000 })));
    await record('options', () => createTaskRouterClient({ accountSid: AUTH_TOKEN, ...credentials }));
    await record('base URL with user info', () =>
      createTaskRouterClient({
        accountSid: ACCOUNT_SID,
        ...credentials,
        baseUrl: `https://user:${AUTH_TOKEN}@example.com`,
      }),
    );

    expect(errors.map(([name, error]) => [name, (error as Error).constructor.name])).toEqual([
      ['API error', TaskRouterApiError.name],
      ['network error', TaskRouterNetworkError.name],
      ['timeout', TaskRouterTimeoutError.name],
      ['pagination to another origin', TaskRouterError.name],
      ['repeated page', TaskRouterError.name],
      ['invalid paging option', TaskRouterValidationError.name],
      ['path parameter', TaskRouterValidationError.name],
      ['SID field', TaskRouterValidationError.name],
      ['unencodable field', TaskRouterValidationError.name],
      ['per-call base URL with user info', TaskRouterValidationError.name],
      ['redirect', TaskRouterRedirectError.name],
      ['answer too large', TaskRouterResponseTooLargeError.name],
      ['options', TaskRouterValidationError.name],
      ['base URL with user info', TaskRouterValidationError.name],
    ]);
    for (const [, error] of errors) expectNoSecretIn(renderings(error));
    // The credentials did go out on the wire, so their absence above is not an accident.
    expect(server.requests.at(-1)?.headers.authorization).toContain(SECRETS[credentials.authToken ? 2 : 3]);
    expect(elsewhere.requests).toHaveLength(0);
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });

  test('a logging middleware sees every request and answer but never the credentials', async () => {
    const lines: string[] = [];
    const api = client();
    api.use({
      onRequest({ request }) {
        lines.push(`${request.method} ${request.url} ${inspect(Object.fromEntries(request.headers))}`);
      },
      onResponse({ response }) {
        lines.push(`${response.status} ${inspect(Object.fromEntries(response.headers))}`);
      },
      onError({ error }) {
        lines.push(inspect(error, { depth: Number.POSITIVE_INFINITY }));
      },
    });
    server.script(json(200, { sid: WORKSPACE_SID }), twilioError(404, 20404, 'not found'));
    await fetchWorkspace(api);
    await expect(fetchWorkspace(api)).rejects.toBeInstanceOf(TaskRouterApiError);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toContain(`GET ${server.url}/v1/Workspaces/${WORKSPACE_SID}`);
    expectNoSecretIn(lines);
  });

  test('the client object itself renders without a credential', () => {
    const api = client();
    expectNoSecretIn([
      String(api),
      JSON.stringify(api) ?? '',
      inspect(api, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
    ]);
  });
});

describe('webhooks', () => {
  test('a signature mismatch or a bad token reports nothing that contains the token', async () => {
    const consoleSpies = CONSOLE_METHODS.map((name) => vi.spyOn(console, name));
    const url = 'https://hooks.example/taskrouter/events';
    const params = { EventType: 'task.created', TaskSid: sid('WT') };
    const signature = await computeRequestSignature(AUTH_TOKEN, url, params);
    const request = new Request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': signature,
      },
      body: encodeForm(params),
    });

    expect(await validateWebhookRequest(request, AUTH_TOKEN)).toBe(true);
    expect(await validateWebhookRequest(request, `${AUTH_TOKEN}x`)).toBe(false);
    expect(await validateRequestSignature(AUTH_TOKEN, signature, `${url}?tampered=1`, params)).toBe(false);
    const emptyToken = await failureOf(() => validateRequestSignature('', signature, url, params));
    expect(emptyToken).toBeInstanceOf(TaskRouterValidationError);
    expectNoSecretIn(renderings(emptyToken));
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });
});
