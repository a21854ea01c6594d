/**
 * Browser mode: a client without credentials, whose base URL names the app's own proxy, and the
 * proxy's checks of its options and of what comes back from upstream. The whole path against the
 * emulator is in testing-mocks (`browser-proxy.test.ts`), and in headless Chromium there too
 * (`browser-page-proxy.test.ts`).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TaskRouterValidationError, createTaskRouterClient } from '../src/index.js';
import { createTaskRouterProxy } from '../src/proxy.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID, recordingFetch } from './helpers.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

function validationError(run: () => unknown): TaskRouterValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof TaskRouterValidationError) return error;
    throw error;
  }
  throw new Error('expected a TaskRouterValidationError');
}

describe('a client without credentials', () => {
  test('needs a baseUrl naming the proxy', () => {
    expect(validationError(() => createTaskRouterClient({})).field).toBe('authToken');
    // Half a credential is a mistake, not browser mode.
    expect(
      validationError(() => createTaskRouterClient({ accountSid: ACCOUNT_SID, baseUrl: '/x' })).field,
    ).toBe('authToken');
  });

  test('resolves a path against the page, and sends no Authorization header', async () => {
    vi.stubGlobal('location', new URL('https://app.example/agents/desk?tab=1'));
    const { fetch, requests } = recordingFetch();
    const client = createTaskRouterClient({ baseUrl: '/taskrouter', fetch });
    expect(client.baseUrl).toBe('https://app.example/taskrouter');
    await client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });
    expect(requests[0]?.url).toBe(`https://app.example/taskrouter/v1/Workspaces/${WORKSPACE_SID}`);
    expect(requests[0]?.headers.has('authorization')).toBe(false);
  });

  test("refuses another origin than the page's, and a path where there is no page", () => {
    vi.stubGlobal('location', new URL('https://app.example/'));
    expect(createTaskRouterClient({ baseUrl: 'https://app.example/tr' }).baseUrl).toBe(
      'https://app.example/tr',
    );
    for (const baseUrl of [
      'https://taskrouter.twilio.com',
      '//evil.example/tr',
      'https://app.example.evil/tr',
    ]) {
      expect(validationError(() => createTaskRouterClient({ baseUrl })).field).toBe('baseUrl');
    }
    vi.unstubAllGlobals();
    expect(validationError(() => createTaskRouterClient({ baseUrl: '/taskrouter' })).reason).toContain(
      'needs a page',
    );
  });
});

describe('createTaskRouterProxy', () => {
  const credentials = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };

  test('checks its options, naming the field', () => {
    const field = (options: Record<string, unknown>) =>
      validationError(() =>
        createTaskRouterProxy({ ...credentials, allow: ['FetchTask'], ...options } as never),
      ).field;
    expect(field({ allow: ['FetchTask', 'DropDatabase'] })).toBe('allow[1]');
    expect(field({ allow: ['toString'] })).toBe('allow[0]');
    expect(field({ allow: 'FetchTask' })).toBe('allow');
    expect(field({ prefix: 'taskrouter' })).toBe('prefix');
    expect(field({ prefix: '/taskrouter/' })).toBe('prefix');
    expect(field({ prefix: '/a/../b' })).toBe('prefix');
    expect(field({ upstream: 'https://user:pass@taskrouter.twilio.com' })).toBe('upstream');
    expect(field({ maxRequestBytes: -1 })).toBe('maxRequestBytes');
    expect(field({ authToken: undefined })).toBe('authToken');
    expect(field({ accountSid: 'AC123' })).toBe('accountSid');
  });

  test('does not follow a redirect from upstream, and refuses a body over maxRequestBytes', async () => {
    const upstream = recordingFetch([
      () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
    ]);
    const proxy = createTaskRouterProxy({
      ...credentials,
      allow: ['FetchTask', 'CreateTask'],
      maxRequestBytes: 10,
      fetch: upstream.fetch,
    });
    const tasks = `https://app.example/v1/Workspaces/${WORKSPACE_SID}/Tasks`;
    expect((await proxy(new Request(`${tasks}/WT${'a'.repeat(32)}`))).status).toBe(502);
    const large = await proxy(new Request(tasks, { method: 'POST', body: 'Attributes=%7B%7D&Priority=1' }));
    expect(large.status).toBe(413);
    expect(upstream.requests).toHaveLength(1);
  });
});
