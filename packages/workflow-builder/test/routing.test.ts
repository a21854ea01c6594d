import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type TaskRoute,
  WorkflowConfig,
  WorkflowConfigError,
  WorkflowRule,
  WorkflowRuleTarget,
  compileWorkflow,
  explainRoute,
  findMatchingFilter,
  routeTask,
} from '../src/index.js';

const fixture = (name: string): WorkflowConfig =>
  WorkflowConfig.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const queue = (suffix: string): string => `WQ${suffix.padStart(32, '0')}`;

function filterRoute(route: TaskRoute) {
  if (route.kind !== 'filter') throw new Error(`expected a filter route, got ${route.kind}`);
  return route;
}

describe('routeTask on the reference examples', () => {
  it('FIFO template: every task goes to the default filter', () => {
    const config = fixture('fifo-template.json');
    for (const attributes of [{}, { type: 'anything' }, null]) {
      const route = routeTask(config, attributes);
      expect(route.kind).toBe('default');
      expect(route.kind === 'default' && route.target.queue).toBe(queue('1'));
    }
  });

  it('documented shape: first match wins, the default filter only without a match', () => {
    const config = fixture('documented-shape.json');
    const frenchBilling = filterRoute(routeTask(config, { type: 'billing', language: 'fr' }));
    expect(frenchBilling).toMatchObject({ filterIndex: 0, filterName: 'Billing in French' });
    // The second filter also matches, but the first one wins.
    expect(filterRoute(routeTask(config, { type: 'billing', language: 'de' }))).toMatchObject({
      filterIndex: 1,
      filterName: 'Billing',
    });
    const fallback = routeTask(config, { type: 'sales' });
    expect(fallback.kind === 'default' && fallback.target.queue).toBe(queue('c'));

    const [target] = frenchBilling.targets;
    expect(target).toMatchObject({
      queue: queue('a'),
      priority: 10,
      timeout: 30,
      cumulativeTimeout: 30,
      orderBy: [{ attribute: 'billing_level', direction: 'DESC' }],
    });
    expect(target!.knownWorker?.resolve({ last_agent_sid: 'WK1' })).toBe('WK1');
    expect(target!.skipIf!({}, { workers: { available: 0 } })).toBe(true);
    expect(target!.expression!({}, { task: { language: 'fr' }, worker: { languages: ['fr'] } })).toBe(true);
    expect(target!.expression!({}, { task: { language: 'fr' }, worker: { languages: ['en'] } })).toBe(false);
  });

  it('escalation: queues and priorities are inherited, timeouts are cumulative', () => {
    const route = filterRoute(routeTask(fixture('escalation.json'), { type: 'support' }));
    expect(
      route.targets.map(
        ({ queue, queueInherited, priority, effectivePriority, timeout, cumulativeTimeout }) => ({
          queue,
          queueInherited,
          priority,
          effectivePriority,
          timeout,
          cumulativeTimeout,
        }),
      ),
    ).toEqual([
      {
        queue: queue('11'),
        queueInherited: false,
        priority: 5,
        effectivePriority: 5,
        timeout: 10,
        cumulativeTimeout: 10,
      },
      {
        queue: queue('11'),
        queueInherited: true,
        priority: undefined,
        effectivePriority: 5,
        timeout: 10,
        cumulativeTimeout: 20,
      },
      {
        queue: queue('12'),
        queueInherited: false,
        priority: 20,
        effectivePriority: 20,
        timeout: 10,
        cumulativeTimeout: 30,
      },
      {
        queue: queue('12'),
        queueInherited: true,
        priority: undefined,
        effectivePriority: 20,
        timeout: undefined,
        cumulativeTimeout: undefined,
      },
    ]);
    expect(route.targets[3]!.expression!({}, { worker: { tier: 3 } })).toBe(true);
  });

  it('escalation: a task that times out of the first filter moves to the next matching filter below', () => {
    const workflow = compileWorkflow(fixture('escalation.json'));
    const task = { type: 'support' };
    const first = findMatchingFilter(workflow, task);
    expect(first).toBe(0);
    expect(findMatchingFilter(workflow, task, first)).toBe(1);
    expect(findMatchingFilter(workflow, task, 1)).toBe(-1);
    expect(findMatchingFilter(workflow, { type: 'sales' })).toBe(1);
  });

  it('known agent: each target resolves its reference against the task', () => {
    const config = fixture('known-agent.json');
    const route = filterRoute(
      routeTask(config, { returning: true, agent_sid: 'WK42', agent: { name: 'ada' } }),
    );
    const [bySid, byName, anyone] = route.targets;
    expect(bySid!.knownWorker).toMatchObject({ field: 'known_worker_sid', reference: 'task.agent_sid' });
    expect(bySid!.knownWorker!.resolve({ agent_sid: 'WK42' })).toBe('WK42');
    expect(bySid!.knownWorker!.resolve({})).toBeNull();
    expect(byName!.knownWorker).toMatchObject({ field: 'known_worker_friendly_name' });
    expect(byName!.knownWorker!.resolve({ agent: { name: 'ada' } })).toBe('ada');
    expect(anyone!.knownWorker).toBeUndefined();
    expect(route.targets.map((t) => t.cumulativeTimeout)).toEqual([60, 120, undefined]);
    // No default filter: a new customer is not routed.
    expect(routeTask(config, { returning: false })).toEqual({ kind: 'unrouted' });
  });

  it('skip_if: conditions read the workers counts of the step', () => {
    const route = filterRoute(routeTask(fixture('skip-if.json'), { department: 'sales' }));
    const [first, second, last] = route.targets;
    expect(first!.skipIf!({}, { workers: { available: 0, unavailable: 3 } })).toBe(true);
    expect(first!.skipIf!({}, { workers: { available: 2, unavailable: 3 } })).toBe(false);
    const activity = 'WA00000000000000000000000000000001';
    expect(second!.skipIf!({}, { workers: { [activity]: 1, unavailable: 6 } })).toBe(true);
    expect(second!.skipIf!({}, { workers: { [activity]: 2, unavailable: 6 } })).toBe(false);
    expect(last!.skipIf!({}, { workers: {} })).toBe(true);
    expect(route.targets.map((t) => t.cumulativeTimeout)).toEqual([120, 420, undefined]);
  });

  it('legacy helper output routes like its canonical form', () => {
    const legacy = fixture('legacy-helper.json');
    const route = filterRoute(routeTask(legacy, {}));
    expect(route).toMatchObject({ filterIndex: 0, filterName: 'SomeQ' });
    expect(route.targets[0]).toMatchObject({ queue: queue('42'), priority: 1, timeout: 20 });
    expect(compileWorkflow(legacy).defaultTarget?.queue).toBe(queue('41'));
  });
});

describe('routeTask inputs', () => {
  const text = JSON.stringify({
    task_routing: { filters: [{ expression: 'vip == true', targets: [{ queue: queue('1') }] }] },
  });

  it('accepts JSON text, plain objects, WorkflowConfig instances and compiled workflows alike', () => {
    const attributes = { vip: true };
    const expected = { kind: 'filter', filterIndex: 0 };
    expect(routeTask(text, attributes)).toMatchObject(expected);
    expect(routeTask(JSON.parse(text), attributes)).toMatchObject(expected);
    expect(routeTask(WorkflowConfig.parse(text), attributes)).toMatchObject(expected);
    expect(routeTask(compileWorkflow(text), attributes)).toMatchObject(expected);
  });

  it('compiles a WorkflowConfig once and returns shared frozen routes', () => {
    const config = WorkflowConfig.parse(text);
    expect(compileWorkflow(config)).toBe(compileWorkflow(config));
    const route = routeTask(config, { vip: true });
    expect(routeTask(config, { vip: true })).toBe(route);
    expect(Object.isFrozen(route)).toBe(true);
  });

  it('rejects an invalid configuration, even one built with the classic classes', () => {
    expect(() => routeTask('{}', {})).toThrow(WorkflowConfigError);
    const handBuilt = new WorkflowConfig([new WorkflowRule('1==1', [new WorkflowRuleTarget()])]);
    expect(() => routeTask(handBuilt, {})).toThrow(/targets\[0\]\.queue: is required/);
  });
});

describe('explainRoute', () => {
  const config = fixture('documented-shape.json');

  it('says why each filter did or did not match', () => {
    const explanation = explainRoute(config, { type: 'sales', language: 'fr' });
    expect(explanation.route.kind).toBe('default');
    expect(explanation.defaultReason).toBe('no filter matched, so the default filter applies');
    expect(explanation.filters.map((f) => [f.index, f.friendlyName, f.matched, f.selected])).toEqual([
      [0, 'Billing in French', false, false],
      [1, 'Billing', false, false],
    ]);
    expect(explanation.filters[0]!.reason).toBe(
      'expression is false: type == "billing" is false (type is "sales")',
    );
    expect(explanation.filters[1]!.expression).toBe('type == "billing"');
  });

  it('marks the winner and later filters that also match', () => {
    const explanation = explainRoute(config, { type: 'billing', language: 'fr' });
    expect(explanation.filters[0]).toMatchObject({ matched: true, selected: true });
    expect(explanation.filters[0]!.reason).toMatch(/^first filter whose expression holds/);
    expect(explanation.filters[1]).toMatchObject({ matched: true, selected: false });
    expect(explanation.filters[1]!.reason).toMatch(/filter 0 matched first \(first match wins\)/);
    expect(explanation.defaultReason).toMatch(/^not used/);
  });

  it('lists every failing condition with the values it read', () => {
    const explanation = explainRoute(config, { language: 'de' });
    expect(explanation.filters[0]!.reason).toBe(
      'expression is false: type == "billing" is false (type is null); language == "fr" is false (language is "de")',
    );
    expect(explanation.filters[0]!.trace).toEqual({
      expression: 'type == "billing" AND language == "fr"',
      result: false,
      operands: [
        { expression: 'type == "billing"', result: false, values: [null, 'billing'] },
        { expression: 'language == "fr"', result: false, values: ['de', 'fr'] },
      ],
    });
  });

  it('explains a constant condition and a missing default', () => {
    const noDefault = new WorkflowConfig([new WorkflowRule('1 == 2', [new WorkflowRuleTarget(queue('1'))])]);
    const explanation = explainRoute(noDefault, {});
    expect(explanation.route.kind).toBe('unrouted');
    expect(explanation.filters[0]!.reason).toBe('expression is false: 1 == 2 is false');
    expect(explanation.defaultReason).toBe('no filter matched and there is no default filter');
  });
});
