import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkflowConfig, WorkflowConfigError, WorkflowRule, WorkflowRuleTarget } from '../src/index.js';

const QUEUE_A = `WQ${'a'.repeat(32)}`;
const QUEUE_B = `WQ${'b'.repeat(32)}`;
const fixturesDir = new URL('./fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixturesDir), 'utf8');

describe('classic classes', () => {
  it('WorkflowRuleTarget(queue, expression, priority, timeout) writes the documented keys', () => {
    expect(new WorkflowRuleTarget(QUEUE_A, 'worker.level > 2', 10, 30).toJSON()).toEqual({
      queue: QUEUE_A,
      expression: 'worker.level > 2',
      priority: 10,
      timeout: 30,
    });
  });

  it('omits unset keys and keeps zero values', () => {
    expect(new WorkflowRuleTarget(QUEUE_A).toJSON()).toEqual({ queue: QUEUE_A });
    expect(new WorkflowRuleTarget(QUEUE_A, undefined, 0).toJSON()).toEqual({ queue: QUEUE_A, priority: 0 });
    expect(Object.keys(new WorkflowRuleTarget(undefined, 'worker.x == 1').toJSON())).toEqual(['expression']);
  });

  it('writes every other target option from the options argument', () => {
    const target = new WorkflowRuleTarget(QUEUE_A, undefined, undefined, 15, {
      orderBy: [
        { attribute: 'english_level', direction: 'DESC' },
        { attribute: 'skills.tenure', direction: 'ASC' },
      ],
      skipIf: 'workers.available == 0',
      knownWorkerSid: 'task.agent_sid',
    });
    expect(target.toJSON()).toEqual({
      queue: QUEUE_A,
      timeout: 15,
      order_by: 'worker.english_level DESC, worker.skills.tenure ASC',
      skip_if: 'workers.available == 0',
      known_worker_sid: 'task.agent_sid',
    });
    expect(
      new WorkflowRuleTarget(QUEUE_A, undefined, undefined, undefined, {
        orderBy: 'worker.level ASC',
        knownWorkerFriendlyName: 'task.agent_name',
        priority: 3,
      }).toJSON(),
    ).toEqual({
      queue: QUEUE_A,
      priority: 3,
      order_by: 'worker.level ASC',
      known_worker_friendly_name: 'task.agent_name',
    });
  });

  it('WorkflowRule(expression, targets, friendlyName) writes filter_friendly_name first', () => {
    const rule = new WorkflowRule('type == "support"', [new WorkflowRuleTarget(QUEUE_A)], 'Support');
    const json = rule.toJSON();
    expect(json).toEqual({
      filter_friendly_name: 'Support',
      expression: 'type == "support"',
      targets: [{ queue: QUEUE_A }],
    });
    expect(Object.keys(json)).toEqual(['filter_friendly_name', 'expression', 'targets']);
    expect(new WorkflowRule('1==1', [new WorkflowRuleTarget(QUEUE_A)]).toJSON()).toEqual({
      expression: '1==1',
      targets: [{ queue: QUEUE_A }],
    });
  });

  it('WorkflowConfig(rules, defaultTarget) serialises to the wire form with JSON.stringify', () => {
    const config = new WorkflowConfig(
      [
        new WorkflowRule(
          'type == "support"',
          [new WorkflowRuleTarget(QUEUE_A, undefined, 5, 30), new WorkflowRuleTarget(QUEUE_B)],
          'Support',
        ),
      ],
      new WorkflowRuleTarget(QUEUE_B),
    );
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'Support',
            expression: 'type == "support"',
            targets: [{ queue: QUEUE_A, priority: 5, timeout: 30 }, { queue: QUEUE_B }],
          },
        ],
        default_filter: { queue: QUEUE_B },
      },
    });
  });

  it('omits filters when there are no rules and default_filter when there is no default', () => {
    expect(new WorkflowConfig([], new WorkflowRuleTarget(QUEUE_A)).toJSON()).toEqual({
      task_routing: { default_filter: { queue: QUEUE_A } },
    });
    expect(
      new WorkflowConfig([new WorkflowRule('1==1', [new WorkflowRuleTarget(QUEUE_A)])]).toJSON(),
    ).toEqual({
      task_routing: { filters: [{ expression: '1==1', targets: [{ queue: QUEUE_A }] }] },
    });
  });

  it('copies and freezes its inputs', () => {
    const targets = [new WorkflowRuleTarget(QUEUE_A)];
    const rule = new WorkflowRule('1==1', targets);
    targets.push(new WorkflowRuleTarget(QUEUE_B));
    expect(rule.targets).toHaveLength(1);
    expect(Object.isFrozen(rule)).toBe(true);
    expect(Object.isFrozen(new WorkflowConfig([rule]).rules)).toBe(true);
  });
});

describe('WorkflowConfig.parse', () => {
  it('reads JSON text and objects alike', () => {
    const text = fixture('documented-shape.json');
    expect(WorkflowConfig.parse(text).toJSON()).toEqual(JSON.parse(text));
    expect(WorkflowConfig.parse(JSON.parse(text)).toJSON()).toEqual(JSON.parse(text));
  });

  it('reads legacy spellings, numeric strings and nulls into the canonical form', () => {
    const config = WorkflowConfig.parse(fixture('legacy-helper.json'));
    expect(config.toJSON()).toEqual({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'SomeQ',
            expression: '1==1',
            targets: [
              { queue: 'WQ00000000000000000000000000000042', expression: '1==1', priority: 1, timeout: 20 },
            ],
          },
        ],
        default_filter: { queue: 'WQ00000000000000000000000000000041' },
      },
    });
    expect(config.rules[0]!.friendlyName).toBe('SomeQ');
    const escalation = WorkflowConfig.parse(fixture('escalation.json'));
    expect(escalation.rules[0]!.targets[0]).toMatchObject({ priority: 5, timeout: 10 });
  });

  it('prefers filter_friendly_name and queue when both spellings are present', () => {
    const config = WorkflowConfig.parse({
      task_routing: {
        filters: [
          {
            filter_friendly_name: 'New',
            friendly_name: 'Old',
            expression: '1==1',
            targets: [{ queue: QUEUE_A, task_queue_sid: QUEUE_B }],
          },
        ],
      },
    });
    expect(config.toJSON().task_routing.filters?.[0]).toEqual({
      filter_friendly_name: 'New',
      expression: '1==1',
      targets: [{ queue: QUEUE_A }],
    });
  });

  it.each(readdirSync(fixturesDir).filter((name) => name.endsWith('.json')))(
    'round-trips %s: parse then toJSON is stable',
    (name) => {
      const once = WorkflowConfig.parse(fixture(name)).toJSON();
      const twice = WorkflowConfig.parse(JSON.stringify(once)).toJSON();
      expect(twice).toEqual(once);
      expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    },
  );

  it('throws one WorkflowConfigError listing every problem', () => {
    const bad = {
      task_routing: {
        filters: [
          { expression: 'a ==', targets: [{ priority: -1 }] },
          { expression: '1==1', targets: [] },
        ],
      },
    };
    let caught: unknown;
    try {
      WorkflowConfig.parse(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkflowConfigError);
    const error = caught as WorkflowConfigError;
    expect(error.problems.map((p) => p.path)).toEqual([
      '$.task_routing.filters[0].expression',
      '$.task_routing.filters[0].targets[0].queue',
      '$.task_routing.filters[0].targets[0].priority',
      '$.task_routing.filters[1].targets',
    ]);
    expect(error.message).toContain('Invalid workflow configuration (4 problems)');
    expect(error.message).toContain('$.task_routing.filters[1].targets: must be a non-empty array');
  });

  it('rejects text that is not JSON', () => {
    expect(() => WorkflowConfig.parse('{"task_routing":')).toThrow(/\$: is not valid JSON/);
  });
});
