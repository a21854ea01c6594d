import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  listExpressionKeys,
  parseExpression,
  printExpression,
} from '../src/index.js';

function syntaxError(source: string): ExpressionSyntaxError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be rejected`);
}

const canonical = (source: string): string => printExpression(parseExpression(source));

describe('parseExpression', () => {
  it('parses a comparison into operands and operator', () => {
    expect(parseExpression('task.priority >= 5')).toEqual({
      type: 'comparison',
      operator: '>=',
      left: { type: 'key', path: ['task', 'priority'] },
      right: { type: 'literal', value: 5 },
    });
  });

  it('reads every kind of constant', () => {
    const right = (source: string) => {
      const ast = parseExpression(`x == ${source}`);
      return ast.type === 'comparison' ? ast.right : undefined;
    };
    expect(right(`'single'`)).toEqual({ type: 'literal', value: 'single' });
    expect(right(`"double"`)).toEqual({ type: 'literal', value: 'double' });
    expect(right(`"it's"`)).toEqual({ type: 'literal', value: "it's" });
    expect(right(`'say \\'hi\\' \\\\ \\n'`)).toEqual({ type: 'literal', value: "say 'hi' \\ \\n" });
    expect(right('42')).toEqual({ type: 'literal', value: 42 });
    expect(right('4.25')).toEqual({ type: 'literal', value: 4.25 });
    expect(right('-7')).toEqual({ type: 'literal', value: -7 });
    expect(right('1e3')).toEqual({ type: 'literal', value: 1000 });
    expect(right('TRUE')).toEqual({ type: 'literal', value: true });
    expect(right('false')).toEqual({ type: 'literal', value: false });
    expect(right('Null')).toEqual({ type: 'literal', value: null });
    expect(right(`['en', 2, true, null]`)).toEqual({ type: 'array', elements: ['en', 2, true, null] });
    expect(right('[ 1 ]')).toEqual({ type: 'array', elements: [1] });
  });

  it('reads dotted keys with array indexes', () => {
    expect(parseExpression('customer.phones[2].country == "FR"')).toMatchObject({
      left: { type: 'key', path: ['customer', 'phones', 2, 'country'] },
    });
    expect(parseExpression('worker.channel.voice.assigned_tasks < 1')).toMatchObject({
      left: { type: 'key', path: ['worker', 'channel', 'voice', 'assigned_tasks'] },
    });
  });

  it('normalises operator aliases and accepts keywords in any case', () => {
    expect(canonical('a = 1')).toBe('a == 1');
    expect(canonical('skills >- "sales"')).toBe('skills HAS "sales"');
    expect(canonical('lang <- ["en"]')).toBe('lang IN ["en"]');
    expect(canonical('lang in ["en"] and skills has "x" or name contains "bo"')).toBe(
      '(lang IN ["en"] AND skills HAS "x") OR name CONTAINS "bo"',
    );
    expect(canonical('lang not   in ["en"]')).toBe('lang NOT IN ["en"]');
    expect(canonical('a == 1 && b == 2 || c == 3')).toBe('(a == 1 AND b == 2) OR c == 3');
    expect(canonical('a!=1')).toBe('a != 1');
    expect(canonical('level >-1')).toBe('level HAS 1');
    expect(canonical('level > -1')).toBe('level > -1');
    expect(canonical('a<1||a<=2||a>3||a>=4')).toBe('a < 1 OR a <= 2 OR a > 3 OR a >= 4');
  });

  it('gives AND precedence over OR and keeps parenthesised groups', () => {
    const ast = parseExpression('a == 1 OR b == 2 AND c == 3');
    expect(ast).toMatchObject({ type: 'logical', operator: 'OR' });
    expect(ast.type === 'logical' && ast.operands[1]).toMatchObject({ type: 'logical', operator: 'AND' });
    expect(canonical('(a == 1 OR b == 2) AND c == 3')).toBe('(a == 1 OR b == 2) AND c == 3');
    expect(canonical('a == 1 AND b == 2 AND c == 3')).toBe('a == 1 AND b == 2 AND c == 3');
    expect(canonical('((a == 1))')).toBe('a == 1');
  });

  it('parses the always-true idiom', () => {
    expect(canonical('1==1')).toBe('1 == 1');
  });

  it('rejects hyphens and says why', () => {
    const error = syntaxError('skill-level > 3');
    expect(error.position).toBe(5);
    expect(error.found).toBe('"-"');
    expect(error.message).toMatch(/hyphen.*subtraction/);
    expect(syntaxError('rank == 5-3').position).toBe(9);
    expect(syntaxError('rank == - 3').message).toMatch(/hyphen/);
    expect(canonical('name == "skill-level"')).toBe('name == "skill-level"');
  });

  it.each([
    ['', 0, 'a condition (an operand or "(")', 'end of input'],
    ['   ', 3, 'a condition (an operand or "(")', 'end of input'],
    ['a', 1, 'a comparison operator', 'end of input'],
    ['a ==', 4, 'an operand after the operator', 'end of input'],
    ['a == 1 b == 2', 7, 'AND, OR or the end of the expression', '"b"'],
    ['a == 1 AND', 10, 'a condition (an operand or "(")', 'end of input'],
    ['(a == 1', 7, 'AND, OR or ")"', 'end of input'],
    ['a == 1)', 6, 'AND, OR or the end of the expression', '")"'],
    ['a NOT HAS 1', 6, 'IN after NOT', '"HAS"'],
    ["a == 'open", 10, "a closing ' for the string started at 5", 'end of input'],
    ['a == []', 6, 'a constant in the array', '"]"'],
    ['a IN [1 2]', 8, '"," or "]"', '"2"'],
    ['a IN [b]', 6, 'a constant in the array', '"b"'],
    ['a == 1e999', 5, 'a finite number', '"1e999"'],
    ['a. == 1', 2, 'a property name after "."', '" "'],
    ['a[1 == 1', 3, '"]" to close the array index', '" "'],
    ['a # 1', 2, 'an operand, operator or parenthesis', '"#"'],
    ['(a) == 1', 2, 'a comparison operator', '")"'],
    ['true.x == 1', 4, 'an operand, operator or parenthesis', '"."'],
    ['a == 1 ==', 7, 'AND, OR or the end of the expression', '"=="'],
  ])('rejects %j at %i expecting %s', (source, position, expected, found) => {
    const error = syntaxError(source);
    expect(error).toMatchObject({ position, expected, found, name: 'ExpressionSyntaxError' });
    expect(error.message).toBe(`Expected ${expected} at position ${position} but found ${found}`);
  });

  it('rejects over-long sources and deep nesting without recursing', () => {
    const long = `a == "${'x'.repeat(MAX_EXPRESSION_LENGTH)}"`;
    expect(syntaxError(long).expected).toBe(`at most ${MAX_EXPRESSION_LENGTH} characters`);
    expect(syntaxError(`a == "${'x'.repeat(100_000)}"`)).toBeInstanceOf(ExpressionSyntaxError);
    const deep = `${'('.repeat(10_000)}a == 1${')'.repeat(10_000)}`;
    expect(syntaxError(deep).expected).toBe(`at most ${MAX_EXPRESSION_DEPTH} levels of nested parentheses`);
    const allowed = `${'('.repeat(MAX_EXPRESSION_DEPTH)}a == 1${')'.repeat(MAX_EXPRESSION_DEPTH)}`;
    expect(canonical(allowed)).toBe('a == 1');
  });

  it('parses long flat chains without recursion', () => {
    const chain = Array.from({ length: 2_000 }, (_, i) => `a == ${i}`).join(' OR ');
    const ast = parseExpression(chain);
    expect(ast.type === 'logical' && ast.operands.length).toBe(2_000);
  });

  it('rejects a non-string source with the same error type', () => {
    expect(() => parseExpression(42 as unknown as string)).toThrow(ExpressionSyntaxError);
  });
});

describe('printExpression', () => {
  it('prints strings with double quotes, escaping quotes and backslashes', () => {
    expect(canonical(`a == 'say "hi"'`)).toBe('a == "say \\"hi\\""');
    expect(canonical(`a == 'back\\\\slash'`)).toBe('a == "back\\\\slash"');
  });

  it('prints negative zero so it parses back as negative zero', () => {
    expect(canonical('a == -0')).toBe('a == -0');
  });
});

describe('listExpressionKeys', () => {
  it('lists distinct keys in order of appearance', () => {
    expect(
      listExpressionKeys('task.language IN worker.languages AND (task.language != null OR x[0] == 1)'),
    ).toEqual(['task.language', 'worker.languages', 'x[0]']);
  });

  it('returns nothing for constant-only expressions', () => {
    expect(listExpressionKeys(parseExpression('1 == 1'))).toEqual([]);
  });
});
