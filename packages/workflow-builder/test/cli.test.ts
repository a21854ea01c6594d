import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('taskrouter-workflow CLI', () => {
  beforeAll(() => {
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `pnpm --filter @taskrouter/workflow-builder build`');
  });

  it('reports a valid configuration and exits 0', () => {
    const result = run(['check', fixture('escalation.json')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/escalation\.json: valid \(2 filters, a default filter\)/);
  });

  it('prints every problem with its path and exits 1', () => {
    const broken = JSON.stringify({
      task_routing: {
        filters: [{ expression: 'skill-level > 3', targets: [{ queue: 'WQ1', priority: -2 }] }],
      },
    });
    const result = run(['check', '-'], broken);
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('-: 3 problems');
    expect(lines.slice(1).map((line) => line.trim().split(': ')[0])).toEqual([
      '$.task_routing.filters[0].expression',
      '$.task_routing.filters[0].targets[0].queue',
      '$.task_routing.filters[0].targets[0].priority',
    ]);
    expect(result.stdout).toContain('hyphens are not allowed');
  });

  it('exits 1 on text that is not JSON', () => {
    const result = run(['check', '-'], '{ nope');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\$: is not valid JSON/);
  });

  it('prints the route of a task given with --task', () => {
    const result = run(['check', fixture('escalation.json'), '--task', '{"type":"support"}']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(1, 6)).toEqual([
      'Route: filter 0 "Support escalation"',
      '  1. queue WQ00000000000000000000000000000011; priority 5; timeout 10 s (moves on at 10 s); workers: worker.tier == 1',
      '  2. queue WQ00000000000000000000000000000011 (inherited); priority 5 (inherited); timeout 10 s (moves on at 20 s); workers: worker.tier <= 2',
      '  3. queue WQ00000000000000000000000000000012; priority 20; timeout 10 s (moves on at 30 s)',
      '  4. queue WQ00000000000000000000000000000012 (inherited); priority 20 (inherited); no timeout; workers: worker.tier == 3',
    ]);
    expect(result.stdout).toContain('1 "Everything" [1 == 1]: expression holds, but filter 0 matched first');
  });

  it('prints the default route and why no filter matched', () => {
    const result = run(['check', fixture('documented-shape.json'), '--task={"type":"sales"}']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Route: default filter\n  queue WQ0000000000000000000000000000000c; no timeout',
    );
    expect(result.stdout).toContain('expression is false: type == "billing" is false (type is "sales")');
    expect(result.stdout).toContain('Default filter: no filter matched, so the default filter applies');
  });

  it('prints a Mermaid flowchart', () => {
    const result = run(['mermaid', fixture('fifo-template.json')]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(result.stdout).toContain('task --> default');
  });

  it.each([
    [[]],
    [['check']],
    [['lint', 'x.json']],
    [['check', 'x.json', '--task']],
    [['check', 'x.json', '--verbose']],
    [['mermaid', 'x.json', '--task', '{}']],
  ])('exits 2 with usage on bad arguments %j', (args) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });

  it('exits 2 on an unreadable file or task attributes that are not JSON', () => {
    expect(run(['check', fixture('missing.json')]).stderr).toMatch(/cannot read .*missing\.json/);
    const badTask = run(['check', fixture('escalation.json'), '--task', '{type}']);
    expect(badTask.status).toBe(2);
    expect(badTask.stderr).toContain('--task is not valid JSON');
  });

  it('prints usage on --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('taskrouter-workflow check FILE [--task JSON]');
  });
});
