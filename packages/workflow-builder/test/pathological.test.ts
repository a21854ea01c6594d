import { describe, expect, test } from 'vitest';
import {
  ExpressionSyntaxError,
  MAX_CONFIGURATION_BYTES,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  WorkflowConfig,
  WorkflowConfigError,
  compileExpression,
  explainRoute,
  parseExpression,
  printExpression,
  routeTask,
  validateWorkflowConfig,
  workflowBuilder,
} from '../src/index.js';

// Hostile input must end in the documented error, never a stack overflow (RangeError) or a hang.
// The timeouts below are generous bounds against a hang, not speed measurements.
const HANG_GUARD_MS = 20_000;
const QUEUE = `WQ${'a'.repeat(32)}`;
const HUNDRED_KB = 100 * 1024;

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectSyntaxError(source: string): ExpressionSyntaxError {
  const error = errorOf(() => parseExpression(source));
  expect(error).toBeInstanceOf(ExpressionSyntaxError);
  const syntaxError = error as ExpressionSyntaxError;
  // The error stays small however large the input was.
  expect(syntaxError.source.length).toBeLessThanOrEqual(201);
  expect(syntaxError.message.length).toBeLessThan(1_000);
  return syntaxError;
}

/** A value nested `depth` levels deep in arrays, as JSON text: `[[[…]]]`. */
const nestedArrayJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A live object `depth` levels deep: `{ a: { a: … { leaf: 'bottom' } } }`. */
function nestedObject(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  for (let level = 0; level < depth; level++) {
    const next: Record<string, unknown> = {};
    current.a = next;
    current = next;
  }
  current.leaf = 'bottom';
  return root;
}
function cyclicObject(): Record<string, unknown> {
  const value: Record<string, unknown> = { queue: QUEUE };
  value.self = value;
  value.list = [value];
  return value;
}

describe('expressions', () => {
  test.each([
    ['10,000 opening parentheses', '('.repeat(10_000)],
    ['10,000 balanced parentheses', `${'('.repeat(10_000)}1 == 1${')'.repeat(10_000)}`],
    [
      '10,000 parentheses behind a valid condition',
      `a == 1 AND ${'('.repeat(10_000)}b == 2${')'.repeat(10_000)}`,
    ],
  ])(
    '%s are refused at the depth limit',
    (_, source) => {
      const error = expectSyntaxError(source);
      expect(error.expected).toBe(`at most ${MAX_EXPRESSION_DEPTH} levels of nested parentheses`);
    },
    HANG_GUARD_MS,
  );

  test('the depth limit is exact', () => {
    const nested = (depth: number) => `${'('.repeat(depth)}x == 1${')'.repeat(depth)}`;
    expect(compileExpression(nested(MAX_EXPRESSION_DEPTH))({ x: 1 })).toBe(true);
    expectSyntaxError(nested(MAX_EXPRESSION_DEPTH + 1));
  });

  test.each([
    ['a 100 KB string literal', `name == "${'x'.repeat(HUNDRED_KB)}"`],
    ['an unterminated 100 KB string', `name == "${'x'.repeat(HUNDRED_KB)}`],
    ['a 100 KB key', `${'a'.repeat(HUNDRED_KB)} == 1`],
    ['100 KB of spaces', ' '.repeat(HUNDRED_KB)],
    ['100 KB of opening brackets', `x IN ${'['.repeat(HUNDRED_KB)}`],
    ['a 100 KB chain of AND', Array.from({ length: 10_000 }, (_, i) => `k${i} == ${i}`).join(' AND ')],
  ])(
    '%s is refused by the length limit before it is read',
    (_, source) => {
      expect(source.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
      const error = expectSyntaxError(source);
      expect(error.expected).toBe(`at most ${MAX_EXPRESSION_LENGTH} characters`);
      expect(error.found).toBe(`${source.length} characters`);
    },
    HANG_GUARD_MS,
  );

  test.each([
    ['an unterminated string', `name == "${'x'.repeat(MAX_EXPRESSION_LENGTH - 20)}`, 'a closing "'],
    ['a number too large to represent', `n == ${'9'.repeat(400)}`, 'a finite number'],
    ['an array of arrays', `x IN [${'['.repeat(1_000)}`, 'a constant in the array'],
    ['a key of 10,000 dots', `${'a.'.repeat(10_000)} == 1`, 'a property name after "."'],
    ['a run of operators', `a ${'== '.repeat(5_000)}1`, 'an operand after the operator'],
  ])(
    '%s just under the length limit fails with its own reason',
    (_, source, expected) => {
      expect(source.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
      expect(expectSyntaxError(source).expected).toContain(expected);
    },
    HANG_GUARD_MS,
  );

  test(
    'the longest chains of AND and OR that fit are parsed, printed and evaluated iteratively',
    () => {
      const terms = (count: number) => Array.from({ length: count }, (_, i) => `k${i % 10} == ${i % 10}`);
      const and = terms(2_400).join(' AND ');
      const or = terms(2_400).join(' || ');
      expect(and.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
      const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
      for (const source of [and, or]) {
        const compiled = compileExpression(source);
        expect(compiled(attributes)).toBe(true);
        expect(compiled({})).toBe(false);
        expect(parseExpression(printExpression(compiled.expression))).toEqual(compiled.expression);
      }
    },
    HANG_GUARD_MS,
  );

  test(
    'a huge array literal and a very long key path evaluate without recursion trouble',
    () => {
      const elements = Array.from({ length: 4_000 }, (_, i) => i);
      expect(compileExpression(`x IN [${elements.join(',')}]`)({ x: 3_999 })).toBe(true);

      const depth = 5_000;
      const path = Array.from({ length: depth }, () => 'a').join('.');
      expect(path.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
      const deep = nestedObject(depth);
      expect(compileExpression(`${path}.leaf == "bottom"`)(deep)).toBe(true);
      expect(compileExpression(`${path}.a.leaf == "bottom"`)(deep)).toBe(false);
    },
    HANG_GUARD_MS,
  );

  test(
    'cyclic and very deep task attributes are read without looping or overflowing',
    () => {
      const cyclic = cyclicObject();
      expect(compileExpression('self.self.self.queue == "nope"')(cyclic)).toBe(false);
      expect(compileExpression('list HAS "x" OR self.list[0].queue CONTAINS "WQ"')(cyclic)).toBe(true);
      const deep = nestedObject(100_000);
      expect(compileExpression('a.a.a.a.b == 1 OR a CONTAINS "x"')(deep)).toBe(false);
    },
    HANG_GUARD_MS,
  );

  test('values that are not strings are refused with the same error', () => {
    for (const value of [undefined, null, 42, {}, ['1 == 1'], Symbol('x')]) {
      expect(errorOf(() => parseExpression(value as unknown as string))).toBeInstanceOf(
        ExpressionSyntaxError,
      );
    }
  });
});

describe('workflow configurations', () => {
  const withDefault = (target: Record<string, unknown>) => ({ task_routing: { default_filter: target } });
  const withFilter = (filter: Record<string, unknown>) => ({
    task_routing: { filters: [filter], default_filter: { queue: QUEUE } },
  });

  /** Checks that every way in reports problems (and nothing else) and keeps each message short. */
  function expectRejected(configuration: unknown): void {
    const problems = validateWorkflowConfig(configuration);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.message.length).toBeLessThan(1_000);
    expect(errorOf(() => WorkflowConfig.parse(configuration as object))).toBeInstanceOf(WorkflowConfigError);
  }

  const deepValue = JSON.parse(`{"v":${nestedArrayJson(100_000)}}`).v as unknown;

  test.each([
    'queue',
    'priority',
    'timeout',
    'expression',
    'order_by',
    'skip_if',
    'known_worker_sid',
    'known_worker_friendly_name',
  ])(
    'a 100,000-level nested value as %s is reported, not serialised',
    (field) => {
      expectRejected(withFilter({ expression: '1==1', targets: [{ queue: QUEUE, [field]: deepValue }] }));
      expectRejected(
        withFilter({ expression: '1==1', targets: [{ queue: QUEUE, [field]: cyclicObject() }] }),
      );
      if (field === 'queue') expectRejected(withDefault({ queue: deepValue }));
    },
    HANG_GUARD_MS,
  );

  test(
    'nested and cyclic values where filters, targets or names belong are reported',
    () => {
      expectRejected({ task_routing: { filters: deepValue } });
      expectRejected({ task_routing: { filters: [deepValue] } });
      expectRejected({ task_routing: { default_filter: deepValue } });
      expectRejected(withFilter({ expression: '1==1', targets: deepValue }));
      expectRejected(
        withFilter({ expression: '1==1', targets: [cyclicObject()], filter_friendly_name: cyclicObject() }),
      );
      expectRejected(withFilter({ expression: deepValue, targets: [{ queue: QUEUE }] }));
    },
    HANG_GUARD_MS,
  );

  test(
    'JSON text nested 500,000 levels deep is read without overflowing',
    () => {
      const text = nestedArrayJson(500_000);
      expect(text.length).toBeLessThanOrEqual(MAX_CONFIGURATION_BYTES);
      expectRejected(text);
      expectRejected(`{"task_routing":{"default_filter":{"queue":${nestedArrayJson(400_000)}}}}`);
    },
    HANG_GUARD_MS,
  );

  test(
    'text over the size TaskRouter stores is refused before it is parsed',
    () => {
      const text = `{"task_routing":{"filters":[],"pad":"${'x'.repeat(MAX_CONFIGURATION_BYTES)}"}}`;
      const problems = validateWorkflowConfig(text);
      expect(problems).toEqual([
        {
          path: '$',
          message: `is ${text.length} bytes; TaskRouter stores at most ${MAX_CONFIGURATION_BYTES}`,
        },
      ]);
    },
    HANG_GUARD_MS,
  );

  test(
    '100 KB strings in every field give short messages',
    () => {
      const long = 'x'.repeat(HUNDRED_KB);
      const configuration = withFilter({
        filter_friendly_name: long,
        expression: long,
        targets: [
          {
            queue: long,
            expression: long,
            order_by: long,
            skip_if: long,
            known_worker_sid: long,
            priority: long,
            timeout: long,
          },
        ],
      });
      const problems = validateWorkflowConfig(configuration);
      expect(problems.map((problem) => problem.path)).toEqual(
        expect.arrayContaining([
          '$.task_routing.filters[0].expression',
          '$.task_routing.filters[0].targets[0].queue',
          '$.task_routing.filters[0].targets[0].order_by',
          '$.task_routing.filters[0].targets[0].known_worker_sid',
          '$.task_routing.filters[0].targets[0].priority',
          '$.task_routing.filters[0].targets[0].timeout',
        ]),
      );
      expectRejected(configuration);
    },
    HANG_GUARD_MS,
  );

  test(
    'a configuration with 20,000 broken filters reports every one',
    () => {
      const filters = Array.from({ length: 20_000 }, () => ({ expression: '(', targets: [] }));
      const error = errorOf(() => WorkflowConfig.parse({ task_routing: { filters } }));
      expect(error).toBeInstanceOf(WorkflowConfigError);
      expect((error as WorkflowConfigError).problems).toHaveLength(40_000);
    },
    HANG_GUARD_MS,
  );

  test(
    'the builder refuses a pathological expression at build()',
    () => {
      const build = (expression: string) => () =>
        workflowBuilder().filter(expression).target(QUEUE).defaultFilter(QUEUE).build();
      for (const expression of ['('.repeat(10_000), `a == "${'x'.repeat(HUNDRED_KB)}"`]) {
        const error = errorOf(build(expression));
        expect(error).toBeInstanceOf(WorkflowConfigError);
        expect((error as WorkflowConfigError).problems[0]?.path).toBe('$.task_routing.filters[0].expression');
      }
    },
    HANG_GUARD_MS,
  );

  test(
    'routing a task with cyclic or deep attributes ends',
    () => {
      const configuration = withFilter({
        expression: 'self.queue == "x" OR a.a.a CONTAINS "y"',
        targets: [{ queue: QUEUE }],
      });
      for (const attributes of [cyclicObject(), nestedObject(100_000)]) {
        expect(routeTask(configuration, attributes).kind).toBe('default');
        const [filter] = explainRoute(configuration, attributes).filters;
        expect(filter?.reason.length).toBeLessThan(1_000);
      }
      const [deepFilter] = explainRoute(configuration, nestedObject(100_000)).filters;
      expect(deepFilter?.reason).toContain('a.a.a is an object that cannot be shown as JSON');
    },
    HANG_GUARD_MS,
  );
});
