import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  type NodeWebhookRequest,
  type WebhookParams,
  computeRequestSignature,
  encodeForm,
  validateRequestSignature,
  validateWebhookRequest,
} from '../src/index.js';

// Known answers. Each signature was computed with a separate HMAC-SHA1 implementation and
// agrees with Twilio's own Node helper library; the first one is the example Twilio documents.
const TOKEN = '4c8d3f1e9a2b7c6d5e4f3a2b1c0d9e8f';
const sid = (prefix: string, digit: string) => prefix + digit.repeat(32);

interface Vector {
  token: string;
  url: string;
  params: WebhookParams;
  signature: string;
}

const vectors: Record<string, Vector> = {
  'the documented example, a URL with a query string': {
    token: '12345',
    url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
    params: {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    },
    signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  },
  'an assignment callback': {
    token: TOKEN,
    url: 'https://hooks.example.com/taskrouter/assignment',
    params: {
      AccountSid: sid('AC', '1'),
      WorkspaceSid: sid('WS', '2'),
      WorkflowSid: sid('WW', '3'),
      TaskSid: sid('WT', '4'),
      ReservationSid: sid('WR', '5'),
      WorkerSid: sid('WK', '6'),
      TaskQueueSid: sid('WQ', '7'),
      TaskAge: '42',
      TaskPriority: '5',
      TaskAttributes: '{"type":"support","language":"fr"}',
      WorkerAttributes: '{"skills":["fr","en"],"level":3}',
    },
    signature: 'GZpNcfDLEIj/m7ECTBNgphOhix4=',
  },
  'an event callback with a repeated key': {
    token: TOKEN,
    url: 'https://hooks.example.com/taskrouter/events',
    params: { EventType: 'worker.activity.update', Skills: ['fr', 'de', 'en'], WorkerSid: sid('WK', '6') },
    signature: '5/9QnOVsNPGjX+ktQIiZ6dL+GdM=',
  },
  'an event callback with Unicode values': {
    token: TOKEN,
    url: 'https://hooks.example.com/taskrouter/events',
    params: {
      EventDescription: 'Tâche créée — 客服 🎧',
      TaskAttributes: '{"name":"Zoë","note":"naïve café"}',
      EventType: 'task.created',
    },
    signature: 'RhOHIvUm6Ng8NWhv9UUEdr28Hss=',
  },
  'a URL with a port and a query string': {
    token: TOKEN,
    url: 'https://hooks.example.com:8443/taskrouter/events?tenant=eu&region=dub1',
    params: { EventType: 'task.canceled', TaskSid: sid('WT', '4') },
    signature: 'ksC9GiPhLEqQ/0ezQqSunDddZFM=',
  },
};
const cases = Object.entries(vectors);

/** The vector as a Fetch request, form-encoded the way Twilio posts it. */
function fetchRequest({ url, params, signature }: Vector, body = encodeForm(params)): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body,
  });
}

/** The vector as Node's http module hands it over: lower-case headers, path-only URL. */
function nodeRequest({ url, signature }: Vector, body: NodeWebhookRequest['body']): NodeWebhookRequest {
  const parsed = new URL(url);
  return {
    url: parsed.pathname + parsed.search,
    headers: {
      host: parsed.host,
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    body,
  };
}

describe.each(cases)('%s', (_, vector) => {
  const { token, url, params, signature } = vector;

  test('computes the known signature', async () => {
    expect(await computeRequestSignature(token, url, params)).toBe(signature);
  });

  test('validates from the parts, a Fetch request, and a Node request with any body form', async () => {
    expect(await validateRequestSignature(token, signature, url, params)).toBe(true);
    expect(await validateWebhookRequest(fetchRequest(vector), token)).toBe(true);
    const text = encodeForm(params);
    for (const body of [text, new TextEncoder().encode(text), params]) {
      expect(await validateWebhookRequest(nodeRequest(vector, body), token)).toBe(true);
    }
  });

  test('rejects every tampered body', async () => {
    const names = Object.keys(params);
    const tampered: WebhookParams[] = [
      { ...params, Injected: 'accept' },
      ...names.map((name) => Object.fromEntries(Object.entries(params).filter(([key]) => key !== name))),
      ...names.map((name) => ({ ...params, [name]: `${params[name]}x` })),
      ...names.map((name) => ({ ...params, [name.toLowerCase()]: params[name] as string, [name]: [] })),
    ];
    for (const changed of tampered) {
      expect(await validateRequestSignature(token, signature, url, changed)).toBe(false);
      expect(await validateWebhookRequest(fetchRequest(vector, encodeForm(changed)), token)).toBe(false);
    }
  });

  test('rejects a changed URL', async () => {
    const parsed = new URL(url);
    const changed = [
      url.replace('https:', 'http:'),
      url.replace(parsed.pathname, parsed.pathname.toUpperCase()),
      `${url}${parsed.search ? '&' : '?'}extra=1`,
      url.replace(parsed.hostname, `evil.${parsed.hostname}`),
    ];
    for (const other of changed)
      expect(await validateRequestSignature(token, signature, other, params)).toBe(false);
  });

  test('rejects wrong tokens', async () => {
    for (const wrong of [
      `${token} `,
      token.slice(0, -1),
      token.toUpperCase() === token ? `${token}0` : token.toUpperCase(),
    ]) {
      expect(await validateRequestSignature(wrong, signature, url, params)).toBe(false);
      expect(await validateWebhookRequest(fetchRequest(vector), wrong)).toBe(false);
    }
  });

  test('rejects the signature with any single character changed', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let index = 0; index < signature.length - 1; index++) {
      // Moving half the alphabet away flips the character's top bit, which always carries data.
      const flipped = alphabet[(alphabet.indexOf(signature[index] as string) + 32) % 64];
      const changed = signature.slice(0, index) + flipped + signature.slice(index + 1);
      expect(await validateRequestSignature(token, changed, url, params)).toBe(false);
    }
  });
});

describe('the scheme itself', () => {
  const vector = vectors['an event callback with a repeated key'] as Vector;

  test('sorts the values of a repeated key, so their order does not matter', async () => {
    const reordered = { ...vector.params, Skills: ['en', 'fr', 'de'] };
    expect(await validateRequestSignature(vector.token, vector.signature, vector.url, reordered)).toBe(true);
    expect(await validateWebhookRequest(fetchRequest(vector, encodeForm(reordered)), vector.token)).toBe(
      true,
    );
  });

  test('treats the default port as optional, in both directions', async () => {
    const signedWith443 = 'FNWSpJ8HDm1YwyQ27cPCTjBt28I=';
    const params = { EventType: 'task.created' };
    for (const url of [
      'https://hooks.example.com/taskrouter/events?tenant=eu',
      'https://hooks.example.com:443/taskrouter/events?tenant=eu',
    ]) {
      expect(await validateRequestSignature(TOKEN, signedWith443, url, params)).toBe(true);
    }
  });

  test('checks a JSON body by its bodySHA256 and signs only the URL', async () => {
    const body = `{"event_type":"task.created","sid":"${sid('WT', '4')}"}`;
    const hash = '8ec1d1b26e73a960d3e8fcad21165a321558ab5d9bd1f87154c46339dd0eb104';
    const url = `https://hooks.example.com/taskrouter/events?bodySHA256=${hash}`;
    const signature = 'cEr531gR//vgWEDW8gkhcBcIZnE=';
    const request = (text: string) =>
      new Request(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': signature },
        body: text,
      });
    const node = (text: NodeWebhookRequest['body']): NodeWebhookRequest => ({
      url: `/taskrouter/events?bodySHA256=${hash}`,
      headers: {
        host: 'hooks.example.com',
        'content-type': 'application/json',
        'x-twilio-signature': signature,
      },
      body: text,
    });
    expect(await validateWebhookRequest(request(body), TOKEN)).toBe(true);
    expect(await validateWebhookRequest(node(body), TOKEN)).toBe(true);
    expect(await validateWebhookRequest(node(Buffer.from(body)), TOKEN)).toBe(true);
    expect(await validateWebhookRequest(request(body.replace('created', 'canceled')), TOKEN)).toBe(false);
    expect(await validateWebhookRequest(node(body.replace('created', 'canceled')), TOKEN)).toBe(false);
    // A body already parsed into an object cannot be hashed as it was sent.
    expect(await validateWebhookRequest(node(JSON.parse(body)), TOKEN)).toBe(false);
  });
});

describe('Node requests', () => {
  const vector = vectors['an assignment callback'] as Vector;

  test('use options.url when the request came through a proxy that rewrote host or path', async () => {
    const internal: NodeWebhookRequest = {
      ...nodeRequest(vector, encodeForm(vector.params)),
      url: '/internal/assignment',
    };
    internal.headers.host = '10.0.0.5:3000';
    expect(await validateWebhookRequest(internal, vector.token)).toBe(false);
    expect(await validateWebhookRequest(internal, vector.token, { url: vector.url })).toBe(true);
  });

  test('read the first of repeated signature headers and fail without one', async () => {
    const request = nodeRequest(vector, vector.params);
    request.headers['x-twilio-signature'] = [vector.signature, 'second'];
    expect(await validateWebhookRequest(request, vector.token)).toBe(true);
    delete request.headers['x-twilio-signature'];
    expect(await validateWebhookRequest(request, vector.token)).toBe(false);
  });

  test('refuse parsed bodies with nested values, which Twilio never signs', async () => {
    const nested = { ...vector.params, TaskAttributes: { type: 'support' } };
    expect(await validateWebhookRequest(nodeRequest(vector, nested), vector.token)).toBe(false);
  });

  test('keep a __proto__ field as a plain parameter', async () => {
    const withProto = JSON.parse('{"__proto__":"x","EventType":"task.created"}') as WebhookParams;
    const url = 'https://hooks.example.com/taskrouter/events';
    const signature = await computeRequestSignature(TOKEN, url, withProto);
    const request: NodeWebhookRequest = {
      url: '/taskrouter/events',
      headers: { host: 'hooks.example.com', 'x-twilio-signature': signature },
      body: withProto,
    };
    expect(await validateWebhookRequest(request, TOKEN)).toBe(true);
    expect(await validateWebhookRequest({ ...request, body: { EventType: 'task.created' } }, TOKEN)).toBe(
      false,
    );
  });
});

describe('comparison', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("is left to Web Crypto's HMAC verify, which compares in constant time", async () => {
    const { token, url, params, signature } = vectors['an assignment callback'] as Vector;
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    expect(await validateRequestSignature(token, signature, url, params)).toBe(true);
    expect(await validateRequestSignature(token, `${signature.slice(0, -2)}A=`, url, params)).toBe(false);
    expect(verify).toHaveBeenCalled();
    expect(verify.mock.calls.every(([algorithm]) => algorithm === 'HMAC')).toBe(true);
    // No expected signature is ever computed, so none can be compared character by character.
    expect(sign).not.toHaveBeenCalled();
  });
});
