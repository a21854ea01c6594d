import { describe, expect, test, vi } from 'vitest';
import { ReadResponse } from '../src/index.js';

const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/** A standard Response whose body has been read, as the client leaves every answer. */
async function readStandard(status: number, statusText: string, headers: HeadersInit): Promise<Response> {
  const response = new Response([204, 205, 304].includes(status) ? null : '{"sid":"WS1"}', {
    status,
    statusText,
    headers,
  });
  await response.text();
  return response;
}

/** What a call gives: its value (sizes for binary bodies) or the class of its error. */
async function outcomeOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    const value = await call();
    if (value instanceof ArrayBuffer) return { bytes: value.byteLength };
    if (value instanceof Blob) return { blob: value.size };
    if (value instanceof Uint8Array) return { bytes: value.length };
    return { value };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

describe('ReadResponse', () => {
  test.each([
    [200, 'OK'],
    [201, 'Created'],
    [204, ''],
    [205, 'Reset Content'],
    [299, ''],
    [300, 'Multiple Choices'],
    [304, 'Not Modified'],
    [404, 'Not Found'],
    [503, ''],
  ])('answers %i like a standard Response whose body was read', async (status, statusText) => {
    // A status without a body has nothing to read: its Response answers as an empty body.
    const headers = { 'Content-Type': 'application/json', ETag: '"7"' };
    const standard = await readStandard(status, statusText, headers);
    const read = new ReadResponse({
      status,
      statusText,
      url: 'https://example.test/v1',
      headers: new Headers(headers),
    });
    for (const name of ['status', 'statusText', 'ok', 'bodyUsed', 'redirected'] as const) {
      expect(read[name], name).toBe(standard[name]);
    }
    expect(Object.fromEntries(read.headers)).toEqual(Object.fromEntries(standard.headers));
    for (const method of BODY_METHODS) {
      expect(await outcomeOf(() => read[method]()), method).toEqual(
        await outcomeOf(() => standard[method]()),
      );
    }
    expect(await outcomeOf(async () => read.clone().status)).toEqual(
      await outcomeOf(async () => standard.clone().status),
    );
  });

  test('has the URL of its request, no body, and the type of a fetched answer', () => {
    const read = new ReadResponse({
      status: 200,
      url: 'https://example.test/v1/Workspaces',
      headers: new Headers(),
    });
    expect(read).toMatchObject({
      url: 'https://example.test/v1/Workspaces',
      body: null,
      bodyUsed: true,
      type: 'basic',
      statusText: '',
    });
  });

  test('makes headers given as a function once, when they are first read', () => {
    const make = vi.fn(() => new Headers({ 'Retry-After': '3' }));
    const read = new ReadResponse({ status: 429, url: 'https://example.test/v1', headers: make });
    expect(read.ok).toBe(false);
    expect(make).not.toHaveBeenCalled();
    expect(read.headers.get('retry-after')).toBe('3');
    expect(read.headers).toBe(read.headers);
    expect(make).toHaveBeenCalledTimes(1);
  });
});
