import { invalidParameter } from './errors.js';
import { type CompiledExpression, compileExpression, ExpressionSyntaxError } from './expressions.js';
import { hasSidShape } from './sid.js';

/** Largest configuration document TaskRouter stores, in bytes. */
export const MAX_CONFIGURATION_BYTES = 1_038_576;

/** One `order_by` clause: an integer worker attribute and its direction. */
export interface OrderByClause {
  /** Path below `worker.`, e.g. `['skills', 'level']`. */
  readonly path: readonly string[];
  readonly descending: boolean;
}

/** A routing step of a filter (or the default filter), with its queue resolved by inheritance. */
export interface WorkflowTarget {
  readonly queue: string;
  readonly expression: CompiledExpression | null;
  readonly priority: number | null;
  readonly timeout: number | null;
  readonly orderBy: readonly OrderByClause[];
  readonly skipIf: CompiledExpression | null;
  /** Task attribute path (after `task.`) naming the known worker, by SID or by friendly name. */
  readonly knownWorker: {
    readonly by: 'sid' | 'friendly_name';
    readonly attribute: readonly string[];
  } | null;
}

/** A filter: the first whose expression matches a task routes it. */
export interface WorkflowFilter {
  readonly friendlyName: string | null;
  readonly expression: CompiledExpression;
  readonly targets: readonly WorkflowTarget[];
}

/** A validated workflow configuration, ready for routing. */
export interface ParsedWorkflowConfiguration {
  readonly filters: readonly WorkflowFilter[];
  readonly defaultFilter: WorkflowTarget | null;
  /** Every queue the configuration can send a task to. */
  readonly queueSids: ReadonlySet<string>;
}

type JsonRecord = Record<string, unknown>;

/**
 * Validates a workflow `Configuration` document and returns its parsed form. Problems are
 * reported as 400 errors on `Configuration` with the JSON path of the offending value.
 */
export function parseWorkflowConfiguration(text: string): ParsedWorkflowConfiguration {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIGURATION_BYTES) {
    throw fail('', `must be at most ${MAX_CONFIGURATION_BYTES} bytes`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw fail('', `is not valid JSON (${(error as Error).message})`);
  }
  const root = record(document, '');
  const routing = record(root.task_routing, 'task_routing');
  const queueSids = new Set<string>();
  const filters: WorkflowFilter[] = [];
  if (routing.filters !== undefined && routing.filters !== null) {
    if (!Array.isArray(routing.filters)) throw fail('task_routing.filters', 'must be an array');
    routing.filters.forEach((raw, index) => {
      const path = `task_routing.filters[${index}]`;
      const filter = record(raw, path);
      const name = filter.filter_friendly_name ?? filter.friendly_name ?? null;
      if (name !== null && typeof name !== 'string')
        throw fail(`${path}.filter_friendly_name`, 'must be a string');
      if (typeof filter.expression !== 'string')
        throw fail(`${path}.expression`, 'is required and must be a string');
      const expression = expressionAt(filter.expression, `${path}.expression`);
      if (!Array.isArray(filter.targets) || filter.targets.length === 0) {
        throw fail(`${path}.targets`, 'must be a non-empty array');
      }
      let inherited: string | null = null;
      const targets = filter.targets.map((rawTarget, targetIndex) => {
        const target = parseTarget(rawTarget, `${path}.targets[${targetIndex}]`, inherited);
        inherited = target.queue;
        queueSids.add(target.queue);
        return target;
      });
      filters.push({ friendlyName: name, expression, targets });
    });
  }
  let defaultFilter: WorkflowTarget | null = null;
  if (routing.default_filter !== undefined && routing.default_filter !== null) {
    defaultFilter = parseTarget(routing.default_filter, 'task_routing.default_filter', null);
    queueSids.add(defaultFilter.queue);
  }
  if (filters.length === 0 && defaultFilter === null) {
    throw fail('task_routing', 'must have at least one filter or a default_filter');
  }
  return { filters, defaultFilter, queueSids };
}

function parseTarget(raw: unknown, path: string, inheritedQueue: string | null): WorkflowTarget {
  const target = record(raw, path);
  // Old documents name the default filter's queue `task_queue_sid`.
  const queueValue = target.queue ?? target.task_queue_sid ?? inheritedQueue;
  if (queueValue === null) throw fail(`${path}.queue`, 'is required on the first target of a filter');
  if (typeof queueValue !== 'string' || !hasSidShape(queueValue, 'WQ')) {
    throw fail(`${path}.queue`, `must be a TaskQueue SID (WQ...), got ${JSON.stringify(queueValue)}`);
  }
  const expression = optionalString(target.expression, `${path}.expression`);
  const compiled = expression === null ? null : expressionAt(expression, `${path}.expression`);
  if (compiled) {
    const unprefixed = compiled.keys.find((key) => !key.startsWith('task.') && !key.startsWith('worker.'));
    if (unprefixed !== undefined) {
      throw fail(`${path}.expression`, `key '${unprefixed}' must start with task. or worker.`);
    }
  }
  const skipIf = optionalString(target.skip_if, `${path}.skip_if`);
  const knownSid = optionalString(target.known_worker_sid, `${path}.known_worker_sid`);
  const knownName = optionalString(target.known_worker_friendly_name, `${path}.known_worker_friendly_name`);
  if (knownSid !== null && knownName !== null) {
    throw fail(path, 'must not set both known_worker_sid and known_worker_friendly_name');
  }
  const knownReference = knownSid ?? knownName;
  let knownWorker: WorkflowTarget['knownWorker'] = null;
  if (knownReference !== null) {
    const field = knownSid !== null ? 'known_worker_sid' : 'known_worker_friendly_name';
    if (!/^task\.[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/.test(knownReference)) {
      throw fail(
        `${path}.${field}`,
        `must reference a task attribute such as task.agent_id, got '${knownReference}'`,
      );
    }
    knownWorker = {
      by: knownSid !== null ? 'sid' : 'friendly_name',
      attribute: knownReference.split('.').slice(1),
    };
  }
  return {
    queue: queueValue,
    expression: compiled,
    priority: integerAt(target.priority, `${path}.priority`, 0),
    timeout: integerAt(target.timeout, `${path}.timeout`, 1),
    orderBy: parseOrderBy(optionalString(target.order_by, `${path}.order_by`), `${path}.order_by`),
    skipIf: skipIf === null ? null : expressionAt(skipIf, `${path}.skip_if`),
    knownWorker,
  };
}

function parseOrderBy(text: string | null, path: string): OrderByClause[] {
  if (text === null || text.trim() === '') return [];
  return text.split(',').map((clause) => {
    const match = /^\s*worker\.([A-Za-z0-9_$]+(?:\.[A-Za-z0-9_$]+)*)\s*(ASC|DESC)?\s*$/i.exec(clause);
    if (!match)
      throw fail(path, `clause '${clause.trim()}' must look like 'worker.<attribute> ASC' or '... DESC'`);
    return { path: match[1]!.split('.'), descending: match[2]?.toUpperCase() === 'DESC' };
  });
}

function expressionAt(text: string, path: string): CompiledExpression {
  try {
    return compileExpression(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError)
      throw fail(path, `is not a valid expression: ${error.message}`);
    throw error;
  }
}

function integerAt(value: unknown, path: string, minimum: number): number | null {
  if (value === undefined || value === null) return null;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < minimum) {
    throw fail(path, `must be an integer >= ${minimum}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw fail(path, 'must be a string');
  return value;
}

function record(value: unknown, path: string): JsonRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(path, 'must be a JSON object');
  }
  return value as JsonRecord;
}

function fail(path: string, reason: string) {
  return invalidParameter('Configuration', path === '' ? reason : `${path} ${reason}`);
}
