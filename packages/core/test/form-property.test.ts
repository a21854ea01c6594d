import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TaskRouterValidationError, decodeForm, encodeForm, formatTwilioDate } from '../src/index.js';
import { WORKSPACE_SID, recordingFetch, testClient } from './helpers.js';

type Scalar = string | number | boolean | bigint | Date;

const JSON_FIELDS = ['Attributes', 'Configuration'];
const fieldName = fc.string({ unit: 'binary', minLength: 1 }).filter((name) => !JSON_FIELDS.includes(name));
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.bigInt(),
  fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)) }),
);
const fieldValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
const jsonDocument = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 }));
const body = fc.record(
  {
    fields: fc.dictionary(fieldName, fieldValue, { maxKeys: 8 }),
    Attributes: jsonDocument,
    Configuration: jsonDocument,
  },
  { requiredKeys: ['fields'] },
);

/** What one scalar turns into on the wire, written from the documented rules. */
function wireText(value: Scalar): string {
  if (value instanceof Date) return formatTwilioDate(value);
  if (typeof value === 'number' && Object.is(value, -0)) return '0';
  return String(value);
}

describe('round trip', () => {
  test('every body of allowed field types decodes to its wire form', () => {
    fc.assert(
      fc.property(body, ({ fields, Attributes, Configuration }) => {
        const input: Record<string, unknown> = { ...fields, Attributes, Configuration };
        const decoded = decodeForm(encodeForm(input));

        // A Map, so that a field named __proto__ stays a field.
        const expected = new Map<string, string | string[]>();
        for (const [name, value] of Object.entries(fields)) {
          const texts = (Array.isArray(value) ? value : [value]).map(wireText);
          // An empty array sends nothing; one element sends the key once.
          if (texts.length === 1) expected.set(name, texts[0] as string);
          else if (texts.length > 1) expected.set(name, texts);
        }
        for (const [name, document] of [
          ['Attributes', Attributes],
          ['Configuration', Configuration],
        ] as const) {
          if (document === undefined) continue;
          expect(JSON.parse(decoded[name] as string)).toEqual(JSON.parse(JSON.stringify(document)));
          expected.set(name, decoded[name] as string);
        }
        expect(decoded).toEqual(Object.fromEntries(expected));
      }),
      { numRuns: 300 },
    );
  });

  test('numbers come back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (number) => {
        const decoded = decodeForm(encodeForm({ Priority: number })).Priority as string;
        expect(Number(decoded)).toBe(number === 0 ? 0 : number);
      }),
    );
  });

  test('dates come back as the same second, in UTC', () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)) }),
        (date) => {
          const decoded = decodeForm(encodeForm({ VirtualStartTime: date })).VirtualStartTime as string;
          expect(Date.parse(decoded)).toBe(Math.floor(date.getTime() / 1000) * 1000);
        },
      ),
    );
  });

  test('strings of any valid Unicode, astral characters included, come back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (name, value) => {
        expect(decodeForm(encodeForm({ FriendlyName: `${name}${value}` })).FriendlyName).toBe(
          `${name}${value}`,
        );
      }),
    );
  });

  test('decoding any text never throws and yields strings or lists of two or more strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        for (const value of Object.values(decodeForm(text))) {
          if (Array.isArray(value)) {
            expect(value.length).toBeGreaterThanOrEqual(2);
            for (const each of value) expect(typeof each).toBe('string');
          } else expect(typeof value).toBe('string');
        }
      }),
    );
  });
});

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { type: 'support' };
  value.self = { parent: value };
  return value;
}

/** Values no field may hold, each with where it goes wrong. */
const unsupported = fc.constantFrom<[string, unknown]>(
  ['a function', () => 'value'],
  ['a symbol', Symbol('value')],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['an invalid Date', new Date(Number.NaN)],
  ['a plain object', { nested: true }],
  ['a nested array', [['a', 'b']]],
  ['a Map', new Map([['a', 1]])],
  ['bytes', new Uint8Array([1, 2])],
  ['a regular expression', /x/],
  ['a string with a lone surrogate', 'caf\uD83D'],
);
const unsupportedJson = fc.constantFrom<[string, unknown]>(
  ['a cyclic object', cyclic()],
  ['an object holding a bigint', { count: 10n }],
  [
    'an object whose toJSON throws',
    {
      toJSON: () => {
        throw new Error('no JSON');
      },
    },
  ],
  ['an object that converts to no JSON', { toJSON: () => undefined }],
  ['a function', () => ({})],
  ['NaN', Number.NaN],
);

function validationErrorOf(run: () => unknown): TaskRouterValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TaskRouterValidationError);
    return error as TaskRouterValidationError;
  }
  throw new Error('expected a TaskRouterValidationError');
}

describe('unsupported values', () => {
  test('one bad value anywhere in a body is named by the error, as a field or as an array element', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fieldName, fieldValue, { maxKeys: 6 }),
        fieldName,
        unsupported,
        fc.option(fc.array(scalar, { maxLength: 3 }), { nil: null }),
        (fields, badName, [, badValue], arrayAround) => {
          const input = { ...fields, [badName]: arrayAround ? [...arrayAround, badValue] : badValue };
          const error = validationErrorOf(() => encodeForm(input));
          // The nested array's own first element is what cannot be encoded.
          const index = arrayAround ? arrayAround.length : Array.isArray(badValue) ? 0 : undefined;
          expect(error.field).toBe(index === undefined ? badName : `${badName}[${index}]`);
          expect(error.reason).not.toBe('');
          expect(error.message).toBe(`Invalid ${error.field}: ${error.reason}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  test.each(['Attributes', 'Configuration'])('a %s value that cannot become JSON is named', (name) => {
    fc.assert(
      fc.property(unsupportedJson, ([, value]) => {
        expect(validationErrorOf(() => encodeForm({ FriendlyName: 'x', [name]: value })).field).toBe(name);
      }),
    );
  });

  test('the client rejects a bad body or query before anything is sent', async () => {
    await fc.assert(
      fc.asyncProperty(unsupported, fc.boolean(), async ([, badValue], inQuery) => {
        const { fetch, requests } = recordingFetch();
        const client = testClient(fetch);
        const call = inQuery
          ? client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks', {
              params: { path: { WorkspaceSid: WORKSPACE_SID }, query: { Ordering: badValue as string } },
            })
          : client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
              params: { path: { WorkspaceSid: WORKSPACE_SID } },
              body: { TaskChannel: badValue as string },
            });
        const error = await call.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TaskRouterValidationError);
        const field = (error as TaskRouterValidationError).field;
        expect(field).toMatch(inQuery ? /^params\.query\.Ordering/ : /^body\.TaskChannel/);
        expect(requests).toHaveLength(0);
      }),
    );
  });
});
