/** Workflow configurations: validated and compiled once, read by routing. */
import { type CompiledWorkflow, compileWorkflow, WorkflowConfigError } from '@taskrouter/workflow-builder';
import { invalidParameter } from './errors.js';

/** Seconds a reservation may stay pending when `TaskReservationTimeout` is not given. */
export const DEFAULT_TASK_RESERVATION_TIMEOUT = 120;

/** A validated workflow configuration, compiled for routing. */
export interface ParsedWorkflowConfiguration {
  readonly compiled: CompiledWorkflow;
  /** Every queue the configuration can send a task to. */
  readonly queueSids: ReadonlySet<string>;
}

/**
 * Validates and compiles a `Configuration` document with workflow-builder, so routing here and
 * offline simulation read configurations the same way. Every problem found is in the 400 message.
 */
export function parseWorkflowConfiguration(text: string): ParsedWorkflowConfiguration {
  let compiled: CompiledWorkflow;
  try {
    compiled = compileWorkflow(text);
  } catch (error) {
    if (error instanceof WorkflowConfigError) {
      throw invalidParameter(
        'Configuration',
        error.problems.map((problem) => `${problem.path} ${problem.message}`).join('; '),
      );
    }
    throw error;
  }
  sources.set(compiled, text);
  const queueSids = new Set<string>();
  for (const filter of compiled.filters) for (const target of filter.targets) queueSids.add(target.queue);
  if (compiled.defaultTarget) queueSids.add(compiled.defaultTarget.queue);
  return { compiled, queueSids };
}

/** The text each compiled configuration was read from. */
const sources = new WeakMap<CompiledWorkflow, string>();

/** The configuration text a compiled workflow was read from. */
export function configurationSource(compiled: CompiledWorkflow): string {
  const text = sources.get(compiled);
  if (text === undefined)
    throw new TypeError('configurationSource: not compiled by parseWorkflowConfiguration');
  return text;
}

/** Compiles a configuration that was valid when saved (snapshots). */
export function compiledConfiguration(text: string): CompiledWorkflow {
  return parseWorkflowConfiguration(text).compiled;
}
