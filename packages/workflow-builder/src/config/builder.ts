import { WorkflowConfig, WorkflowRule, WorkflowRuleTarget } from './classic.js';
import type { DefaultTargetOptions, TargetOptions } from './types.js';
import { WorkflowConfigError, validateWorkflowConfig } from './validate.js';

/** A builder at the top level: add a filter, set the default target, or build. */
export interface WorkflowBuilder {
  /**
   * Starts a filter; its first target must name a queue.
   * @param expression - condition over task attributes (no prefix); `1==1` matches every task
   * @param friendlyName - display name, written as `filter_friendly_name`
   */
  filter(expression: string, friendlyName?: string): WorkflowFilterBuilder;
  /**
   * Sets where tasks that match no filter go. Comes last: no filter can be added afterwards.
   * @param queue - TaskQueue SID
   * @param options - other target keys (a default target has no timeout)
   */
  defaultFilter(queue: string, options?: DefaultTargetOptions): WorkflowBuilderWithDefault;
  /**
   * Validates and returns the configuration.
   * @throws {@link WorkflowConfigError} listing every problem
   */
  build(): WorkflowConfig;
}

/** A builder inside a filter that has no target yet: the only way on is a target with a queue. */
export interface WorkflowFilterBuilder {
  /**
   * Adds the filter's first target.
   * @param queue - TaskQueue SID (`WQ…`); later targets inherit it
   * @param options - the other target keys
   */
  target(queue: string, options?: TargetOptions): WorkflowTargetBuilder;
}

/** A builder inside a filter with at least one target: add another target, or continue at the top level. */
export interface WorkflowTargetBuilder extends WorkflowBuilder {
  /**
   * Adds a target in another queue.
   * @param queue - TaskQueue SID
   * @param options - the other target keys
   */
  target(queue: string, options?: TargetOptions): WorkflowTargetBuilder;
  /**
   * Adds a target in the same queue as the previous one.
   * @param options - the target keys
   */
  target(options: TargetOptions): WorkflowTargetBuilder;
}

/** A builder whose default target is set: only `build()` is left. */
export interface WorkflowBuilderWithDefault {
  /**
   * Validates and returns the configuration.
   * @throws {@link WorkflowConfigError} listing every problem
   */
  build(): WorkflowConfig;
}

const toTarget = (queue: string | undefined, options: TargetOptions = {}): WorkflowRuleTarget =>
  new WorkflowRuleTarget(queue, undefined, undefined, undefined, options);

/** One implementation behind every builder interface; each call returns a new builder. */
class FluentWorkflowBuilder
  implements WorkflowTargetBuilder, WorkflowFilterBuilder, WorkflowBuilderWithDefault
{
  constructor(
    private readonly rules: readonly WorkflowRule[],
    private readonly defaultTarget: WorkflowRuleTarget | undefined,
  ) {}

  filter(expression: string, friendlyName?: string): WorkflowFilterBuilder {
    return new FluentWorkflowBuilder(
      [...this.rules, new WorkflowRule(expression, [], friendlyName)],
      this.defaultTarget,
    );
  }

  target(queueOrOptions: string | TargetOptions, options?: TargetOptions): WorkflowTargetBuilder {
    const target =
      typeof queueOrOptions === 'string'
        ? toTarget(queueOrOptions, options)
        : toTarget(undefined, queueOrOptions);
    const current = this.rules.at(-1);
    if (current === undefined) throw new TypeError('target() needs a filter: call filter() first');
    const extended = new WorkflowRule(current.expression, [...current.targets, target], current.friendlyName);
    return new FluentWorkflowBuilder([...this.rules.slice(0, -1), extended], this.defaultTarget);
  }

  defaultFilter(queue: string, options?: DefaultTargetOptions): WorkflowBuilderWithDefault {
    return new FluentWorkflowBuilder(this.rules, toTarget(queue, options));
  }

  build(): WorkflowConfig {
    const config = new WorkflowConfig(this.rules, this.defaultTarget);
    const problems = validateWorkflowConfig(config);
    if (problems.length > 0) throw new WorkflowConfigError(problems);
    return config;
  }
}

/**
 * Starts a fluent, typed builder for a workflow configuration. The types follow the document's rules:
 * a filter's first target must name a queue (later ones may inherit it), a target takes at most one
 * known-worker option, a filter needs a target before the next filter or `build()`, and the default
 * target comes last. `build()` validates the result like {@link validateWorkflowConfig}.
 *
 * @returns an empty builder
 *
 * @example
 * ```ts
 * const config = workflowBuilder()
 *   .filter('type == "support"', 'Support')
 *   .target(SUPPORT_QUEUE, { priority: 10, timeout: 30, orderBy: [{ attribute: 'level', direction: 'DESC' }] })
 *   .target({ expression: 'worker.level >= 3', skipIf: 'workers.available == 0' })
 *   .filter('1==1', 'Everything else')
 *   .target(EVERYONE_QUEUE, { knownWorkerSid: 'task.agent_sid', timeout: 60 })
 *   .defaultFilter(EVERYONE_QUEUE)
 *   .build();
 * ```
 */
export function workflowBuilder(): WorkflowBuilder {
  return new FluentWorkflowBuilder([], undefined);
}
