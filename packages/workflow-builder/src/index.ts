/**
 * Typed construction, validation and offline simulation of TaskRouter workflow configurations, and
 * a parser, printer and evaluator for the TaskRouter expression language.
 * @packageDocumentation
 */
export type {
  ArrayOperand,
  ComparisonExpression,
  ComparisonOperator,
  Expression,
  KeyOperand,
  KeySegment,
  LiteralOperand,
  LogicalExpression,
  LogicalOperator,
  Operand,
  ScalarValue,
} from './expression/ast.js';
export {
  type CompiledExpression,
  type ExpressionScopes,
  compileExpression,
  evaluateExpression,
} from './expression/evaluate.js';
export {
  EXPRESSION_KEYWORDS,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
} from './expression/parse.js';
export { listExpressionKeys, printExpression } from './expression/print.js';
export { ExpressionSyntaxError } from './expression/syntax-error.js';
