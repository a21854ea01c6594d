import { describe, expect, it } from 'vitest';
import {
  MAX_CONFIGURATION_BYTES,
  WorkflowConfig,
  WorkflowRule,
  WorkflowRuleTarget,
  validateWorkflowConfig,
} from '../src/index.js';

const QUEUE = `WQ${'0'.repeat(31)}1`;
const F0 = '$.task_routing.filters[0]';

/** A configuration with one filter whose first target gets the given extra keys. */
const withTarget = (target: Record<string, unknown>, filter: Record<string, unknown> = {}) => ({
  task_routing: { filters: [{ expression: '1==1', targets: [{ queue: QUEUE, ...target }], ...filter }] },
});

const paths = (input: unknown) => validateWorkflowConfig(input).map((problem) => problem.path);

describe('validateWorkflowConfig', () => {
  it('accepts valid configurations, including a WorkflowConfig instance', () => {
    expect(validateWorkflowConfig(withTarget({}))).toEqual([]);
    expect(validateWorkflowConfig(JSON.stringify(withTarget({ priority: '7', timeout: '30' })))).toEqual([]);
    expect(validateWorkflowConfig({ task_routing: {} })).toEqual([]);
    const config = new WorkflowConfig([new WorkflowRule('1==1', [new WorkflowRuleTarget(QUEUE)])]);
    expect(validateWorkflowConfig(config)).toEqual([]);
  });

  it('reports text that is not JSON', () => {
    expect(validateWorkflowConfig('{ task_routing: }')).toEqual([
      { path: '$', message: expect.stringMatching(/^is not valid JSON \(/) },
    ]);
  });

  it('reports a document that is not an object', () => {
    expect(validateWorkflowConfig('[]')).toEqual([
      { path: '$', message: 'must be a JSON object with a task_routing key' },
    ]);
    expect(paths(null)).toEqual(['$']);
  });

  it('reports a missing or malformed task_routing', () => {
    expect(validateWorkflowConfig({ filters: [] })).toEqual([
      { path: '$.task_routing', message: 'is required' },
    ]);
    expect(paths({ task_routing: 'x' })).toEqual(['$.task_routing']);
    expect(paths({ task_routing: { filters: {} } })).toEqual(['$.task_routing.filters']);
    expect(paths({ task_routing: { filters: [42] } })).toEqual([F0]);
  });

  it('reports a configuration larger than TaskRouter stores', () => {
    const huge = JSON.stringify({ task_routing: {}, padding: 'x'.repeat(MAX_CONFIGURATION_BYTES) });
    expect(validateWorkflowConfig(huge)).toEqual([
      { path: '$', message: expect.stringContaining('at most 1038576') },
    ]);
  });

  it('reports a filter without targets', () => {
    const message = 'must be a non-empty array: a filter without targets routes nowhere';
    expect(
      validateWorkflowConfig({ task_routing: { filters: [{ expression: '1==1', targets: [] }] } }),
    ).toEqual([{ path: `${F0}.targets`, message }]);
    expect(paths({ task_routing: { filters: [{ expression: '1==1' }] } })).toEqual([`${F0}.targets`]);
  });

  it('reports a missing or unparsable filter expression', () => {
    expect(paths({ task_routing: { filters: [{ targets: [{ queue: QUEUE }] }] } })).toEqual([
      `${F0}.expression`,
    ]);
    const [problem] = validateWorkflowConfig(withTarget({}, { expression: 'skill-level > 3' }));
    expect(problem).toEqual({
      path: `${F0}.expression`,
      message: expect.stringMatching(/^does not parse: .*hyphen/),
    });
    expect(paths(withTarget({}, { expression: 42 }))).toEqual([`${F0}.expression`]);
  });

  it('requires a queue on the first target only', () => {
    const config = {
      task_routing: { filters: [{ expression: '1==1', targets: [{ priority: 1 }, { priority: 2 }] }] },
    };
    expect(validateWorkflowConfig(config)).toEqual([
      {
        path: `${F0}.targets[0].queue`,
        message: 'is required on the first target of a filter (later targets inherit it)',
      },
    ]);
    expect(paths({ task_routing: { default_filter: {} } })).toEqual(['$.task_routing.default_filter.queue']);
  });

  it('reports malformed queue SIDs under the key that was used', () => {
    expect(validateWorkflowConfig(withTarget({ queue: 'WW00000000000000000000000000000001' }))).toEqual([
      {
        path: `${F0}.targets[0].queue`,
        message:
          'must be a TaskQueue SID (WQ followed by 32 hex digits), got "WW00000000000000000000000000000001"',
      },
    ]);
    expect(paths(withTarget({ queue: `WQ${'g'.repeat(32)}` }))).toEqual([`${F0}.targets[0].queue`]);
    expect(paths(withTarget({ queue: 12 }))).toEqual([`${F0}.targets[0].queue`]);
    expect(paths({ task_routing: { default_filter: { task_queue_sid: 'WQ1' } } })).toEqual([
      '$.task_routing.default_filter.task_queue_sid',
    ]);
  });

  it.each([
    ['priority', -1, 'must not be negative, got -1'],
    ['priority', 1.5, 'must be a whole number, got 1.5'],
    ['priority', '2.5', 'must be a whole number, got 2.5'],
    ['priority', 'high', 'must be a number or a numeric string, got "high"'],
    ['priority', 2_147_483_648, 'must be at most 2147483647, got 2147483648'],
    ['timeout', -5, 'must be a positive number of seconds, got -5'],
    ['timeout', 0, 'must be a positive number of seconds, got 0'],
    ['timeout', 0.5, 'must be a whole number, got 0.5'],
    ['timeout', true, 'must be a number or a numeric string, got true'],
  ])('reports %s %j', (key, value, message) => {
    expect(validateWorkflowConfig(withTarget({ [key]: value }))).toEqual([
      { path: `${F0}.targets[0].${key}`, message },
    ]);
  });

  it('reports both known-worker options in one target', () => {
    const problems = validateWorkflowConfig(
      withTarget({ known_worker_sid: 'task.agent_sid', known_worker_friendly_name: 'task.agent_name' }),
    );
    expect(problems).toEqual([
      {
        path: `${F0}.targets[0]`,
        message: 'sets both known_worker_sid and known_worker_friendly_name; a target may use only one',
      },
    ]);
  });

  it('reports known-worker values that are not task attribute references', () => {
    expect(paths(withTarget({ known_worker_sid: 'WK00000000000000000000000000000001' }))).toEqual([
      `${F0}.targets[0].known_worker_sid`,
    ]);
    expect(paths(withTarget({ known_worker_friendly_name: 'worker.name' }))).toEqual([
      `${F0}.targets[0].known_worker_friendly_name`,
    ]);
    expect(paths(withTarget({ known_worker_sid: 'task' }))).toEqual([`${F0}.targets[0].known_worker_sid`]);
    expect(paths(withTarget({ known_worker_sid: 'task.a == 1' }))).toEqual([
      `${F0}.targets[0].known_worker_sid`,
    ]);
    expect(paths(withTarget({ known_worker_sid: 'task.agent.sids[0]' }))).toEqual([]);
  });

  it('reports target expression keys without the task. or worker. prefix', () => {
    const problems = validateWorkflowConfig(
      withTarget({ expression: 'task.language IN worker.languages AND level > 2 AND tags[0] == "x"' }),
    );
    expect(problems).toEqual([
      {
        path: `${F0}.targets[0].expression`,
        message: 'uses "level" without a task. or worker. prefix; target expressions must prefix every key',
      },
      {
        path: `${F0}.targets[0].expression`,
        message: 'uses "tags[0]" without a task. or worker. prefix; target expressions must prefix every key',
      },
    ]);
    expect(paths(withTarget({ expression: 'worker.tags[0] == task.tags[1]' }))).toEqual([]);
  });

  it('reports every expression that does not parse, with the target key in the path', () => {
    expect(
      paths(
        withTarget({ expression: 'worker.level >', skip_if: 'workers.available ==' }, { expression: '(' }),
      ),
    ).toEqual([`${F0}.expression`, `${F0}.targets[0].expression`, `${F0}.targets[0].skip_if`]);
  });

  it('reports skip_if conditions that read anything but workers counts', () => {
    expect(
      paths(
        withTarget({ skip_if: 'workers.available == 0 OR workers.WA00000000000000000000000000000001 > 1' }),
      ),
    ).toEqual([]);
    expect(validateWorkflowConfig(withTarget({ skip_if: 'task.priority > 5' }))).toEqual([
      {
        path: `${F0}.targets[0].skip_if`,
        message:
          'reads "task.priority"; skip_if can only read workers.available, workers.unavailable or workers.<ActivitySid>',
      },
    ]);
  });

  it('reports malformed order_by clauses', () => {
    expect(paths(withTarget({ order_by: 'worker.level DESC, worker.skills.english asc' }))).toEqual([]);
    expect(validateWorkflowConfig(withTarget({ order_by: 'worker.level DESC, level ASC' }))).toEqual([
      {
        path: `${F0}.targets[0].order_by`,
        message: 'clause "level ASC" must look like "worker.<attribute> ASC" or "worker.<attribute> DESC"',
      },
    ]);
    expect(paths(withTarget({ order_by: 'worker.level' }))).toEqual([`${F0}.targets[0].order_by`]);
  });

  it('reports non-string names and options', () => {
    expect(paths(withTarget({ expression: 5, skip_if: [] }, { filter_friendly_name: {} }))).toEqual([
      `${F0}.filter_friendly_name`,
      `${F0}.targets[0].expression`,
      `${F0}.targets[0].skip_if`,
    ]);
    expect(paths(withTarget({}, { friendly_name: 3 }))).toEqual([`${F0}.friendly_name`]);
  });

  it('checks every target and filter, not only the first', () => {
    const config = {
      task_routing: {
        filters: [
          { expression: '1==1', targets: [{ queue: QUEUE }, { timeout: -1 }, 'nope'] },
          { expression: '1==1', targets: [{ queue: 'bad' }] },
        ],
        default_filter: { queue: QUEUE, priority: -3 },
      },
    };
    expect(paths(config)).toEqual([
      `${F0}.targets[1].timeout`,
      `${F0}.targets[2]`,
      '$.task_routing.filters[1].targets[0].queue',
      '$.task_routing.default_filter.priority',
    ]);
  });

  it('reports a timeout on the default filter', () => {
    expect(
      validateWorkflowConfig({ task_routing: { default_filter: { queue: QUEUE, timeout: 30 } } }),
    ).toEqual([
      {
        path: '$.task_routing.default_filter.timeout',
        message: 'is not allowed: a task waits in the default filter until its TTL',
      },
    ]);
    expect(
      validateWorkflowConfig({ task_routing: { default_filter: { queue: QUEUE, timeout: null } } }),
    ).toEqual([]);
  });

  it('treats null and blank optional values as unset', () => {
    expect(
      validateWorkflowConfig(withTarget({ expression: ' ', priority: null, timeout: '', skip_if: null })),
    ).toEqual([]);
  });
});
