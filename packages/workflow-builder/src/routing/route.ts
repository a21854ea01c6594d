import type { WorkflowConfig } from '../config/classic.js';
import type { Expression } from '../expression/ast.js';
import { COMPARATORS, compileOperand } from '../expression/evaluate.js';
import { printExpression, printKey } from '../expression/print.js';
import {
  type CompiledFilter,
  type CompiledTarget,
  type CompiledWorkflow,
  compileWorkflow,
  findMatchingFilter,
} from './compile.js';

/** Where a new task goes. */
export type TaskRoute =
  | {
      /** A filter matched. */
      readonly kind: 'filter';
      /** Index of the matching filter. */
      readonly filterIndex: number;
      /** Its display name, if any. */
      readonly filterName: string | undefined;
      /** Its steps, in order, with queues, priorities and cumulative timeouts resolved. */
      readonly targets: readonly CompiledTarget[];
    }
  | {
      /** No filter matched and the default filter applies. */
      readonly kind: 'default';
      /** The default target. */
      readonly target: CompiledTarget;
    }
  | {
      /** No filter matched and there is no default filter. */
      readonly kind: 'unrouted';
    };

const UNROUTED: TaskRoute = Object.freeze({ kind: 'unrouted' });
const routesByWorkflow = new WeakMap<CompiledWorkflow, { filters: TaskRoute[]; fallback: TaskRoute }>();

function routesOf(workflow: CompiledWorkflow): { filters: TaskRoute[]; fallback: TaskRoute } {
  let routes = routesByWorkflow.get(workflow);
  if (routes === undefined) {
    const { defaultTarget } = workflow;
    routes = {
      filters: workflow.filters.map((filter) =>
        Object.freeze({
          kind: 'filter',
          filterIndex: filter.index,
          filterName: filter.friendlyName,
          targets: filter.targets,
        }),
      ),
      fallback:
        defaultTarget === undefined ? UNROUTED : Object.freeze({ kind: 'default', target: defaultTarget }),
    };
    routesByWorkflow.set(workflow, routes);
  }
  return routes;
}

/**
 * Tells where TaskRouter would send a new task: the first filter whose expression holds (with its
 * ordered targets, queues, priorities and cumulative timeouts), else the default filter, else nowhere.
 * Results are shared, frozen objects; pass a {@link WorkflowConfig} or a compiled workflow to route
 * many tasks quickly (JSON text or plain objects are parsed on every call).
 *
 * @param config - a {@link WorkflowConfig}, a {@link CompiledWorkflow}, JSON text or a parsed configuration
 * @param taskAttributes - the task's attributes
 * @returns the route
 * @throws {@link WorkflowConfigError} if the configuration is invalid
 *
 * @example
 * ```ts
 * const route = routeTask(config, { type: 'support', language: 'fr' });
 * if (route.kind === 'filter') {
 *   for (const step of route.targets) console.log(step.queue, step.effectivePriority, step.cumulativeTimeout);
 * }
 * ```
 */
export function routeTask(
  config: WorkflowConfig | CompiledWorkflow | string | object,
  taskAttributes: unknown,
): TaskRoute {
  const workflow = compileWorkflow(config);
  const routes = routesOf(workflow);
  const index = findMatchingFilter(workflow, taskAttributes);
  return index < 0 ? routes.fallback : routes.filters[index]!;
}

/** How one condition of an expression evaluated, for explanations. */
export interface ConditionTrace {
  /** The condition, printed canonically. */
  readonly expression: string;
  /** Whether it held. */
  readonly result: boolean;
  /** For a comparison: the values of its left and right operands. */
  readonly values?: readonly [left: unknown, right: unknown] | undefined;
  /** For an `AND`/`OR` group: how each member evaluated (all are evaluated, for a complete picture). */
  readonly operands?: readonly ConditionTrace[] | undefined;
}

/** Why one filter did or did not take the task. */
export interface FilterExplanation {
  /** Position in the configuration. */
  readonly index: number;
  /** Display name, if any. */
  readonly friendlyName: string | undefined;
  /** The filter's expression, printed canonically. */
  readonly expression: string;
  /** Whether the expression holds for the task. */
  readonly matched: boolean;
  /** Whether this filter routes the task (the first that matched). */
  readonly selected: boolean;
  /** A sentence saying why. */
  readonly reason: string;
  /** The evaluation of every condition in the expression. */
  readonly trace: ConditionTrace;
}

/** A route together with the reasoning behind it. */
export interface RouteExplanation {
  /** Same as {@link routeTask} returns. */
  readonly route: TaskRoute;
  /** One entry per filter, in order. */
  readonly filters: readonly FilterExplanation[];
  /** Why the default filter did or did not apply. */
  readonly defaultReason: string;
}

function trace(expression: Expression, attributes: unknown): ConditionTrace {
  if (expression.type === 'logical') {
    const operands = expression.operands.map((operand) => trace(operand, attributes));
    const result =
      expression.operator === 'AND' ? operands.every((o) => o.result) : operands.some((o) => o.result);
    return { expression: printExpression(expression), result, operands };
  }
  const left = compileOperand(expression.left)(attributes, undefined);
  const right = compileOperand(expression.right)(attributes, undefined);
  return {
    expression: printExpression(expression),
    result: COMPARATORS[expression.operator](left, right),
    values: [left, right],
  };
}

/** Longest rendering of an attribute value an explanation repeats. */
const MAX_SHOWN_LENGTH = 120;

/** An attribute value as JSON for an explanation; cyclic or absurdly deep values are named instead. */
function showValue(value: unknown): string {
  let text: string;
  try {
    text = String(JSON.stringify(value));
  } catch {
    text = Array.isArray(value)
      ? 'an array that cannot be shown as JSON'
      : 'an object that cannot be shown as JSON';
  }
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

function failedConditions(node: ConditionTrace, expression: Expression): string[] {
  if (node.result) return [];
  if (expression.type === 'logical') {
    return expression.operands.flatMap((operand, i) => failedConditions(node.operands![i]!, operand));
  }
  const keys = [expression.left, expression.right].flatMap((operand, i) =>
    operand.type === 'key' ? [`${printKey(operand.path)} is ${showValue(node.values![i])}`] : [],
  );
  return [
    keys.length === 0 ? `${node.expression} is false` : `${node.expression} is false (${keys.join(', ')})`,
  ];
}

function explainFilter(
  filter: CompiledFilter,
  attributes: unknown,
  selectedIndex: number,
): FilterExplanation {
  const conditions = trace(filter.expression.expression, attributes);
  const selected = filter.index === selectedIndex;
  let reason: string;
  if (selected) {
    reason = 'first filter whose expression holds, so it routes the task';
  } else if (conditions.result) {
    reason = `expression holds, but filter ${selectedIndex} matched first (first match wins); the task can still come here after timing out of the filters above`;
  } else {
    reason = `expression is false: ${failedConditions(conditions, filter.expression.expression).join('; ')}`;
  }
  return {
    index: filter.index,
    friendlyName: filter.friendlyName,
    expression: filter.expression.source,
    matched: conditions.result,
    selected,
    reason,
    trace: conditions,
  };
}

/**
 * Same as {@link routeTask}, with, for each filter, whether its expression holds and why (the values
 * of the keys in every failing condition), and whether the default filter applies.
 *
 * @param config - a {@link WorkflowConfig}, a {@link CompiledWorkflow}, JSON text or a parsed configuration
 * @param taskAttributes - the task's attributes
 * @returns the route and the reasoning
 * @throws {@link WorkflowConfigError} if the configuration is invalid
 *
 * @example
 * ```ts
 * for (const filter of explainRoute(config, { type: 'sales' }).filters) {
 *   console.log(filter.index, filter.reason);
 *   // 0 expression is false: type == "support" is false (type is "sales")
 * }
 * ```
 */
export function explainRoute(
  config: WorkflowConfig | CompiledWorkflow | string | object,
  taskAttributes: unknown,
): RouteExplanation {
  const workflow = compileWorkflow(config);
  const route = routeTask(workflow, taskAttributes);
  const selectedIndex = route.kind === 'filter' ? route.filterIndex : -1;
  let defaultReason: string;
  if (route.kind === 'default') defaultReason = 'no filter matched, so the default filter applies';
  else if (route.kind === 'unrouted') defaultReason = 'no filter matched and there is no default filter';
  else
    defaultReason =
      'not used: a filter matched, and a task that times out of filters never falls into the default';
  return {
    route,
    filters: workflow.filters.map((filter) => explainFilter(filter, taskAttributes, selectedIndex)),
    defaultReason,
  };
}
