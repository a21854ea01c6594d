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
  readKeyPath,
} from './expression/evaluate.js';
export {
  EXPRESSION_KEYWORDS,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  parseExpression,
} from './expression/parse.js';
export { listExpressionKeys, printExpression } from './expression/print.js';
export { ExpressionSyntaxError } from './expression/syntax-error.js';
export {
  type WorkflowBuilder,
  type WorkflowBuilderWithDefault,
  type WorkflowFilterBuilder,
  type WorkflowTargetBuilder,
  workflowBuilder,
} from './config/builder.js';
export { WorkflowConfig, WorkflowRule, WorkflowRuleTarget } from './config/classic.js';
export type {
  DefaultTargetOptions,
  KnownWorkerOptions,
  OrderByClause,
  TargetOptions,
  WorkflowConfigProblem,
  WorkflowConfigurationJSON,
  WorkflowFilterJSON,
  WorkflowTargetJSON,
} from './config/types.js';
export {
  MAX_CONFIGURATION_BYTES,
  MAX_PRIORITY,
  QUEUE_SID_PATTERN,
  WorkflowConfigError,
  validateWorkflowConfig,
} from './config/validate.js';
export {
  type CompiledFilter,
  type CompiledKnownWorker,
  type CompiledTarget,
  type CompiledWorkflow,
  compileWorkflow,
  findMatchingFilter,
} from './routing/compile.js';
export { toMermaid } from './routing/mermaid.js';
export {
  type ConditionTrace,
  type FilterExplanation,
  type RouteExplanation,
  type TaskRoute,
  explainRoute,
  routeTask,
} from './routing/route.js';
