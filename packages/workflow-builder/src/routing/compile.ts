import { expressionsParsedFor, WorkflowConfig } from '../config/classic.js';
import type { OrderByClause, WorkflowConfigurationJSON, WorkflowTargetJSON } from '../config/types.js';
import { type CompiledExpression, compileExpression, compileOperand } from '../expression/evaluate.js';
import type { Expression } from '../expression/ast.js';
import { parseKeyReference } from '../expression/parse.js';

/** A target's known-agent setting, ready to resolve against a task. */
export interface CompiledKnownWorker {
  /** Which key the target used: the worker is identified by SID or by friendly name. */
  readonly field: 'known_worker_sid' | 'known_worker_friendly_name';
  /** The reference as written, e.g. `task.agent_sid`. */
  readonly reference: string;
  /**
   * Reads the referenced value from a task's attributes.
   * @param taskAttributes - the task's attributes
   * @returns the worker SID or friendly name, or null when the attribute is missing
   */
  readonly resolve: (taskAttributes: unknown) => unknown;
}

/** A target with its queue and priority resolved through inheritance and its expressions compiled. */
export interface CompiledTarget {
  /** Position within its filter (0 for `default_filter`). */
  readonly index: number;
  /** The queue the task waits in during this step, inherited from the previous target when not written. */
  readonly queue: string;
  /** True when `queue` was inherited from an earlier target. */
  readonly queueInherited: boolean;
  /** The priority written on this target, if any. */
  readonly priority: number | undefined;
  /**
   * The task's priority during this step as far as the filter decides it: this target's priority, else the
   * last one set by an earlier target of the filter; `undefined` means the task keeps the priority it had.
   */
  readonly effectivePriority: number | undefined;
  /** The timeout written on this target, in seconds; `undefined` means the step never times out. */
  readonly timeout: number | undefined;
  /**
   * When the step times out, in seconds since the task entered the filter: the sum of this and every earlier
   * target's timeout (targets without one add nothing). TaskRouter measures it against the task's age, so for
   * the first filter a task enters it is the age at which the task moves on. `undefined` when `timeout` is.
   */
  readonly cumulativeTimeout: number | undefined;
  /** Worker selector, evaluated with scopes `{ task, worker }`. */
  readonly expression: CompiledExpression | undefined;
  /** Skip condition, evaluated on entry with scope `{ workers: { available, unavailable, [activitySid]: count } }`. */
  readonly skipIf: CompiledExpression | undefined;
  /** Worker ordering clauses, most significant first (empty when not set). */
  readonly orderBy: readonly OrderByClause[];
  /** The known-agent setting, if any. */
  readonly knownWorker: CompiledKnownWorker | undefined;
  /** The target exactly as written in the configuration (canonical form). */
  readonly definition: WorkflowTargetJSON;
}

/** A filter with its expression and targets compiled. */
export interface CompiledFilter {
  /** Position in the configuration's filter list. */
  readonly index: number;
  /** The filter's display name, if any. */
  readonly friendlyName: string | undefined;
  /** The filter's condition, evaluated against the task's attributes with no scopes. */
  readonly expression: CompiledExpression;
  /** The steps, in order. */
  readonly targets: readonly CompiledTarget[];
}

/**
 * A workflow configuration prepared for fast, repeated routing decisions. Pure data and functions:
 * no clock and no I/O, so an emulator can drive it step by step.
 */
export interface CompiledWorkflow {
  /** The configuration in canonical wire form. */
  readonly configuration: WorkflowConfigurationJSON;
  /** The filters, in evaluation order. */
  readonly filters: readonly CompiledFilter[];
  /** The default target, if the configuration has one. */
  readonly defaultTarget: CompiledTarget | undefined;
}

const compiledWorkflows = new WeakSet<CompiledWorkflow>();
const compiledByConfig = new WeakMap<WorkflowConfig, CompiledWorkflow>();

function parseOrderBy(orderBy: string | undefined): OrderByClause[] {
  if (orderBy === undefined) return [];
  return orderBy.split(',').map((clause) => {
    const [key = '', direction = 'ASC'] = clause.trim().split(/\s+/);
    return {
      attribute: key.replace(/^worker\./, ''),
      direction: direction.toUpperCase() === 'DESC' ? 'DESC' : 'ASC',
    };
  });
}

function compileKnownWorker(definition: WorkflowTargetJSON): CompiledKnownWorker | undefined {
  const field =
    definition.known_worker_sid !== undefined
      ? 'known_worker_sid'
      : definition.known_worker_friendly_name !== undefined
        ? 'known_worker_friendly_name'
        : undefined;
  if (field === undefined) return undefined;
  const reference = definition[field]!;
  const read = compileOperand(parseKeyReference(reference));
  return Object.freeze({
    field,
    reference,
    resolve: (taskAttributes: unknown) => read(undefined, { task: taskAttributes }),
  });
}

/** Syntax trees already parsed, by source; an expression missing from it is parsed here. */
type ParsedExpressions = ReadonlyMap<string, Expression> | undefined;

function compileSource(source: string, parsed: ParsedExpressions): CompiledExpression {
  return compileExpression(parsed?.get(source) ?? source);
}

function compileTargets(
  definitions: readonly WorkflowTargetJSON[],
  parsed: ParsedExpressions,
): CompiledTarget[] {
  let queue = '';
  let effectivePriority: number | undefined;
  let elapsed = 0;
  return definitions.map((definition, index) => {
    queue = definition.queue ?? queue;
    effectivePriority = definition.priority ?? effectivePriority;
    if (definition.timeout !== undefined) elapsed += definition.timeout;
    return Object.freeze({
      index,
      queue,
      queueInherited: definition.queue === undefined,
      priority: definition.priority,
      effectivePriority,
      timeout: definition.timeout,
      cumulativeTimeout: definition.timeout === undefined ? undefined : elapsed,
      expression:
        definition.expression === undefined ? undefined : compileSource(definition.expression, parsed),
      skipIf: definition.skip_if === undefined ? undefined : compileSource(definition.skip_if, parsed),
      orderBy: Object.freeze(parseOrderBy(definition.order_by)),
      knownWorker: compileKnownWorker(definition),
      definition,
    });
  });
}

/**
 * Compiles a workflow configuration for routing. Semantics, as TaskRouter documents them:
 *
 * - Filters are tried top to bottom against the task's attributes; the first whose expression holds wins.
 * - Within the winning filter the targets are steps, in order. A target without `queue` uses the previous
 *   target's queue. A target's `priority` sets the task's priority; a target without one leaves it as it was.
 * - Timeouts are cumulative over a filter's targets and measured against the task's age (see
 *   {@link CompiledTarget.cumulativeTimeout}). When the last step times out the task moves to the next
 *   matching filter below ({@link findMatchingFilter} with the current index), and is canceled if none matches.
 * - `default_filter` applies only to a task that matched no filter (or skipped out of every matched one),
 *   never after a timeout.
 *
 * A {@link WorkflowConfig} instance is compiled once and cached, as it is immutable.
 *
 * @param config - a {@link WorkflowConfig}, JSON text, or a parsed configuration object
 * @returns the compiled workflow
 * @throws {@link WorkflowConfigError} if the configuration is invalid
 *
 * @example
 * ```ts
 * const workflow = compileWorkflow(config);
 * const filterIndex = findMatchingFilter(workflow, task.attributes);
 * const firstStep = filterIndex >= 0 ? workflow.filters[filterIndex]!.targets[0] : workflow.defaultTarget;
 * ```
 */
export function compileWorkflow(config: WorkflowConfig | string | object): CompiledWorkflow {
  if (compiledWorkflows.has(config as CompiledWorkflow)) return config as CompiledWorkflow;
  const parsed = config instanceof WorkflowConfig ? config : WorkflowConfig.parse(config);
  const cached = compiledByConfig.get(parsed);
  if (cached !== undefined) return cached;
  if (parsed === config) {
    // Built by hand or by the builder rather than parsed: check it before trusting it.
    WorkflowConfig.parse(parsed);
  }
  const configuration = parsed.toJSON();
  const expressions = expressionsParsedFor(parsed);
  const { filters = [], default_filter } = configuration.task_routing;
  const workflow: CompiledWorkflow = Object.freeze({
    configuration,
    filters: Object.freeze(
      filters.map((filter, index) =>
        Object.freeze({
          index,
          friendlyName: filter.filter_friendly_name,
          expression: compileSource(filter.expression, expressions),
          targets: Object.freeze(compileTargets(filter.targets, expressions)),
        }),
      ),
    ),
    defaultTarget:
      default_filter === undefined ? undefined : compileTargets([default_filter], expressions)[0],
  });
  compiledWorkflows.add(workflow);
  compiledByConfig.set(parsed, workflow);
  return workflow;
}

/**
 * Finds the first filter after `afterIndex` whose expression holds for the task. Call it with the
 * default `-1` for a new task, and with the current filter's index when the task times out of that
 * filter's last target.
 *
 * @param workflow - a compiled workflow
 * @param taskAttributes - the task's attributes
 * @param afterIndex - only filters with a greater index are considered
 * @returns the filter's index, or -1 when none matches
 */
export function findMatchingFilter(
  workflow: CompiledWorkflow,
  taskAttributes: unknown,
  afterIndex = -1,
): number {
  const { filters } = workflow;
  for (let i = Math.max(afterIndex + 1, 0); i < filters.length; i++) {
    if (filters[i]!.expression(taskAttributes)) return i;
  }
  return -1;
}
