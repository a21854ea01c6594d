import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
  TaskRouterValidationError,
  createTaskRouterClient,
  isTaskRouterApiError,
} from '../src/index.js';
import {
  ACCOUNT_SID,
  API_KEY,
  API_SECRET,
  AUTH_TOKEN,
  WORKSPACE_SID,
  hangingFetch,
  recordingFetch,
  testClient,
  twilioError,
} from './helpers.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const fetchWorkspace = (client: ReturnType<typeof testClient>) =>
  client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });

describe('TaskRouterApiError', () => {
  test('is built from a Twilio error document', async () => {
    const { fetch } = recordingFetch(() =>
      Response.json(
        {
          code: 20404,
          message: 'The requested resource was not found',
          more_info: 'https://www.twilio.com/docs/errors/20404',
          status: 404,
          details: { hint: 'check the SID' },
        },
        { status: 404 },
      ),
    );
    const error = (await rejection(fetchWorkspace(testClient(fetch)))) as TaskRouterApiError;
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(error).toMatchObject({
      name: 'TaskRouterApiError',
      message: 'The requested resource was not found',
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
      details: { hint: 'check the SID' },
      method: 'GET',
      url: `https://taskrouter.twilio.com/v1/Workspaces/${WORKSPACE_SID}`,
    });
    expect(error.response?.status).toBe(404);
    expect(await error.response?.json()).toMatchObject({ code: 20404 });
    expect(String(error)).toBe('TaskRouterApiError: The requested resource was not found');
  });

  test('falls back to the status and body text when the body is not a Twilio error', async () => {
    const { fetch } = recordingFetch([
      () =>
        new Response('<html>upstream exploded</html>', { status: 500, statusText: 'Internal Server Error' }),
      () => new Response('', { status: 500, statusText: 'Internal Server Error' }),
      () => Response.json({ unexpected: true }, { status: 400 }),
    ]);
    const client = testClient(fetch, { maxRetries: 0 });
    const errors = [
      await rejection(fetchWorkspace(client)),
      await rejection(fetchWorkspace(client)),
      await rejection(fetchWorkspace(client)),
    ] as TaskRouterApiError[];
    expect(errors.map((error) => error.message)).toEqual([
      '[HTTP 500] <html>upstream exploded</html>',
      '[HTTP 500] Internal Server Error',
      '[HTTP 400] {"unexpected":true}',
    ]);
    expect(errors.map((error) => error.code)).toEqual([undefined, undefined, undefined]);
  });

  test('keeps the raw response out of JSON and enumeration', () => {
    const error = new TaskRouterApiError({
      status: 409,
      code: 20001,
      message: 'conflict',
      method: 'POST',
      url: 'https://taskrouter.twilio.com/v1/Workspaces',
      response: new Response('{}', { status: 409 }),
    });
    expect(Object.keys(error)).not.toContain('response');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'TaskRouterApiError',
      message: 'conflict',
      status: 409,
      code: 20001,
      method: 'POST',
      url: 'https://taskrouter.twilio.com/v1/Workspaces',
    });
  });
});

describe('isTaskRouterApiError', () => {
  test('recognises API errors by their brand, also from another copy of the package', () => {
    const foreignCopy = Object.create({ [Symbol.for('@taskrouter/core/TaskRouterApiError')]: true });
    expect(isTaskRouterApiError(foreignCopy)).toBe(true);
    expect(
      isTaskRouterApiError(
        new TaskRouterApiError({ status: 500, message: 'x', method: 'GET', url: 'https://a.b/' }),
      ),
    ).toBe(true);
  });

  test('rejects everything else', () => {
    for (const value of [
      new Error('x'),
      new TaskRouterError('x'),
      new TaskRouterValidationError('field', 'reason'),
      { status: 404, code: 20404 },
      null,
      'TaskRouterApiError',
    ]) {
      expect(isTaskRouterApiError(value)).toBe(false);
    }
  });
});

describe('redaction', () => {
  test('removes user info and secret-looking query values from error URLs', () => {
    const error = new TaskRouterApiError({
      status: 401,
      message: 'Authenticate',
      method: 'GET',
      url: 'https://AC123:hunter2@taskrouter.twilio.com/v1/Workspaces?AuthToken=hunter2&FriendlyName=Sales&api_key=k',
    });
    expect(error.url).toBe(
      'https://taskrouter.twilio.com/v1/Workspaces?AuthToken=REDACTED&FriendlyName=Sales&api_key=REDACTED',
    );
    expect(new TaskRouterNetworkError('x', { method: 'GET', url: 'not a url' }).url).toBe('[invalid URL]');
  });

  const basicToken = btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`);
  const keyToken = btoa(`${API_KEY}:${API_SECRET}`);

  /** Every textual form an error can take in logs. */
  function renderings(value: unknown): string[] {
    return [
      String(value),
      (value as Error).stack ?? '',
      JSON.stringify(value),
      inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    ];
  }

  function expectNoSecret(value: unknown) {
    for (const text of renderings(value)) {
      for (const secret of [AUTH_TOKEN, API_SECRET, basicToken, keyToken]) expect(text).not.toContain(secret);
    }
  }

  test('never shows a credential in an API error, a network error or a timeout', async () => {
    const apiError = await rejection(
      fetchWorkspace(testClient(recordingFetch(() => twilioError(401, 20003, 'Authenticate')).fetch)),
    );
    const networkError = await rejection(
      fetchWorkspace(
        testClient(
          async () => {
            throw new TypeError('fetch failed');
          },
          { maxRetries: 0 },
        ),
      ),
    );
    const timeoutError = await rejection(
      fetchWorkspace(testClient(hangingFetch().fetch, { timeoutMs: 5, maxRetries: 0 })),
    );
    expect(apiError).toBeInstanceOf(TaskRouterApiError);
    expect(networkError).toBeInstanceOf(TaskRouterNetworkError);
    expect(timeoutError).toBeInstanceOf(TaskRouterTimeoutError);
    for (const error of [apiError, networkError, timeoutError]) expectNoSecret(error);
  });

  test('never shows a credential in option errors or in the client itself', () => {
    const errors = [
      { accountSid: ACCOUNT_SID, apiKey: API_SECRET, apiSecret: API_SECRET },
      { accountSid: AUTH_TOKEN, authToken: AUTH_TOKEN },
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKey: API_KEY },
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: `https://u:${AUTH_TOKEN}@example.com` },
    ].map((options) => {
      try {
        createTaskRouterClient(options);
      } catch (error) {
        return error;
      }
      throw new Error('expected the options to be rejected');
    });
    for (const error of errors) {
      expect(error).toBeInstanceOf(TaskRouterValidationError);
      expectNoSecret(error);
    }
    expectNoSecret(createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }));
    expectNoSecret(
      createTaskRouterClient({ accountSid: ACCOUNT_SID, apiKey: API_KEY, apiSecret: API_SECRET }),
    );
  });
});
