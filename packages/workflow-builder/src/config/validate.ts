import { listExpressionKeys } from '../expression/print.js';
import { parseExpression, parseKeyReference } from '../expression/parse.js';
import { ExpressionSyntaxError } from '../expression/syntax-error.js';
import type { Expression } from '../expression/ast.js';
import type {
  WorkflowConfigProblem,
  WorkflowConfigurationJSON,
  WorkflowFilterJSON,
  WorkflowTargetJSON,
} from './types.js';

/** Pattern of a TaskQueue SID: `WQ` followed by 32 hexadecimal digits. */
export const QUEUE_SID_PATTERN = /^WQ[0-9a-fA-F]{32}$/;

/** Largest `Configuration` TaskRouter stores, in bytes of UTF-8 JSON. */
export const MAX_CONFIGURATION_BYTES = 1_038_576;

/** Highest task priority TaskRouter accepts. */
export const MAX_PRIORITY = 2_147_483_647;

const ORDER_BY_CLAUSE = /^worker\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s+(?:ASC|DESC)$/i;

/**
 * Thrown by {@link WorkflowConfig.parse} and by the fluent builder's `build()` when a configuration
 * has problems. Lists every problem, not just the first.
 *
 * @example
 * ```ts
 * try {
 *   WorkflowConfig.parse('{"task_routing":{"filters":[{"expression":"1==1","targets":[]}]}}');
 * } catch (error) {
 *   if (error instanceof WorkflowConfigError) {
 *     for (const { path, message } of error.problems) console.log(path, message);
 *   }
 * }
 * ```
 */
export class WorkflowConfigError extends Error {
  /** Every problem found, in document order. */
  readonly problems: readonly WorkflowConfigProblem[];

  /** @param problems - the problems found (at least one) */
  constructor(problems: readonly WorkflowConfigProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(
      `Invalid workflow configuration (${count}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    );
    this.name = 'WorkflowConfigError';
    this.problems = problems;
  }
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isAbsent = (value: unknown): value is null | undefined => value === undefined || value === null;

/** Longest piece of a string value a problem message repeats. */
const MAX_SHOWN_LENGTH = 80;

/**
 * A short rendering of an offending value for a problem message. It never throws and stays
 * short whatever the input: a deeply nested or cyclic value is named by its kind, not serialised.
 */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_SHOWN_LENGTH ? `${value.slice(0, MAX_SHOWN_LENGTH)}…` : value);
  }
  if (Array.isArray(value)) return `an array of ${value.length} element${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

const hasToJSON = (value: unknown): value is { toJSON(): unknown } =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** Where a target sits, which decides the rules for its queue and expression. */
type TargetRole = 'first' | 'later' | 'default';

/**
 * Reads a configuration in any accepted spelling (numeric strings, `friendly_name`, `task_queue_sid`,
 * explicit nulls) into the canonical wire form, collecting every problem on the way.
 */
class ConfigurationReader {
  readonly problems: WorkflowConfigProblem[] = [];
  /** Every expression that parsed, by source, so compiling need not parse it again. */
  readonly expressions = new Map<string, Expression>();

  private report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  read(input: unknown): WorkflowConfigurationJSON | undefined {
    const document = this.toDocument(input);
    if (document === undefined) return undefined;
    if (!isObject(document)) {
      this.report('$', 'must be a JSON object with a task_routing key');
      return undefined;
    }
    const routing = document.task_routing;
    if (isAbsent(routing)) {
      this.report('$.task_routing', 'is required');
      return undefined;
    }
    if (!isObject(routing)) {
      this.report('$.task_routing', 'must be an object with filters and/or default_filter');
      return undefined;
    }
    const taskRouting: WorkflowConfigurationJSON['task_routing'] = {};
    const filters = routing.filters;
    if (!isAbsent(filters)) {
      if (!Array.isArray(filters)) {
        this.report('$.task_routing.filters', 'must be an array of filters');
      } else if (filters.length > 0) {
        taskRouting.filters = filters.map((filter, i) =>
          this.readFilter(`$.task_routing.filters[${i}]`, filter),
        );
      }
    }
    if (!isAbsent(routing.default_filter)) {
      taskRouting.default_filter = this.readTarget(
        '$.task_routing.default_filter',
        routing.default_filter,
        'default',
      );
    }
    return { task_routing: taskRouting };
  }

  private toDocument(input: unknown): unknown {
    if (typeof input === 'string') {
      const bytes = new TextEncoder().encode(input).length;
      if (bytes > MAX_CONFIGURATION_BYTES) {
        this.report('$', `is ${bytes} bytes; TaskRouter stores at most ${MAX_CONFIGURATION_BYTES}`);
        return undefined;
      }
      try {
        return JSON.parse(input);
      } catch (error) {
        this.report('$', `is not valid JSON (${(error as Error).message})`);
        return undefined;
      }
    }
    return hasToJSON(input) ? input.toJSON() : input;
  }

  private readFilter(path: string, raw: unknown): WorkflowFilterJSON {
    const filter: WorkflowFilterJSON = { expression: '', targets: [] };
    if (!isObject(raw)) {
      this.report(path, 'must be an object with expression and targets');
      return filter;
    }
    // `friendly_name` is the spelling older helper libraries wrote.
    const nameKey =
      isAbsent(raw.filter_friendly_name) && !isAbsent(raw.friendly_name)
        ? 'friendly_name'
        : 'filter_friendly_name';
    const name = this.readString(`${path}.${nameKey}`, raw[nameKey]);
    if (name !== undefined) filter.filter_friendly_name = name;

    const expression = this.readString(`${path}.expression`, raw.expression);
    if (expression === undefined) {
      // A non-string expression was already reported by readString.
      if (isAbsent(raw.expression) || typeof raw.expression === 'string') {
        this.report(
          `${path}.expression`,
          'is required: a condition over task attributes (1==1 matches every task)',
        );
      }
    } else {
      this.parse(`${path}.expression`, expression);
      filter.expression = expression;
    }

    const targets = raw.targets;
    if (!Array.isArray(targets) || targets.length === 0) {
      this.report(`${path}.targets`, 'must be a non-empty array: a filter without targets routes nowhere');
    } else {
      filter.targets = targets.map((target, i) =>
        this.readTarget(`${path}.targets[${i}]`, target, i === 0 ? 'first' : 'later'),
      );
    }
    return filter;
  }

  private readTarget(path: string, raw: unknown, role: TargetRole): WorkflowTargetJSON {
    const target: WorkflowTargetJSON = {};
    if (!isObject(raw)) {
      this.report(path, 'must be an object with a queue');
      return target;
    }
    // `task_queue_sid` is the spelling of old examples.
    const queueKey = isAbsent(raw.queue) && !isAbsent(raw.task_queue_sid) ? 'task_queue_sid' : 'queue';
    const queue = raw[queueKey];
    if (isAbsent(queue)) {
      if (role === 'first')
        this.report(
          `${path}.queue`,
          'is required on the first target of a filter (later targets inherit it)',
        );
      if (role === 'default') this.report(`${path}.queue`, 'is required');
    } else if (typeof queue !== 'string' || !QUEUE_SID_PATTERN.test(queue)) {
      this.report(
        `${path}.${queueKey}`,
        `must be a TaskQueue SID (WQ followed by 32 hex digits), got ${show(queue)}`,
      );
    } else {
      target.queue = queue;
    }

    const expression = this.readString(`${path}.expression`, raw.expression);
    if (expression !== undefined) {
      const ast = this.parse(`${path}.expression`, expression);
      if (ast !== undefined) this.requirePrefixes(`${path}.expression`, ast);
      target.expression = expression;
    }

    const priority = this.readInteger(`${path}.priority`, raw.priority, 0, 'must not be negative');
    if (priority !== undefined) target.priority = priority;
    if (role === 'default' && !isAbsent(raw.timeout)) {
      this.report(`${path}.timeout`, 'is not allowed: a task waits in the default filter until its TTL');
    } else {
      const timeout = this.readInteger(
        `${path}.timeout`,
        raw.timeout,
        1,
        'must be a positive number of seconds',
      );
      if (timeout !== undefined) target.timeout = timeout;
    }

    const orderBy = this.readString(`${path}.order_by`, raw.order_by);
    if (orderBy !== undefined) {
      for (const clause of orderBy.split(',').map((part) => part.trim())) {
        if (!ORDER_BY_CLAUSE.test(clause)) {
          this.report(
            `${path}.order_by`,
            `clause ${show(clause)} must look like "worker.<attribute> ASC" or "worker.<attribute> DESC"`,
          );
        }
      }
      target.order_by = orderBy;
    }

    const skipIf = this.readString(`${path}.skip_if`, raw.skip_if);
    if (skipIf !== undefined) {
      const ast = this.parse(`${path}.skip_if`, skipIf);
      for (const key of ast === undefined ? [] : listExpressionKeys(ast)) {
        if (!/^workers\.[A-Za-z_]\w*$/.test(key)) {
          this.report(
            `${path}.skip_if`,
            `reads ${JSON.stringify(key)}; skip_if can only read workers.available, workers.unavailable or workers.<ActivitySid>`,
          );
        }
      }
      target.skip_if = skipIf;
    }

    const knownSid = this.readKnownWorker(`${path}.known_worker_sid`, raw.known_worker_sid);
    const knownName = this.readKnownWorker(
      `${path}.known_worker_friendly_name`,
      raw.known_worker_friendly_name,
    );
    if (knownSid !== undefined && knownName !== undefined) {
      this.report(
        path,
        'sets both known_worker_sid and known_worker_friendly_name; a target may use only one',
      );
    }
    if (knownSid !== undefined) target.known_worker_sid = knownSid;
    if (knownName !== undefined) target.known_worker_friendly_name = knownName;
    return target;
  }

  /** Optional string: null, undefined and blank strings mean "not set". */
  private readString(path: string, value: unknown): string | undefined {
    if (isAbsent(value) || (typeof value === 'string' && value.trim() === '')) return undefined;
    if (typeof value === 'string') return value;
    this.report(path, `must be a string, got ${show(value)}`);
    return undefined;
  }

  /** TaskRouter accepts numbers and numeric strings (`"10"`) alike. */
  private readInteger(path: string, value: unknown, min: number, belowMin: string): number | undefined {
    if (isAbsent(value) || value === '') return undefined;
    const number = typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      this.report(path, `must be a number or a numeric string, got ${show(value)}`);
    } else if (!Number.isInteger(number)) {
      this.report(path, `must be a whole number, got ${number}`);
    } else if (number < min) {
      this.report(path, `${belowMin}, got ${number}`);
    } else if (number > MAX_PRIORITY) {
      this.report(path, `must be at most ${MAX_PRIORITY}, got ${number}`);
    } else {
      return number;
    }
    return undefined;
  }

  private readKnownWorker(path: string, value: unknown): string | undefined {
    const reference = this.readString(path, value);
    if (reference === undefined) return undefined;
    try {
      const key = parseKeyReference(reference);
      if (key.path[0] === 'task' && key.path.length > 1) return reference;
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
    }
    this.report(path, `must reference a task attribute such as "task.agent_sid", got ${show(reference)}`);
    return reference;
  }

  private parse(path: string, source: string): Expression | undefined {
    try {
      const expression = this.expressions.get(source) ?? parseExpression(source);
      this.expressions.set(source, expression);
      return expression;
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      this.report(path, `does not parse: ${error.message}`);
      return undefined;
    }
  }

  private requirePrefixes(path: string, expression: Expression): void {
    for (const key of listExpressionKeys(expression)) {
      if (!/^(?:task|worker)[.[]/.test(key)) {
        this.report(
          path,
          `uses ${JSON.stringify(key)} without a task. or worker. prefix; target expressions must prefix every key`,
        );
      }
    }
  }
}

/**
 * Reads a configuration into its canonical wire form and collects every problem.
 * @internal
 */
export function readWorkflowConfig(input: unknown): {
  configuration: WorkflowConfigurationJSON | undefined;
  problems: WorkflowConfigProblem[];
  /** The syntax tree of every expression that parsed, by source. */
  expressions: ReadonlyMap<string, Expression>;
} {
  const reader = new ConfigurationReader();
  const configuration = reader.read(input);
  return { configuration, problems: reader.problems, expressions: reader.expressions };
}

/**
 * Checks a workflow configuration and returns every problem found, each with a JSON path and a
 * reason (an empty array means the configuration is valid). Detects: text that is not JSON, a
 * missing `task_routing`, filters without targets, a first target without a queue, malformed queue
 * SIDs, negative or fractional priorities and timeouts, a timeout on the default filter, targets with
 * both known-worker options, target expressions with a key lacking the `task.`/`worker.` prefix,
 * `skip_if` reading anything but `workers.*`, malformed `order_by` clauses, known-worker values that
 * are not `task.` references, and every expression that does not parse.
 *
 * @param input - JSON text, a parsed object, or anything with a `toJSON()` method such as a {@link WorkflowConfig}
 * @returns the problems, in document order
 *
 * @example
 * ```ts
 * validateWorkflowConfig('{"task_routing":{"filters":[{"expression":"type == \\"x\\"","targets":[{"priority":-1}]}]}}');
 * // [
 * //   { path: '$.task_routing.filters[0].targets[0].queue', message: 'is required on the first target …' },
 * //   { path: '$.task_routing.filters[0].targets[0].priority', message: 'must not be negative, got -1' },
 * // ]
 * ```
 */
export function validateWorkflowConfig(input: unknown): WorkflowConfigProblem[] {
  return readWorkflowConfig(input).problems;
}
