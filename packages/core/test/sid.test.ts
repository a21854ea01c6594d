import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type SidPrefix, TaskRouterValidationError, assertSid, isSid } from '../src/index.js';

const prefixes: SidPrefix[] = ['AC', 'WS', 'WW', 'WA', 'WK', 'WQ', 'WT', 'WR', 'TC', 'WC', 'EV', 'CA', 'SK'];
const hexDigits = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
  minLength: 32,
  maxLength: 32,
});

describe('isSid', () => {
  test('accepts every prefix followed by 32 hex digits, and only with that prefix', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.constantFrom(...prefixes),
        hexDigits,
        (prefix, other, digits) => {
          expect(isSid(prefix + digits, prefix)).toBe(true);
          expect(isSid(prefix + digits)).toBe(true);
          expect(isSid(prefix + digits, other)).toBe(prefix === other);
        },
      ),
    );
  });

  test.each([
    ['too short', `WS${'a'.repeat(31)}`],
    ['too long', `WS${'a'.repeat(33)}`],
    ['not hex', `WS${'g'.repeat(32)}`],
    ['lower-case prefix for a specific kind', `ws${'a'.repeat(32)}`],
    ['empty', ''],
  ])('rejects a value that is %s', (_, value) => {
    expect(isSid(value, 'WS')).toBe(false);
  });

  test('rejects values that are not strings', () => {
    for (const value of [null, undefined, 42, {}, ['WS'], Symbol('WS')]) expect(isSid(value)).toBe(false);
  });

  test('accepts any two-letter prefix when none is asked for', () => {
    expect(isSid(`XY${'0'.repeat(32)}`)).toBe(true);
    expect(isSid(`X1${'0'.repeat(32)}`)).toBe(false);
  });
});

describe('assertSid', () => {
  function reasonFor(value: unknown, prefix: SidPrefix): string {
    try {
      assertSid(value, prefix, 'workspaceSid');
    } catch (error) {
      expect(error).toBeInstanceOf(TaskRouterValidationError);
      expect((error as TaskRouterValidationError).field).toBe('workspaceSid');
      return (error as TaskRouterValidationError).reason;
    }
    throw new Error('expected assertSid to throw');
  }

  test('passes a valid SID', () => {
    expect(() => assertSid(`WS${'a'.repeat(32)}`, 'WS', 'workspaceSid')).not.toThrow();
  });

  test('explains what is wrong', () => {
    expect(reasonFor(12, 'WS')).toBe(
      'expected a Workspace SID (WS followed by 32 hexadecimal digits), got number',
    );
    expect(reasonFor(null, 'WS')).toContain('got null');
    expect(reasonFor('WS12', 'WS')).toContain('got 4 characters instead of 34');
    expect(reasonFor(`WK${'a'.repeat(32)}`, 'WS')).toContain('got a value starting with "WK"');
    expect(reasonFor(`WS${'z'.repeat(32)}`, 'WS')).toContain('not hexadecimal digits');
    expect(reasonFor('x', 'WQ')).toContain('a TaskQueue SID (WQ');
  });

  test('does not repeat the rejected value', () => {
    const value = `WS${'secretvalue'.padEnd(32, 'x')}`;
    expect(reasonFor(value, 'WS')).not.toContain('secretvalue');
  });
});
