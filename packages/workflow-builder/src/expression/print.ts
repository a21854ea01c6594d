import type { Expression, KeySegment, Operand, ScalarValue } from './ast.js';
import { parseExpression } from './parse.js';

function printScalar(value: ScalarValue): string {
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return String(value);
}

/** Prints a key path as written in expressions, e.g. `task.languages[0]`. */
export function printKey(path: readonly KeySegment[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

function printOperand(operand: Operand): string {
  if (operand.type === 'key') return printKey(operand.path);
  if (operand.type === 'literal') return printScalar(operand.value);
  return `[${operand.elements.map(printScalar).join(', ')}]`;
}

/**
 * Prints a syntax tree as canonical expression source: canonical operator spellings, double-quoted
 * strings, single spaces, and parentheses around every nested `AND`/`OR` group. Parsing the output
 * gives back an identical tree.
 *
 * @param expression - a syntax tree from {@link parseExpression}
 * @returns the canonical source
 *
 * @example
 * ```ts
 * printExpression(parseExpression("a='x' && (b >- 1 || c<-[2,3])"));
 * // 'a == "x" AND (b HAS 1 OR c IN [2, 3])'
 * ```
 */
export function printExpression(expression: Expression): string {
  if (expression.type === 'comparison') {
    return `${printOperand(expression.left)} ${expression.operator} ${printOperand(expression.right)}`;
  }
  return expression.operands
    .map((operand) =>
      operand.type === 'logical' ? `(${printExpression(operand)})` : printExpression(operand),
    )
    .join(` ${expression.operator} `);
}

/**
 * Lists the distinct keys an expression reads, in order of first appearance, printed canonically
 * (`task.skills`, `worker.languages[0]`). Useful to check that a target expression prefixes every key
 * with `task.` or `worker.`, or to see which attributes a filter depends on.
 *
 * @param expressionOrSource - expression source, or a syntax tree from {@link parseExpression}
 * @returns the keys, without duplicates
 * @throws {@link ExpressionSyntaxError} if the source does not parse
 *
 * @example
 * ```ts
 * listExpressionKeys('task.language IN worker.languages AND task.language != null');
 * // ['task.language', 'worker.languages']
 * ```
 */
export function listExpressionKeys(expressionOrSource: string | Expression): string[] {
  const expression =
    typeof expressionOrSource === 'string' ? parseExpression(expressionOrSource) : expressionOrSource;
  const keys = new Set<string>();
  const visit = (node: Expression): void => {
    if (node.type === 'logical') {
      node.operands.forEach(visit);
      return;
    }
    for (const operand of [node.left, node.right])
      if (operand.type === 'key') keys.add(printKey(operand.path));
  };
  visit(expression);
  return [...keys];
}
