/**
 * Differential test of the webhook signature check against Twilio's own helper library
 * (`twilio` 6.3.1, a test-only dependency): on thousands of generated requests, legitimate and
 * altered, both must accept or reject alike.
 */
import { createHash } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, test } from 'vitest';
import { type WebhookParams, validateRequestSignature, validateWebhookRequest } from '../src/index.js';

const { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } = twilio;

/** Twilio's verdict; its helper throws on a URL it cannot parse, which is a rejection. */
function twilioAccepts(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return false;
  }
}

// Characters that exercise the URL parser and the two query encodings: quotes, spaces, plus
// signs, percent signs (valid escapes and broken ones), reserved characters, Unicode.
const urlChar = fc.constantFrom(
  ...'aZ09-._~',
  "'",
  ' ',
  '+',
  '%',
  '%27',
  '%20',
  '%zz',
  '%E9',
  '!',
  '*',
  '(',
  ':',
  '@',
  ',',
  ';',
  '$',
  '"',
  '<',
  '|',
  '^',
  '`',
  '{',
  'é',
  'ü',
  '日本',
  '😀',
);
const urlText = (maxLength: number) => fc.array(urlChar, { maxLength }).map((parts) => parts.join(''));

const scheme = fc.constantFrom('https', 'http', 'HTTPS');
const host = fc.constantFrom(
  'hooks.example.com',
  'EXAMPLE.org',
  'localhost',
  '127.0.0.1',
  '[::1]',
  'xn--caf-dma.example',
);
const port = fc.constantFrom('', ':443', ':80', ':8443', ':3000', ':');
const path = fc
  .tuple(fc.array(urlText(6), { maxLength: 3 }), fc.boolean())
  .map(
    ([segments, trailingSlash]) => `/${segments.join('/')}${trailingSlash && segments.length > 0 ? '/' : ''}`,
  );
const queryPair = fc
  .tuple(urlText(4), fc.option(urlText(5), { nil: undefined }))
  .map(([name, value]) => (value === undefined ? name : `${name}=${value}`));
const query = fc.option(
  fc.array(queryPair, { maxLength: 4 }).chain((pairs) =>
    // Repeated keys and empty pairs, as a query string may have.
    fc.constantFrom(pairs.join('&'), [...pairs, ...pairs.slice(0, 1)].join('&'), `${pairs.join('&')}&`),
  ),
  { nil: undefined },
);
const receivedUrl = fc
  .tuple(scheme, host, port, path, query, fc.option(urlText(3), { nil: undefined }))
  .map(
    ([scheme, host, port, path, query, fragment]) =>
      `${scheme}://${host}${port}${path}${query === undefined ? '' : `?${query}`}${fragment === undefined ? '' : `#${fragment}`}`,
  );

const paramText = fc.oneof(
  fc.constantFrom('', 'task.created', 'WT0123456789abcdef0123456789abcdef', '{"type":"support"}', ' ', '1'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const paramName = fc.oneof(
  fc.constantFrom('EventType', 'TaskSid', 'Skills', 'skills', '1', '10', 'B', 'a', 'É', ''),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const params: fc.Arbitrary<WebhookParams> = fc.dictionary(
  paramName,
  fc.oneof(
    paramText,
    // Repeated keys, identical values among them.
    fc
      .array(paramText, { minLength: 1, maxLength: 4 })
      .chain((values) => fc.constantFrom<string[]>(values, [...values, ...values])),
  ),
  { maxKeys: 5 },
);

/** What Twilio may have signed for a URL it called: the URL it was configured with, in one of its spellings. */
function signedVariant(url: string, choice: number): string {
  let normalized: string;
  try {
    normalized = new URL(url).href;
  } catch {
    normalized = url;
  }
  const withoutPort = (text: string) => text.replace(/^([a-z]+:\/\/[^/?#]*?)(:\d*)?(?=[/?#]|$)/i, '$1');
  // Node's legacy querystring module, which Twilio's helper re-encodes the query with.
  const legacy = (text: string) => {
    const start = text.indexOf('?');
    if (start === -1 || start === text.length - 1) return text;
    return `${text.slice(0, start)}?${stringifyQuery(parseQuery(text.slice(start + 1)))}`;
  };
  const variants = [
    url,
    withoutPort(url),
    normalized,
    withoutPort(normalized),
    legacy(withoutPort(normalized)),
  ];
  return variants[choice % variants.length] as string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The ways a signature header gets altered on its way, or forged. */
const alterations: ((signature: string, seed: number) => string)[] = [
  (signature) => signature,
  (signature) => signature,
  (signature) => signature,
  (signature) => ` ${signature}`,
  (signature) => `${signature}\n`,
  (signature) => `${signature.slice(0, 10)} ${signature.slice(10)}`,
  (signature) => signature.replace(/=+$/, ''),
  // The last base64 digit before the padding carries 2 spare bits: change them.
  (signature, seed) => {
    const index = signature.length - 2;
    const digit = BASE64.indexOf(signature[index] as string);
    return (
      signature.slice(0, index) + (BASE64[digit ^ (1 + (seed % 3))] as string) + signature.slice(index + 1)
    );
  },
  (signature, seed) => {
    const index = seed % (signature.length - 1);
    const digit = BASE64.indexOf(signature[index] as string);
    return (
      signature.slice(0, index) +
      (BASE64[(digit + 1 + (seed % 63)) % 64] as string) +
      signature.slice(index + 1)
    );
  },
  (signature) => signature.toLowerCase(),
  () => '',
  (signature) => `${signature}=`,
];

describe('webhook signatures agree with the twilio package', () => {
  test('form webhooks: 2,000 generated requests, no disagreement on accept or reject', async () => {
    const verdicts = { accepted: 0, rejected: 0 };
    const disagreements: unknown[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        receivedUrl,
        params,
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 9 }),
        async (token, url, fields, variant, seed, tamper) => {
          const signature = alterations[seed % alterations.length]?.(
            getExpectedTwilioSignature(token, signedVariant(url, variant), fields),
            seed,
          ) as string;
          // Now and then the parameters or the token differ from what was signed.
          const received: WebhookParams = tamper === 0 ? { ...fields, Injected: 'accept' } : fields;
          const checkedToken = tamper === 1 ? `${token}x` : token;
          const theirs = twilioAccepts(() => validateRequest(checkedToken, signature, url, received));
          const ours = await validateRequestSignature(checkedToken, signature, url, received);
          verdicts[ours ? 'accepted' : 'rejected']++;
          if (ours !== theirs) disagreements.push({ token, url, fields: received, signature, ours, theirs });
        },
      ),
      { numRuns: 2_000 },
    );
    expect(disagreements).toEqual([]);
    // Both verdicts are well represented, so agreement is not agreement on one answer.
    expect(verdicts.accepted).toBeGreaterThan(300);
    expect(verdicts.rejected).toBeGreaterThan(300);
  });

  test('JSON webhooks with bodySHA256: 500 generated requests, no disagreement', async () => {
    const verdicts = { accepted: 0, rejected: 0 };
    const disagreements: unknown[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        receivedUrl,
        fc.oneof(fc.json(), fc.string({ unit: 'grapheme', maxLength: 30 })),
        fc.nat(),
        fc.nat({ max: 5 }),
        async (token, baseUrl, body, variant, tamper) => {
          const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
          const hash = tamper === 0 ? bodyHash.toUpperCase() : tamper === 1 ? bodyHash.slice(1) : bodyHash;
          const clean = baseUrl.split('#')[0] as string;
          const url = `${clean}${clean.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
          const signature = getExpectedTwilioSignature(token, signedVariant(url, variant), {});
          const sent = tamper === 2 ? `${body} ` : body;
          const theirs = twilioAccepts(() => validateRequestWithBody(token, signature, url, sent));
          const request = new Request('https://internal.example/hook', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
            body: sent,
          });
          const ours = await validateWebhookRequest(request, token, { url });
          verdicts[ours ? 'accepted' : 'rejected']++;
          if (ours !== theirs) disagreements.push({ token, url, body: sent, signature, ours, theirs });
        },
      ),
      { numRuns: 500 },
    );
    expect(disagreements).toEqual([]);
    expect(verdicts.accepted).toBeGreaterThan(100);
    expect(verdicts.rejected).toBeGreaterThan(100);
  });
});
