/**
 * Target expression results, remembered so that routing evaluates an expression at most once per
 * distinct set of values it reads. A long expression that rejects every worker would otherwise be
 * evaluated for every task × worker on each re-scan.
 *
 * A result depends only on the compiled expression and the values its keys read: under `task.`
 * from the task's attributes, under `worker.` from the worker's view (rebuilt whenever the
 * worker's version changes; see `WorkerIndex.view`). Unprefixed keys read no attributes in a
 * target expression, so they are constants. Tasks, and workers, that hold equal values under the
 * keys an expression reads form one group, evaluated once. Expressions that read `worker.channel`
 * are never remembered: those figures change with every reservation, without a new worker version.
 */
import {
  type CompiledExpression,
  type Expression,
  type KeySegment,
  readKeyPath,
} from '@taskrouter/workflow-builder';
import { NO_ATTRIBUTES } from './routing-state.js';

/** Results remembered per expression and task group before they are dropped. */
const MAX_RESULTS = 4096;

/** The keys an expression reads under one root, and the group of each object met so far. */
interface Projection {
  /** Key paths without the root, each once. */
  readonly paths: readonly (readonly KeySegment[])[];
  readonly groupOf: WeakMap<object, string>;
}

interface ExpressionPlan {
  /** Distinguishes expressions in selection keys. */
  readonly id: number;
  readonly task: Projection;
  readonly worker: Projection;
  /** False when the expression reads `worker.channel`. */
  readonly cacheable: boolean;
  /** Results by task group, then by worker group. */
  readonly results: Map<string, Map<string, boolean>>;
}

const plans = new WeakMap<CompiledExpression, ExpressionPlan>();
let plansMade = 0;

/**
 * Diagnostics that tests read to prove that routing cost does not grow as tasks × workers:
 * `count`, how many times routing actually evaluated a target expression; `checks`, how many
 * results it asked for, remembered or not (what the indexes of selected workers and of waiting
 * tasks grouped by expression save).
 */
export const targetEvaluations = { count: 0, checks: 0 };

function planOf(expression: CompiledExpression): ExpressionPlan {
  let plan = plans.get(expression);
  if (plan === undefined) {
    const paths = { task: new Map<string, KeySegment[]>(), worker: new Map<string, KeySegment[]>() };
    let cacheable = true;
    const visit = (node: Expression): void => {
      if (node.type === 'logical') {
        for (const operand of node.operands) visit(operand);
        return;
      }
      for (const operand of [node.left, node.right]) {
        if (operand.type !== 'key') continue;
        const [root, ...rest] = operand.path;
        if (root === 'worker' && rest[0] === 'channel') cacheable = false;
        // A bare `task` or `worker` is an object, which every comparison treats as unequal.
        if ((root === 'task' || root === 'worker') && rest.length > 0)
          paths[root].set(JSON.stringify(rest), rest);
      }
    };
    visit(expression.expression);
    const projection = (found: Map<string, KeySegment[]>): Projection => ({
      paths: [...found.values()],
      groupOf: new WeakMap(),
    });
    plan = {
      id: plansMade++,
      task: projection(paths.task),
      worker: projection(paths.worker),
      cacheable,
      results: new Map(),
    };
    plans.set(expression, plan);
  }
  return plan;
}

/**
 * Names the worker-only predicate an expression becomes once the task values it reads are fixed:
 * tasks with equal keys select the same workers. Undefined when results are not remembered (the
 * expression reads `worker.channel`).
 */
export function selectionKey(expression: CompiledExpression, taskAttributes: object): string | undefined {
  const plan = planOf(expression);
  return plan.cacheable ? `${plan.id}:${groupOf(plan.task, taskAttributes)}` : undefined;
}

/** Whether the expression's result depends on the worker alone and can be remembered per worker. */
export function selectsByWorkerOnly(expression: CompiledExpression): boolean {
  const plan = planOf(expression);
  return plan.cacheable && plan.task.paths.length === 0;
}

/** The values of the projection's keys in `source`, as text: equal text, equal results. */
function groupOf(projection: Projection, source: object): string {
  if (projection.paths.length === 0) return '';
  let group = projection.groupOf.get(source);
  if (group === undefined) {
    // Attributes come from JSON, so equal text means values no comparison can tell apart.
    group = JSON.stringify(projection.paths.map((path) => readKeyPath(source, path)));
    projection.groupOf.set(source, group);
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
  targetEvaluations.checks++;
  const plan = planOf(expression);
  const evaluate = () => {
    targetEvaluations.count++;
    return expression(NO_ATTRIBUTES, { task: taskAttributes, worker: workerView });
  };
  if (!plan.cacheable) return evaluate();
  const taskGroup = groupOf(plan.task, taskAttributes);
  let results = plan.results.get(taskGroup);
  if (results === undefined) {
    if (plan.results.size >= MAX_RESULTS) plan.results.clear();
    results = new Map();
    plan.results.set(taskGroup, results);
  }
  const workerGroup = groupOf(plan.worker, workerView);
  let result = results.get(workerGroup);
  if (result === undefined) {
    if (results.size >= MAX_RESULTS) results.clear();
    result = evaluate();
    results.set(workerGroup, result);
  }
  return result;
}
