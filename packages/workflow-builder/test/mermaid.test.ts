import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toMermaid, workflowBuilder } from '../src/index.js';

const SUPPORT = `WQ${'1'.repeat(32)}`;
const EVERYONE = `WQ${'2'.repeat(32)}`;

describe('toMermaid', () => {
  it('draws filters as decisions, targets as boxes, timeouts and skips as edges, and the default last', () => {
    const config = workflowBuilder()
      .filter('type == "support"', 'Support')
      .target(SUPPORT, { priority: 10, timeout: 30, orderBy: 'worker.level DESC' })
      .target({ expression: 'worker.level >= 3', timeout: 20, skipIf: 'workers.available == 0' })
      .filter('1==1')
      .target(EVERYONE, { knownWorkerSid: 'task.agent_sid' })
      .defaultFilter(EVERYONE)
      .build();
    expect(toMermaid(config).split('\n')).toEqual([
      'flowchart TD',
      '  task(["New task"])',
      '  f0{"Support: type == #34;support#34;"}',
      '  task --> f0',
      `  f0t0["1. queue ${SUPPORT}<br/>priority 10<br/>order by level DESC"]`,
      '  f0 -->|yes| f0t0',
      '  f0t0 -->|"timeout 30 s (at 30 s)"| f0t1',
      `  f0t1["2. queue ${SUPPORT} (inherited)<br/>workers: worker.level #62;= 3"]`,
      '  f0t1 -->|"timeout 20 s (at 50 s)"| timeout_exit',
      '  f0t1 -.->|"skip if workers.available == 0"| skip_exit',
      '  f1{"Filter 1: 1 == 1"}',
      '  f0 -->|no| f1',
      `  f1t0["1. queue ${EVERYONE}<br/>known worker: task.agent_sid"]`,
      '  f1 -->|yes| f1t0',
      `  default["Default filter: queue ${EVERYONE}"]`,
      '  f1 -->|no| default',
      '  timeout_exit(["Next matching filter below, else canceled"])',
      '  skip_exit(["Next matching filter below, else default filter"])',
    ]);
  });

  it('draws a skip between steps and a workflow without default', () => {
    const text = readFileSync(new URL('./fixtures/skip-if.json', import.meta.url), 'utf8');
    const lines = toMermaid(text).split('\n');
    expect(lines).toContain(
      '  f0t1 -.->|"skip if workers.WA00000000000000000000000000000001 #60; 2 AND workers.unavailable #62; 5"| f0t2',
    );
    const noDefault = toMermaid({
      task_routing: { filters: [{ expression: 'a == 1', targets: [{ queue: SUPPORT }] }] },
    });
    expect(noDefault).toContain('  unrouted(["Not routed (no default filter)"])\n  f0 -->|no| unrouted');
    expect(noDefault).not.toContain('timeout_exit');
  });

  it('escapes characters Mermaid would read as syntax', () => {
    const config = workflowBuilder().filter('name == "#1 <vip>"', 'Say "hi"').target(SUPPORT).build();
    expect(toMermaid(config)).toContain('f0{"Say #34;hi#34;: name == #34;#35;1 #60;vip#62;#34;"}');
  });
});
