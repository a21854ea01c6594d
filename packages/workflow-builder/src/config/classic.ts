import type {
  OrderByClause,
  TargetOptions,
  WorkflowConfigurationJSON,
  WorkflowFilterJSON,
  WorkflowTargetJSON,
} from './types.js';
import type { Expression } from '../expression/ast.js';
import { WorkflowConfigError, readWorkflowConfig } from './validate.js';

/** The syntax trees parsing a configuration produced, kept so compiling it parses nothing again. */
const parsedExpressions = new WeakMap<WorkflowConfig, ReadonlyMap<string, Expression>>();

/**
 * The expressions {@link WorkflowConfig.parse} parsed for a configuration, by source.
 * @internal
 */
export function expressionsParsedFor(config: WorkflowConfig): ReadonlyMap<string, Expression> | undefined {
  return parsedExpressions.get(config);
}

function orderByText(orderBy: string | readonly OrderByClause[] | undefined): string | undefined {
  if (orderBy === undefined || typeof orderBy === 'string') return orderBy;
  return orderBy.map(({ attribute, direction }) => `worker.${attribute} ${direction}`).join(', ');
}

/**
 * One routing step: the queue a task waits in, and optionally which workers of it qualify, the task's
 * priority, and how long the step lasts. Mirrors the classic helper class, whose positional arguments
 * were `(queue, expression, priority, timeout)`; the remaining target keys go in `options`.
 *
 * @example
 * ```ts
 * new WorkflowRuleTarget('WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'worker.level > 2', 10, 30).toJSON();
 * // { queue: 'WQaaaa…', expression: 'worker.level > 2', priority: 10, timeout: 30 }
 * ```
 */
export class WorkflowRuleTarget {
  /** TaskQueue SID; `undefined` on a later target of a filter means "same queue as the previous target". */
  readonly queue: string | undefined;
  /** Worker selector over `task.`/`worker.` prefixed keys. */
  readonly expression: string | undefined;
  /** Task priority while in this step. */
  readonly priority: number | undefined;
  /** Seconds before the task moves to the next step. */
  readonly timeout: number | undefined;
  /** Worker ordering, e.g. `worker.level DESC`. */
  readonly orderBy: string | undefined;
  /** Condition over `workers.*` counts that skips this step on entry. */
  readonly skipIf: string | undefined;
  /** Task attribute reference holding the known worker's SID, e.g. `task.agent_sid`. */
  readonly knownWorkerSid: string | undefined;
  /** Task attribute reference holding the known worker's friendly name. */
  readonly knownWorkerFriendlyName: string | undefined;

  /**
   * @param queue - TaskQueue SID (`WQ…`); may be omitted on a later target of a filter to inherit the queue
   * @param expression - worker selector, every key prefixed with `task.` or `worker.`
   * @param priority - task priority while in this step
   * @param timeout - seconds before moving on to the next step
   * @param options - the other target keys (`orderBy`, `skipIf`, known-worker references); `expression`,
   * `priority` and `timeout` here are used when the positional argument is undefined
   */
  constructor(
    queue?: string,
    expression?: string,
    priority?: number,
    timeout?: number,
    options: TargetOptions = {},
  ) {
    this.queue = queue;
    this.expression = expression ?? options.expression;
    this.priority = priority ?? options.priority;
    this.timeout = timeout ?? options.timeout;
    this.orderBy = orderByText(options.orderBy);
    this.skipIf = options.skipIf;
    this.knownWorkerSid = options.knownWorkerSid;
    this.knownWorkerFriendlyName = options.knownWorkerFriendlyName;
    Object.freeze(this);
  }

  /** @returns the target as TaskRouter stores it, without unset keys */
  toJSON(): WorkflowTargetJSON {
    const json: WorkflowTargetJSON = {};
    if (this.queue !== undefined) json.queue = this.queue;
    if (this.expression !== undefined) json.expression = this.expression;
    if (this.priority !== undefined) json.priority = this.priority;
    if (this.timeout !== undefined) json.timeout = this.timeout;
    if (this.orderBy !== undefined) json.order_by = this.orderBy;
    if (this.skipIf !== undefined) json.skip_if = this.skipIf;
    if (this.knownWorkerSid !== undefined) json.known_worker_sid = this.knownWorkerSid;
    if (this.knownWorkerFriendlyName !== undefined)
      json.known_worker_friendly_name = this.knownWorkerFriendlyName;
    return json;
  }

  /** @internal */
  static fromJSON(json: WorkflowTargetJSON): WorkflowRuleTarget {
    return new WorkflowRuleTarget(json.queue, json.expression, json.priority, json.timeout, {
      orderBy: json.order_by,
      skipIf: json.skip_if,
      ...(json.known_worker_sid === undefined
        ? { knownWorkerFriendlyName: json.known_worker_friendly_name }
        : { knownWorkerSid: json.known_worker_sid }),
    });
  }
}

/**
 * A filter: tasks whose attributes satisfy `expression` are routed through `targets` in order.
 * Same argument order as the classic helper class.
 *
 * @example
 * ```ts
 * new WorkflowRule('type == "support"', [new WorkflowRuleTarget('WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')], 'Support');
 * ```
 */
export class WorkflowRule {
  /** Condition over task attributes (no prefix). */
  readonly expression: string;
  /** The ordered routing steps. */
  readonly targets: readonly WorkflowRuleTarget[];
  /** Display name, written as `filter_friendly_name`. */
  readonly friendlyName: string | undefined;

  /**
   * @param expression - condition over task attributes
   * @param targets - the ordered routing steps (copied)
   * @param friendlyName - display name of the filter
   */
  constructor(expression: string, targets: readonly WorkflowRuleTarget[], friendlyName?: string) {
    this.expression = expression;
    this.targets = Object.freeze([...targets]);
    this.friendlyName = friendlyName;
    Object.freeze(this);
  }

  /** @returns the filter as TaskRouter stores it */
  toJSON(): WorkflowFilterJSON {
    const json: WorkflowFilterJSON = {
      expression: this.expression,
      targets: this.targets.map((t) => t.toJSON()),
    };
    // Put the name first, as TaskRouter's own documents do.
    return this.friendlyName === undefined ? json : { filter_friendly_name: this.friendlyName, ...json };
  }
}

/**
 * A complete workflow configuration: filters tried top to bottom (first match wins) and an optional
 * default target for tasks that match none. Immutable; `JSON.stringify(config)` is the wire form to
 * send as a workflow's `Configuration`.
 *
 * @example
 * ```ts
 * const config = new WorkflowConfig(
 *   [new WorkflowRule('type == "support"', [new WorkflowRuleTarget(SUPPORT_QUEUE, undefined, 10, 30)], 'Support')],
 *   new WorkflowRuleTarget(EVERYONE_QUEUE),
 * );
 * await client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
 *   body: { FriendlyName: 'Support', Configuration: JSON.stringify(config) },
 * });
 * ```
 */
export class WorkflowConfig {
  /** The filters, in evaluation order. */
  readonly rules: readonly WorkflowRule[];
  /** Where tasks that match no filter go. */
  readonly defaultTarget: WorkflowRuleTarget | undefined;

  /**
   * @param rules - the filters, in evaluation order (copied)
   * @param defaultTarget - where tasks matching no filter go
   */
  constructor(rules: readonly WorkflowRule[], defaultTarget?: WorkflowRuleTarget) {
    this.rules = Object.freeze([...rules]);
    this.defaultTarget = defaultTarget;
    Object.freeze(this);
  }

  /**
   * @returns the configuration as TaskRouter expects it: `filters` when there are rules,
   * `default_filter` when there is a default target, unset keys omitted
   */
  toJSON(): WorkflowConfigurationJSON {
    const taskRouting: WorkflowConfigurationJSON['task_routing'] = {};
    if (this.rules.length > 0) taskRouting.filters = this.rules.map((rule) => rule.toJSON());
    if (this.defaultTarget !== undefined) taskRouting.default_filter = this.defaultTarget.toJSON();
    return { task_routing: taskRouting };
  }

  /**
   * Reads a configuration as stored by TaskRouter or written by hand, including legacy spellings
   * (`friendly_name` for a filter's name, `task_queue_sid` for a queue, numeric strings, explicit
   * nulls). The result's `toJSON()` is the canonical form, and parsing that again gives the same.
   *
   * @param input - JSON text or an already parsed object
   * @returns the configuration
   * @throws {@link WorkflowConfigError} listing every problem (see {@link validateWorkflowConfig})
   *
   * @example
   * ```ts
   * const workflow = await client.GET('/v1/Workspaces/{WorkspaceSid}/Workflows/{Sid}', { params });
   * const config = WorkflowConfig.parse(workflow.data!.configuration!);
   * ```
   */
  static parse(input: string | object): WorkflowConfig {
    const { configuration, problems, expressions } = readWorkflowConfig(input);
    if (configuration === undefined || problems.length > 0) throw new WorkflowConfigError(problems);
    const { filters = [], default_filter } = configuration.task_routing;
    const config = new WorkflowConfig(
      filters.map(
        (filter) =>
          new WorkflowRule(
            filter.expression,
            filter.targets.map(WorkflowRuleTarget.fromJSON),
            filter.filter_friendly_name,
          ),
      ),
      default_filter === undefined ? undefined : WorkflowRuleTarget.fromJSON(default_filter),
    );
    parsedExpressions.set(config, expressions);
    return config;
  }
}
