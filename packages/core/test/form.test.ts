import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TaskRouterValidationError, decodeForm, encodeForm, formatTwilioDate } from '../src/index.js';

describe('formatTwilioDate', () => {
  test('formats in UTC without milliseconds', () => {
    expect(formatTwilioDate(new Date(Date.UTC(2024, 0, 31, 8, 5, 9, 999)))).toBe('2024-01-31T08:05:09Z');
  });

  test('matches the ISO form of the same instant, truncated to the second', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
        (date) => {
          const formatted = formatTwilioDate(date);
          expect(formatted).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
          expect(new Date(formatted).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });

  test('rejects an invalid date', () => {
    expect(() => formatTwilioDate(new Date('nope'))).toThrow(TaskRouterValidationError);
  });
});

describe('encodeForm', () => {
  test('keeps keys, repeats arrays, writes booleans and dates, and skips missing values', () => {
    const body = encodeForm({
      FriendlyName: 'Alice & Bob',
      Available: false,
      StatusCallbackEvent: ['initiated', 'ringing'],
      Priority: 0,
      Big: 12345678901234567890n,
      VirtualStartTime: new Date(Date.UTC(2020, 1, 29, 23, 59, 59, 500)),
      Skipped: undefined,
      AlsoSkipped: null,
    });
    expect(body).toBe(
      'FriendlyName=Alice+%26+Bob&Available=false&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing' +
        '&Priority=0&Big=12345678901234567890&VirtualStartTime=2020-02-29T23%3A59%3A59Z',
    );
  });

  test('sends Attributes and Configuration objects as JSON text and leaves strings alone', () => {
    const decoded = decodeForm(
      encodeForm({ Attributes: { skills: ['fr'], level: 3 }, Configuration: '{"task_routing":{}}' }),
    );
    expect(decoded).toEqual({
      Attributes: '{"skills":["fr"],"level":3}',
      Configuration: '{"task_routing":{}}',
    });
  });

  test('uses toJSON() of a configuration object', () => {
    const configuration = { toJSON: () => ({ task_routing: { filters: [] } }) };
    expect(decodeForm(encodeForm({ Configuration: configuration }))).toEqual({
      Configuration: '{"task_routing":{"filters":[]}}',
    });
  });

  test.each([
    ['an object outside the JSON fields', { FriendlyName: { first: 'a' } }, 'FriendlyName'],
    ['a nested array element', { To: ['a', { b: 1 }] }, 'To[1]'],
    ['NaN', { Priority: Number.NaN }, 'Priority'],
    ['an invalid Date', { StartDate: new Date(Number.NaN) }, 'StartDate'],
    ['a circular JSON field', { Attributes: circular() }, 'Attributes'],
    ['a JSON field with no JSON value', { Attributes: { toJSON: () => undefined } }, 'Attributes'],
  ])('rejects %s, naming the field', (_, body, field) => {
    let caught: unknown;
    try {
      encodeForm(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TaskRouterValidationError);
    expect((caught as TaskRouterValidationError).field).toBe(field);
  });

  test('round-trips through decodeForm', () => {
    const value = fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 2, maxLength: 4 }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value), (fields) => {
        expect(decodeForm(encodeForm(fields))).toEqual(fields);
      }),
    );
  });
});

describe('decodeForm', () => {
  test('maps a single key to its string and a repeated key to all values in order', () => {
    expect(decodeForm('A=1&B=x&B=y&B=z&C=&D=a+b%2Bc')).toEqual({
      A: '1',
      B: ['x', 'y', 'z'],
      C: '',
      D: 'a b+c',
    });
  });

  test('keeps a __proto__ key as a plain field', () => {
    const decoded = decodeForm('__proto__=x');
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
  });
});

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  value.self = value;
  return value;
}
