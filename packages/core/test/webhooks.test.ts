import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  TaskRouterValidationError,
  computeRequestSignature,
  encodeForm,
  validateRequestSignature,
  validateWebhookRequest,
} from '../src/index.js';

const AUTH_TOKEN = '12345678901234567890123456789012';
const URL_WITH_QUERY = 'https://mycompany.example/taskrouter/assignment?tenant=eu&source=twilio';

/** The reference algorithm, written independently with node:crypto. */
function referenceSignature(
  token: string,
  url: string,
  params: Record<string, string | string[]> = {},
): string {
  let text = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const each of values) text += `${name}${each}`;
  }
  return createHmac('sha1', token).update(text, 'utf8').digest('base64');
}

const assignmentParams = {
  AccountSid: `AC${'1'.repeat(32)}`,
  WorkspaceSid: `WS${'a'.repeat(32)}`,
  TaskSid: `WT${'b'.repeat(32)}`,
  ReservationSid: `WR${'c'.repeat(32)}`,
  TaskAttributes: '{"type":"support","language":"fr"}',
  TaskAge: '12',
  WorkerAttributes: '{"skills":["fr","en"]}',
};

describe('computeRequestSignature', () => {
  test('matches HMAC-SHA1 over the URL and the sorted parameters', async () => {
    expect(await computeRequestSignature(AUTH_TOKEN, URL_WITH_QUERY, assignmentParams)).toBe(
      referenceSignature(AUTH_TOKEN, URL_WITH_QUERY, assignmentParams),
    );
  });

  test('signs the URL alone when there are no parameters', async () => {
    expect(await computeRequestSignature(AUTH_TOKEN, URL_WITH_QUERY)).toBe(
      createHmac('sha1', AUTH_TOKEN).update(URL_WITH_QUERY).digest('base64'),
    );
  });

  test('appends a repeated name once per distinct value, values sorted', async () => {
    const params = { EventType: 'task.created', Skills: ['fr', 'de', 'en', 'de'] };
    const expected = createHmac('sha1', AUTH_TOKEN)
      .update(`${URL_WITH_QUERY}EventTypetask.createdSkillsdeSkillsenSkillsfr`)
      .digest('base64');
    expect(await computeRequestSignature(AUTH_TOKEN, URL_WITH_QUERY, params)).toBe(expected);
  });

  test('agrees with the reference on arbitrary input, Unicode included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.webUrl({ withQueryParameters: true }),
        fc.dictionary(fc.string(), fc.oneof(fc.string({ unit: 'grapheme' }), fc.array(fc.string()))),
        async (token, url, params) => {
          expect(await computeRequestSignature(token, url, params)).toBe(
            referenceSignature(token, url, params),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  test('rejects an empty auth token', async () => {
    await expect(computeRequestSignature('', URL_WITH_QUERY)).rejects.toBeInstanceOf(
      TaskRouterValidationError,
    );
  });
});

describe('validateRequestSignature', () => {
  const signature = referenceSignature(AUTH_TOKEN, URL_WITH_QUERY, assignmentParams);

  test('accepts the right signature', async () => {
    expect(await validateRequestSignature(AUTH_TOKEN, signature, URL_WITH_QUERY, assignmentParams)).toBe(
      true,
    );
  });

  test.each([
    ['another token', { token: 'x'.repeat(32) }],
    ['a changed parameter', { params: { ...assignmentParams, TaskAge: '13' } }],
    ['an extra parameter', { params: { ...assignmentParams, Extra: '' } }],
    ['another URL', { url: URL_WITH_QUERY.replace('tenant=eu', 'tenant=us') }],
    ['a missing signature', { signature: '' }],
    ['a signature that is not base64', { signature: '!!!not base64!!!' }],
    ['a truncated signature', { signature: signature.slice(0, 10) }],
  ])(
    'rejects %s',
    async (_, change: {
      token?: string;
      params?: Record<string, string>;
      url?: string;
      signature?: string;
    }) => {
      expect(
        await validateRequestSignature(
          change.token ?? AUTH_TOKEN,
          change.signature ?? signature,
          change.url ?? URL_WITH_QUERY,
          change.params ?? assignmentParams,
        ),
      ).toBe(false);
    },
  );

  test.each([
    ['https://mycompany.example:443/hook?a=1', 'https://mycompany.example/hook?a=1'],
    ['https://mycompany.example/hook?a=1', 'https://mycompany.example:443/hook?a=1'],
    ['http://mycompany.example/hook', 'http://mycompany.example:80/hook'],
    ['https://user:pass@mycompany.example/hook', 'https://user:pass@mycompany.example:443/hook'],
  ])('accepts a signature made for %s when checking %s', async (signedUrl, checkedUrl) => {
    const signed = referenceSignature(AUTH_TOKEN, signedUrl, { A: '1' });
    expect(await validateRequestSignature(AUTH_TOKEN, signed, checkedUrl, { A: '1' })).toBe(true);
  });

  test('accepts a non-default port Twilio signed without, but not one it did not sign', async () => {
    const signed = referenceSignature(AUTH_TOKEN, 'https://mycompany.example/hook');
    expect(await validateRequestSignature(AUTH_TOKEN, signed, 'https://mycompany.example:8443/hook')).toBe(
      true,
    );
    const signedWithPort = referenceSignature(AUTH_TOKEN, 'https://mycompany.example:8443/hook');
    expect(await validateRequestSignature(AUTH_TOKEN, signedWithPort, 'https://mycompany.example/hook')).toBe(
      false,
    );
  });
});

describe('validateWebhookRequest', () => {
  const hookUrl = 'https://mycompany.example/taskrouter/events';

  function formRequest(url: string, params: Record<string, string | string[]>, signature: string | null) {
    const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' });
    if (signature !== null) headers.set('X-Twilio-Signature', signature);
    return new Request(url, { method: 'POST', headers, body: encodeForm(params) });
  }

  test('checks the header against the form body and leaves the body readable', async () => {
    const params = { EventType: 'reservation.created', Skills: ['b', 'a'], ...assignmentParams };
    const request = formRequest(hookUrl, params, referenceSignature(AUTH_TOKEN, hookUrl, params));
    expect(await validateWebhookRequest(request, AUTH_TOKEN)).toBe(true);
    expect(await request.text()).toBe(encodeForm(params));
  });

  test('rejects a missing or wrong signature', async () => {
    expect(await validateWebhookRequest(formRequest(hookUrl, assignmentParams, null), AUTH_TOKEN)).toBe(
      false,
    );
    const wrong = referenceSignature('another token', hookUrl, assignmentParams);
    expect(await validateWebhookRequest(formRequest(hookUrl, assignmentParams, wrong), AUTH_TOKEN)).toBe(
      false,
    );
  });

  test('uses the public URL when the request arrived through a proxy', async () => {
    const internal = 'http://10.0.0.5:3000/taskrouter/events';
    const request = formRequest(
      internal,
      assignmentParams,
      referenceSignature(AUTH_TOKEN, hookUrl, assignmentParams),
    );
    expect(await validateWebhookRequest(request, AUTH_TOKEN)).toBe(false);
    expect(await validateWebhookRequest(request, AUTH_TOKEN, { url: hookUrl })).toBe(true);
  });

  test('checks bodySHA256 for a JSON body and signs only the URL', async () => {
    const body = JSON.stringify({ event_type: 'task.created', sid: `WT${'b'.repeat(32)}` });
    const url = `${hookUrl}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = referenceSignature(AUTH_TOKEN, url);
    const request = (text: string) =>
      new Request(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': signature },
        body: text,
      });
    expect(await validateWebhookRequest(request(body), AUTH_TOKEN)).toBe(true);
    expect(await validateWebhookRequest(request(`${body} `), AUTH_TOKEN)).toBe(false);
  });

  test('validates a GET webhook by its URL', async () => {
    const url = `${hookUrl}?EventType=task.created`;
    const request = new Request(url, {
      headers: { 'X-Twilio-Signature': referenceSignature(AUTH_TOKEN, url) },
    });
    expect(await validateWebhookRequest(request, AUTH_TOKEN)).toBe(true);
  });
});
