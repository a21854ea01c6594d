/**
 * One routing step of a filter, in the form TaskRouter stores it. Unset keys are omitted.
 */
export interface WorkflowTargetJSON {
  /** TaskQueue SID (`WQ…`). Required on a filter's first target; later targets inherit it. */
  queue?: string | undefined;
  /** Worker selector evaluated per worker; every key is prefixed with `task.` or `worker.`. */
  expression?: string | undefined;
  /** Task priority while in this step; when absent the task keeps its current priority. */
  priority?: number | undefined;
  /** Seconds (cumulative over the filter's targets) before the task moves to the next step. */
  timeout?: number | undefined;
  /** Worker ordering, e.g. `worker.level DESC, worker.english ASC`. */
  order_by?: string | undefined;
  /** Skip this step on entry when true; reads `workers.available`, `workers.unavailable`, `workers.<ActivitySid>`. */
  skip_if?: string | undefined;
  /** Reference to the task attribute holding the only eligible worker's SID, e.g. `task.agent_sid`. */
  known_worker_sid?: string | undefined;
  /** Reference to the task attribute holding the only eligible worker's friendly name. */
  known_worker_friendly_name?: string | undefined;
}

/** One filter (a "rule"): tasks whose attributes satisfy `expression` go through `targets` in order. */
export interface WorkflowFilterJSON {
  /** Display name of the filter. */
  filter_friendly_name?: string | undefined;
  /** Condition over the task's attributes (no prefix). */
  expression: string;
  /** The ordered routing steps (at least one). */
  targets: WorkflowTargetJSON[];
}

/** The body of a workflow's `Configuration`. */
export interface WorkflowConfigurationJSON {
  /** Routing rules. */
  task_routing: {
    /** Filters tried top to bottom; the first whose expression holds wins. */
    filters?: WorkflowFilterJSON[];
    /** Where a task that matched no filter goes; it waits there until its TTL. */
    default_filter?: WorkflowTargetJSON;
  };
}

/** A worker ordering clause for a target's `order_by`. */
export interface OrderByClause {
  /** Worker attribute path without the `worker.` prefix, e.g. `skills.english_level`. */
  readonly attribute: string;
  /** Sort direction; only integer attributes are ordered by TaskRouter. */
  readonly direction: 'ASC' | 'DESC';
}

/**
 * The known-agent options of a target: at most one of `knownWorkerSid` and `knownWorkerFriendlyName`,
 * each a reference to a task attribute such as `task.agent_sid`.
 */
export type KnownWorkerOptions =
  | {
      /** Reference to the task attribute holding the worker's SID, e.g. `task.agent_sid`. */
      readonly knownWorkerSid: string;
      /** Excluded when `knownWorkerSid` is set. */
      readonly knownWorkerFriendlyName?: undefined;
    }
  | {
      /** Excluded when `knownWorkerFriendlyName` is set. */
      readonly knownWorkerSid?: undefined;
      /** Reference to the task attribute holding the worker's friendly name, e.g. `task.agent_name`. */
      readonly knownWorkerFriendlyName?: string;
    };

/** The options of a `default_filter` target besides its queue (a default target has no timeout). */
export type DefaultTargetOptions = {
  /** Worker selector; every key prefixed with `task.` or `worker.`. */
  readonly expression?: string | undefined;
  /** Task priority while in this step (0 to 2,147,483,647). */
  readonly priority?: number | undefined;
  /** Worker ordering, as written (`worker.level DESC`) or as clauses. */
  readonly orderBy?: string | readonly OrderByClause[] | undefined;
  /** Condition over `workers.*` counts that skips this step on entry. */
  readonly skipIf?: string | undefined;
} & KnownWorkerOptions;

/** Every option of a filter's target except its queue, in camelCase. */
export type TargetOptions = DefaultTargetOptions & {
  /** Positive whole seconds before moving on to the next step. */
  readonly timeout?: number;
};

/** Where a problem in a configuration is (a JSON path such as `$.task_routing.filters[0].targets[1].queue`) and what it is. */
export interface WorkflowConfigProblem {
  /** JSON path of the offending value, starting at `$`. */
  readonly path: string;
  /** What is wrong and, where useful, how to fix it. */
  readonly message: string;
}
