import type { WorkflowConfig } from '../config/classic.js';
import { type CompiledTarget, type CompiledWorkflow, compileWorkflow } from './compile.js';

/** Mermaid labels are quoted; quotes, angle brackets and `#` must be written as entity codes. */
function label(text: string): string {
  return `"${text.replace(/[#"<>]/g, (c) => `#${c.charCodeAt(0)};`)}"`;
}

function targetLabel(title: string, target: CompiledTarget): string {
  const lines = [`${title}queue ${target.queue}${target.queueInherited ? ' (inherited)' : ''}`];
  if (target.expression !== undefined) lines.push(`workers: ${target.expression.source}`);
  if (target.priority !== undefined) lines.push(`priority ${target.priority}`);
  if (target.orderBy.length > 0) {
    lines.push(`order by ${target.orderBy.map((c) => `${c.attribute} ${c.direction}`).join(', ')}`);
  }
  if (target.knownWorker !== undefined) lines.push(`known worker: ${target.knownWorker.reference}`);
  return label(lines.join('\n')).replaceAll('\n', '<br/>');
}

/**
 * Draws a workflow as a Mermaid flowchart: the task enters at the top, each filter is a decision
 * (its "no" branch leads to the next filter, then to the default filter), each target is a box with
 * its queue, worker expression, priority, ordering and known-worker setting, and edges between targets
 * carry their timeouts (cumulative, in seconds) and skip conditions.
 *
 * @param config - a {@link WorkflowConfig}, a {@link CompiledWorkflow}, JSON text or a parsed configuration
 * @returns the flowchart source, ready for a ```` ```mermaid ```` block
 * @throws {@link WorkflowConfigError} if the configuration is invalid
 *
 * @example
 * ```ts
 * writeFileSync('workflow.md', '```mermaid\n' + toMermaid(config) + '\n```\n');
 * ```
 */
export function toMermaid(config: WorkflowConfig | CompiledWorkflow | string | object): string {
  const workflow = compileWorkflow(config);
  const lines = ['flowchart TD', `  task([${label('New task')}])`];
  const exits = new Set<string>();
  let previous = 'task';
  let previousEdge = '-->';

  workflow.filters.forEach((filter, f) => {
    const id = `f${f}`;
    const name = filter.friendlyName === undefined ? `Filter ${f}` : filter.friendlyName;
    lines.push(
      `  ${id}{${label(`${name}: ${filter.expression.source}`)}}`,
      `  ${previous} ${previousEdge} ${id}`,
    );
    filter.targets.forEach((target, t) => {
      const targetId = `${id}t${t}`;
      lines.push(`  ${targetId}[${targetLabel(`${t + 1}. `, target)}]`);
      if (t === 0) lines.push(`  ${id} -->|yes| ${targetId}`);
      const next = t + 1 < filter.targets.length ? `${id}t${t + 1}` : undefined;
      if (target.cumulativeTimeout !== undefined) {
        const destination = next ?? 'timeout_exit';
        if (next === undefined) exits.add('timeout_exit');
        lines.push(
          `  ${targetId} -->|${label(`timeout ${target.timeout} s (at ${target.cumulativeTimeout} s)`)}| ${destination}`,
        );
      }
      if (target.skipIf !== undefined) {
        const destination = next ?? 'skip_exit';
        if (next === undefined) exits.add('skip_exit');
        lines.push(`  ${targetId} -.->|${label(`skip if ${target.skipIf.source}`)}| ${destination}`);
      }
    });
    previous = id;
    previousEdge = '-->|no|';
  });

  if (workflow.defaultTarget !== undefined) {
    lines.push(`  default[${targetLabel('Default filter: ', workflow.defaultTarget)}]`);
    lines.push(`  ${previous} ${previousEdge} default`);
  } else {
    lines.push(
      `  unrouted([${label('Not routed (no default filter)')}])`,
      `  ${previous} ${previousEdge} unrouted`,
    );
  }
  if (exits.has('timeout_exit')) {
    lines.push(`  timeout_exit([${label('Next matching filter below, else canceled')}])`);
  }
  if (exits.has('skip_exit')) {
    lines.push(`  skip_exit([${label('Next matching filter below, else default filter')}])`);
  }
  return lines.join('\n');
}
