/**
 * The Responses `emulator.fetch` answers with keep their text as a string until something needs
 * bytes or a stream. These tests hold them to a standard `Response` built from the same text:
 * every member of `Response.prototype`, called in any order, gives the same value or fails with
 * the same error on both.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { textResponse } from '../src/adapters/fetch.js';
import { createEmulator } from '../src/index.js';

/** Every member of a Response, read or called: a member Node adds later is compared too. */
const MEMBERS = Object.getOwnPropertyNames(Response.prototype).filter((name) => name !== 'constructor');

/** A value reduced to plain data, read through to the end where it is a body. */
async function plain(value: unknown): Promise<unknown> {
  if (value instanceof Response) return { response: await observeAll(value, ['status', 'text']) };
  if (value instanceof ArrayBuffer) return { arrayBuffer: [...new Uint8Array(value)] };
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (value instanceof Blob) return { blob: value.type, text: await value.text() };
  if (value instanceof FormData) return { formData: [...value] };
  if (value instanceof Headers) return { headers: [...value] };
  if (value instanceof ReadableStream) {
    return { stream: await new Response(value as ReadableStream<Uint8Array>).text() };
  }
  return value;
}

/** What reading or calling `member` gives: its value, or the kind and message of its error. */
async function observe(response: Response, member: string): Promise<unknown> {
  try {
    const value: unknown = Reflect.get(response, member);
    return await plain(typeof value === 'function' ? await value.call(response) : value);
  } catch (error) {
    return { threw: (error as Error).name, message: (error as Error).message };
  }
}

async function observeAll(response: Response, members: readonly string[]): Promise<unknown[]> {
  const seen = [];
  for (const member of members) seen.push([member, await observe(response, member), response.bodyUsed]);
  return seen;
}

const bodies = fc.oneof(
  fc.json(),
  fc.string({ unit: 'grapheme' }),
  // Lone surrogates and byte order marks, which a UTF-8 round trip changes.
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '\uFEFF{"a":1}', 'a=1&b=%C3%A9', 'not json', '{"unterminated": '),
);
const inits = fc.record({
  status: fc.constantFrom(200, 201, 400, 404, 429),
  statusText: fc.constantFrom('', 'OK', 'Too Many Requests'),
  headers: fc.constantFrom<Record<string, string>>(
    {},
    { 'Content-Type': 'application/json' },
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    { 'Content-Type': 'text/plain;charset=UTF-8', ETag: '"1"' },
  ),
});

describe('the Responses of emulator.fetch', () => {
  test('behave as a standard Response of the same text, whatever is read or called in any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        inits,
        fc.array(fc.constantFrom(...MEMBERS), { maxLength: 5 }),
        async (text, init, members) => {
          const standard = await observeAll(new Response(text, init), members);
          expect(await observeAll(textResponse(text, init), members)).toEqual(standard);
        },
      ),
      { numRuns: 400 },
    );
  });

  test.each([
    ['text, then text again', ['text', 'text', 'bodyUsed']],
    ['json of JSON text, then the stream', ['json', 'body']],
    ['the stream, then text', ['body', 'text']],
    ['a clone, then both read', ['clone', 'text', 'clone']],
    ['arrayBuffer, then clone', ['arrayBuffer', 'clone']],
    ['formData of JSON text', ['formData', 'text']],
  ])('%s', async (_, members) => {
    const init = { status: 200, headers: { 'Content-Type': 'application/json' } };
    const text = '{"sid":"WS0","friendly_name":"é ✓"}';
    const standard = await observeAll(new Response(text, init), members);
    expect(await observeAll(textResponse(text, init), members)).toEqual(standard);
    // Every member is compared, the ones a script above calls included.
    for (const member of members) expect(MEMBERS).toContain(member);
  });

  test.each([101, 103, 204, 205, 304])(
    'with status %i and text, are refused as a standard one is',
    (status) => {
      const refusal = (make: () => Response) => {
        try {
          make();
          return 'made';
        } catch (error) {
          return (error as Error).name;
        }
      };
      const standard = refusal(() => new Response('{}', { status }));
      expect(standard).not.toBe('made');
      expect(refusal(() => textResponse('{}', { status }))).toBe(standard);
    },
  );

  test('are what emulator.fetch answers, and log as a Response', async () => {
    const emulator = createEmulator();
    emulator.seed.workspace({ FriendlyName: 'Support' });
    const call = () =>
      emulator.fetch(`${emulator.baseUrl}/v1/Workspaces`, {
        headers: {
          authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
        },
      });
    const text = await (await call()).text();
    expect(JSON.parse(text).workspaces[0].friendly_name).toBe('Support');
    for (const members of [MEMBERS, [...MEMBERS].reverse()]) {
      const answer = await call();
      expect(answer.url).toBe(`${emulator.baseUrl}/v1/Workspaces`);
      // A made Response has no URL; a fetched one has its request's.
      const standard = new Response(text, { status: answer.status, headers: answer.headers });
      Object.defineProperty(standard, 'url', { value: answer.url });
      expect(await observeAll(answer, members)).toEqual(await observeAll(standard, members));
    }
    const headers = {
      authorization: `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`,
    };
    const listUrl = `${emulator.baseUrl}/v1/Workspaces?PageSize=1`;
    expect((await emulator.fetch(`${listUrl}#top`, { headers })).url).toBe(listUrl);
    expect((await emulator.fetch(new URL(listUrl), { headers })).url).toBe(listUrl);
    expect((await emulator.fetch(new Request(listUrl, { headers }))).url).toBe(listUrl);
    expect((await call()).constructor.name).toBe('Response');
    expect(await call()).toBeInstanceOf(Response);
  });
});
