import type { ComparisonOperator, Expression, KeySegment, Operand, ScalarValue } from './ast.js';
import { parseExpression } from './parse.js';
import { printExpression } from './print.js';

/**
 * Extra root objects for prefixed keys. With `{ task, worker }`, `task.language` reads
 * `task.language` and `worker.skills` reads `worker.skills`; any key whose first segment is not a
 * scope name is looked up in the attributes object instead.
 */
export type ExpressionScopes = Readonly<Record<string, unknown>>;

/**
 * A compiled expression: call it as often as needed; parsing and planning happened once.
 * It takes the same arguments as {@link evaluateExpression}. Because unprefixed lookups start at
 * `attributes`, `compiled({ task, worker })` and `compiled({}, { task, worker })` give the same result
 * for a target expression.
 */
export interface CompiledExpression {
  /**
   * Evaluates the expression.
   * @param attributes - the object unprefixed keys are read from (task attributes for a filter,
   * worker attributes for a queue's `target_workers`)
   * @param scopes - root objects for prefixed keys, such as `{ task, worker }` for a target expression
   * @returns whether the expression holds
   */
  (attributes: unknown, scopes?: ExpressionScopes): boolean;
  /** The syntax tree the function was compiled from. */
  readonly expression: Expression;
  /** The canonical source of the expression (see {@link printExpression}). */
  readonly source: string;
}

type Resolver = (attributes: unknown, scopes: ExpressionScopes | undefined) => unknown;
type Predicate = (attributes: unknown, scopes: ExpressionScopes | undefined) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

function step(value: unknown, segment: KeySegment): unknown {
  if (typeof segment === 'number') return Array.isArray(value) ? value[segment] : undefined;
  // Own properties only: `constructor` or `__proto__` must not reach into the prototype chain.
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && hasOwn.call(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

/**
 * Reads a key path below `value` as expressions do: own properties and array indexes only, and a
 * key that does not exist reads as `null` (so `missing == null` holds).
 *
 * @example
 * ```ts
 * console.log(readKeyPath({ skills: ['en', 'fr'] }, ['skills', 1])); // fr
 * console.log(readKeyPath({}, ['constructor'])); // null
 * ```
 */
export function readKeyPath(value: unknown, path: readonly KeySegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === undefined) break;
    current = step(current, segment);
  }
  return current === undefined ? null : current;
}

/**
 * Compiles one operand into a function that reads its value (keys that do not exist read as null).
 * @internal
 */
export function compileOperand(operand: Operand): Resolver {
  if (operand.type === 'literal') {
    const { value } = operand;
    return () => value;
  }
  if (operand.type === 'array') {
    const { elements } = operand;
    return () => elements;
  }
  const [root, ...rest] = operand.path as [string, ...KeySegment[]];
  return (attributes, scopes) =>
    readKeyPath(
      scopes !== undefined && hasOwn.call(scopes, root) ? scopes[root] : step(attributes, root),
      rest,
    );
}

const isScalar = (value: unknown): value is ScalarValue =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** -1, 0 or 1 for two numbers or two strings; NaN (so every ordering test fails) for anything else. */
function order(left: unknown, right: unknown): number {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return Number.NaN;
  return (left as number | string) < (right as number | string) ? -1 : left === right ? 0 : 1;
}

/**
 * The comparison semantics. Scalar operators (`==`, `!=`, ordering, `CONTAINS`) are false when
 * either side is an array or object; the array operators are false unless the array is on their
 * array side. Equality is strict: `5` and `'5'` differ, and string comparisons are case-sensitive.
 * @internal
 */
export const COMPARATORS: Readonly<Record<ComparisonOperator, (left: unknown, right: unknown) => boolean>> = {
  '==': (left, right) => isScalar(left) && isScalar(right) && left === right,
  '!=': (left, right) => isScalar(left) && isScalar(right) && left !== right,
  '>': (left, right) => order(left, right) > 0,
  '>=': (left, right) => order(left, right) >= 0,
  '<': (left, right) => order(left, right) < 0,
  '<=': (left, right) => order(left, right) <= 0,
  CONTAINS: (left, right) => typeof left === 'string' && typeof right === 'string' && left.includes(right),
  HAS: (left, right) => Array.isArray(left) && isScalar(right) && left.includes(right),
  IN: (left, right) => isScalar(left) && Array.isArray(right) && right.includes(left),
  'NOT IN': (left, right) => isScalar(left) && Array.isArray(right) && !right.includes(left),
};

function compileNode(expression: Expression): Predicate {
  if (expression.type === 'comparison') {
    const left = compileOperand(expression.left);
    const right = compileOperand(expression.right);
    const compare = COMPARATORS[expression.operator];
    return (attributes, scopes) => compare(left(attributes, scopes), right(attributes, scopes));
  }
  const operands = expression.operands.map(compileNode);
  if (expression.operator === 'AND') {
    return (attributes, scopes) => {
      for (const operand of operands) if (!operand(attributes, scopes)) return false;
      return true;
    };
  }
  return (attributes, scopes) => {
    for (const operand of operands) if (operand(attributes, scopes)) return true;
    return false;
  };
}

/**
 * Compiles an expression once into a function that can be evaluated many times cheaply.
 *
 * @param expressionOrSource - expression source, or a syntax tree from {@link parseExpression}
 * @returns the compiled predicate, which also carries its syntax tree and canonical source
 * @throws {@link ExpressionSyntaxError} if the source does not parse
 *
 * @example
 * ```ts
 * const vip = compileExpression('customer.tier == "gold" OR priority > 10');
 * vip({ customer: { tier: 'gold' } }); // true
 * vip({ priority: 3 }); // false
 * ```
 */
export function compileExpression(expressionOrSource: string | Expression): CompiledExpression {
  const expression =
    typeof expressionOrSource === 'string' ? parseExpression(expressionOrSource) : expressionOrSource;
  const predicate = compileNode(expression);
  const compiled = (attributes: unknown, scopes?: ExpressionScopes): boolean => predicate(attributes, scopes);
  // The canonical source is printed when first read: routing never needs it.
  let source: string | undefined;
  return Object.defineProperties(compiled, {
    expression: { value: expression, enumerable: true },
    source: { get: () => (source ??= printExpression(expression)), enumerable: true },
  }) as CompiledExpression;
}

/**
 * Evaluates an expression with TaskRouter's semantics: a key that does not exist is `null`, a scalar
 * operator applied to an array (or an array operator applied to scalars) is false, and `1==1` is true.
 *
 * An unprefixed key is read from `attributes`; a key whose first segment names one of `scopes` is read
 * from that scope, so a target expression is evaluated with `scopes = { task, worker }` and a `skip_if`
 * with `scopes = { workers: { available, unavailable, [activitySid]: count } }`.
 *
 * To evaluate the same expression many times, compile it once with {@link compileExpression}.
 *
 * @param expressionOrSource - expression source, or a syntax tree from {@link parseExpression}
 * @param attributes - the object unprefixed keys are read from
 * @param scopes - root objects for prefixed keys
 * @returns whether the expression holds
 * @throws {@link ExpressionSyntaxError} if the source does not parse
 *
 * @example
 * ```ts
 * evaluateExpression('type == "ticket"', { type: 'ticket' }); // true
 * evaluateExpression('task.language IN worker.languages', {}, {
 *   task: { language: 'fr' },
 *   worker: { languages: ['en', 'fr'] },
 * }); // true
 * ```
 */
export function evaluateExpression(
  expressionOrSource: string | Expression,
  attributes: unknown,
  scopes?: ExpressionScopes,
): boolean {
  const expression =
    typeof expressionOrSource === 'string' ? parseExpression(expressionOrSource) : expressionOrSource;
  return compileNode(expression)(attributes, scopes);
}
