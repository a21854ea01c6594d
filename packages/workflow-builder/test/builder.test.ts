import { describe, expect, it } from 'vitest';
import { WorkflowConfig, WorkflowConfigError, workflowBuilder } from '../src/index.js';

const SUPPORT = `WQ${'1'.repeat(32)}`;
const EVERYONE = `WQ${'2'.repeat(32)}`;

describe('workflowBuilder', () => {
  it('builds the same document as the classic classes, covering every target option', () => {
    const config = workflowBuilder()
      .filter('type == "support"', 'Support')
      .target(SUPPORT, {
        expression: 'task.language IN worker.languages',
        priority: 10,
        timeout: 30,
        orderBy: [{ attribute: 'level', direction: 'DESC' }],
        skipIf: 'workers.available == 0',
        knownWorkerSid: 'task.agent_sid',
      })
      .target({ expression: 'worker.level >= 3', timeout: 60, orderBy: 'worker.tenure ASC' })
      .target(EVERYONE, { knownWorkerFriendlyName: 'task.agent_name' })
      .filter('1==1')
      .target(EVERYONE)
      .defaultFilter(EVERYONE, { priority: 1 })
      .build();

    expect(config).toBeInstanceOf(WorkflowConfig);
    expect(config.toJSON()).toEqual({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'Support',
            expression: 'type == "support"',
            targets: [
              {
                queue: SUPPORT,
                expression: 'task.language IN worker.languages',
                priority: 10,
                timeout: 30,
                order_by: 'worker.level DESC',
                skip_if: 'workers.available == 0',
                known_worker_sid: 'task.agent_sid',
              },
              { expression: 'worker.level >= 3', timeout: 60, order_by: 'worker.tenure ASC' },
              { queue: EVERYONE, known_worker_friendly_name: 'task.agent_name' },
            ],
          },
          { expression: '1==1', targets: [{ queue: EVERYONE }] },
        ],
        default_filter: { queue: EVERYONE, priority: 1 },
      },
    });
  });

  it('builds a configuration with only a default filter, or with no default', () => {
    expect(workflowBuilder().defaultFilter(EVERYONE).build().toJSON()).toEqual({
      task_routing: { default_filter: { queue: EVERYONE } },
    });
    expect(workflowBuilder().filter('1==1').target(SUPPORT).build().toJSON()).toEqual({
      task_routing: { filters: [{ expression: '1==1', targets: [{ queue: SUPPORT }] }] },
    });
  });

  it('never changes a builder once returned', () => {
    const base = workflowBuilder().filter('1==1').target(SUPPORT);
    const longer = base.target({ timeout: 10 });
    expect(base.build().rules[0]!.targets).toHaveLength(1);
    expect(longer.build().rules[0]!.targets).toHaveLength(2);
  });

  it('validates on build and lists every problem', () => {
    const attempt = () =>
      workflowBuilder()
        .filter('type == ', 'Broken')
        .target('WQ123', { priority: -1, expression: 'level > 1' })
        .build();
    expect(attempt).toThrow(WorkflowConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as WorkflowConfigError).problems.map((p) => p.path)).toEqual([
        '$.task_routing.filters[0].expression',
        '$.task_routing.filters[0].targets[0].queue',
        '$.task_routing.filters[0].targets[0].expression',
        '$.task_routing.filters[0].targets[0].priority',
      ]);
    }
  });

  it('refuses a target without a filter when types are bypassed', () => {
    const untyped = workflowBuilder() as unknown as { target(queue: string): unknown };
    expect(() => untyped.target(SUPPORT)).toThrow(/call filter\(\) first/);
  });
});
