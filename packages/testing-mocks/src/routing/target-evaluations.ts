/**
 * Target expression results, remembered so that routing evaluates an expression at most once per
 * worker version and per distinct set of task values it reads. A long expression that rejects
 * every worker would otherwise be evaluated for every task × worker on each re-scan.
 *
 * A result depends only on the compiled expression, the task values under `task.` that the
 * expression names, and the worker's view (rebuilt whenever the worker's version changes; see
 * `WorkerIndex.view`). Unprefixed keys read no attributes in a target expression, so they are
 * constants. Expressions that read `worker.channel` are never remembered: those figures change
 * with every reservation, without a new worker version.
 */
import type { CompiledExpression, Expression, KeySegment } from '@taskrouter/workflow-builder';
import { NO_ATTRIBUTES } from './routing-state.js';

/** Distinct task-value groups remembered per expression before its results are dropped. */
const MAX_TASK_GROUPS = 4096;

interface ExpressionPlan {
  /** Key paths read under `task.`, without the root; empty when only the worker matters. */
  readonly taskPaths: readonly (readonly KeySegment[])[];
  /** False when the expression reads `worker.channel`. */
  readonly cacheable: boolean;
  /** Results by task-value group, then by worker view. */
  readonly groups: Map<string, WeakMap<object, boolean>>;
  /** The group of each task attributes object met so far. */
  readonly groupOf: WeakMap<object, string>;
}

const plans = new WeakMap<CompiledExpression, ExpressionPlan>();

/**
 * How many times routing actually evaluated a target expression (remembered results do not
 * count). Diagnostics: tests read it to prove that routing cost does not grow as tasks × workers.
 */
export const targetEvaluations = { count: 0 };

function planOf(expression: CompiledExpression): ExpressionPlan {
  let plan = plans.get(expression);
  if (plan === undefined) {
    const taskPaths: KeySegment[][] = [];
    let cacheable = true;
    const visit = (node: Expression): void => {
      if (node.type === 'logical') {
        for (const operand of node.operands) visit(operand);
        return;
      }
      for (const operand of [node.left, node.right]) {
        if (operand.type !== 'key') continue;
        const [root, ...rest] = operand.path;
        if (root === 'task') taskPaths.push(rest);
        else if (root === 'worker' && rest[0] === 'channel') cacheable = false;
      }
    };
    visit(expression.expression);
    plan = { taskPaths, cacheable, groups: new Map(), groupOf: new WeakMap() };
    plans.set(expression, plan);
  }
  return plan;
}

/** Whether the expression's result depends on the worker alone and can be remembered per worker. */
export function selectsByWorkerOnly(expression: CompiledExpression): boolean {
  const plan = planOf(expression);
  return plan.cacheable && plan.taskPaths.length === 0;
}

/** Reads a path as the expression language does: own properties, array indexes, missing is null. */
function read(root: unknown, path: readonly KeySegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof segment === 'number') value = Array.isArray(value) ? value[segment] : undefined;
    else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.hasOwn(value, segment)
    )
      value = (value as Record<string, unknown>)[segment];
    else value = undefined;
    if (value === undefined) break;
  }
  return value === undefined ? null : value;
}

function groupOf(plan: ExpressionPlan, taskAttributes: object): string {
  if (plan.taskPaths.length === 0) return '';
  let group = plan.groupOf.get(taskAttributes);
  if (group === undefined) {
    // Task attributes come from JSON, so equal text means values the expression cannot tell apart.
    group = JSON.stringify(plan.taskPaths.map((path) => read(taskAttributes, path)));
    plan.groupOf.set(taskAttributes, group);
  }
  return group;
}

/**
 * Whether a target expression takes the worker for the task.
 * @param taskAttributes - the task's attributes (`task.` in the expression)
 * @param workerView - the worker as expressions see it; a new object for each worker version
 */
export function targetTakes(
  expression: CompiledExpression,
  taskAttributes: object,
  workerView: Record<string, unknown>,
): boolean {
  const plan = planOf(expression);
  const evaluate = () => {
    targetEvaluations.count++;
    return expression(NO_ATTRIBUTES, { task: taskAttributes, worker: workerView });
  };
  if (!plan.cacheable) return evaluate();
  const group = groupOf(plan, taskAttributes);
  let results = plan.groups.get(group);
  if (results === undefined) {
    if (plan.groups.size >= MAX_TASK_GROUPS) plan.groups.clear();
    results = new WeakMap();
    plan.groups.set(group, results);
  }
  let result = results.get(workerView);
  if (result === undefined) {
    result = evaluate();
    results.set(workerView, result);
  }
  return result;
}
