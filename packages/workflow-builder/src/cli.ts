#!/usr/bin/env node
/**
 * `taskrouter-workflow`: checks workflow configurations and shows how a task would be routed.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { WorkflowConfig } from './config/classic.js';
import { validateWorkflowConfig } from './config/validate.js';
import type { CompiledTarget } from './routing/compile.js';
import { toMermaid } from './routing/mermaid.js';
import { explainRoute } from './routing/route.js';

const USAGE = `Usage:
  taskrouter-workflow check FILE [--task JSON]   validate a configuration; with --task, show the task's route
  taskrouter-workflow mermaid FILE               print the workflow as a Mermaid flowchart

FILE is a workflow Configuration in JSON ("-" reads standard input).
Exit status: 0 when valid, 1 when the configuration has problems, 2 on a usage error.`;

class UsageError extends Error {}

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function parseArguments(args: readonly string[]): {
  command: string;
  file: string;
  task: string | undefined;
} {
  const positional: string[] = [];
  let task: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--task') {
      task = args[++i];
      if (task === undefined) throw new UsageError('--task needs a JSON object of task attributes');
    } else if (arg.startsWith('--task=')) {
      task = arg.slice('--task='.length);
    } else if (arg.startsWith('--') && arg !== '--') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  const [command, file, ...extra] = positional;
  if (command === undefined || file === undefined || extra.length > 0)
    throw new UsageError('expected a command and one FILE');
  if (command !== 'check' && command !== 'mermaid') throw new UsageError(`unknown command ${command}`);
  if (task !== undefined && command !== 'check') throw new UsageError('--task only applies to check');
  return { command, file, task };
}

function describeTarget(target: CompiledTarget): string {
  const parts = [`queue ${target.queue}${target.queueInherited ? ' (inherited)' : ''}`];
  if (target.effectivePriority !== undefined) {
    parts.push(`priority ${target.effectivePriority}${target.priority === undefined ? ' (inherited)' : ''}`);
  }
  parts.push(
    target.timeout === undefined
      ? 'no timeout'
      : `timeout ${target.timeout} s (moves on at ${target.cumulativeTimeout} s)`,
  );
  if (target.expression !== undefined) parts.push(`workers: ${target.expression.source}`);
  if (target.orderBy.length > 0) {
    parts.push(`order by ${target.orderBy.map((c) => `${c.attribute} ${c.direction}`).join(', ')}`);
  }
  if (target.skipIf !== undefined) parts.push(`skip if ${target.skipIf.source}`);
  if (target.knownWorker !== undefined) parts.push(`known worker: ${target.knownWorker.reference}`);
  return parts.join('; ');
}

function printRoute(config: WorkflowConfig, taskText: string): void {
  let attributes: unknown;
  try {
    attributes = JSON.parse(taskText);
  } catch (error) {
    throw new UsageError(`--task is not valid JSON: ${(error as Error).message}`);
  }
  const { route, filters, defaultReason } = explainRoute(config, attributes);
  if (route.kind === 'filter') {
    const name = route.filterName === undefined ? '' : ` "${route.filterName}"`;
    console.log(`Route: filter ${route.filterIndex}${name}`);
    for (const target of route.targets) console.log(`  ${target.index + 1}. ${describeTarget(target)}`);
  } else if (route.kind === 'default') {
    console.log('Route: default filter');
    console.log(`  ${describeTarget(route.target)}`);
  } else {
    console.log('Route: none (no filter matched and there is no default filter)');
  }
  if (filters.length > 0) console.log('Filters:');
  for (const filter of filters) {
    const name = filter.friendlyName === undefined ? '' : ` "${filter.friendlyName}"`;
    console.log(`  ${filter.index}${name} [${filter.expression}]: ${filter.reason}`);
  }
  console.log(`Default filter: ${defaultReason}`);
}

function run(args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const { command, file, task } = parseArguments(args);
  const text = readInput(file);
  const problems = validateWorkflowConfig(text);
  if (problems.length > 0) {
    console.log(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const { path, message } of problems) console.log(`  ${path}: ${message}`);
    return 1;
  }
  const config = WorkflowConfig.parse(text);
  if (command === 'mermaid') {
    console.log(toMermaid(config));
    return 0;
  }
  const filterCount = config.rules.length;
  const defaultNote = config.defaultTarget === undefined ? 'no default filter' : 'a default filter';
  console.log(`${file}: valid (${filterCount} filter${filterCount === 1 ? '' : 's'}, ${defaultNote})`);
  if (task !== undefined) printRoute(config, task);
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`taskrouter-workflow: ${error.message}\n\n${USAGE}`);
  process.exitCode = 2;
}
