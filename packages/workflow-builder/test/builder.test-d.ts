import { describe, expectTypeOf, it } from 'vitest';
import {
  type TargetOptions,
  WorkflowConfig,
  WorkflowRuleTarget,
  type WorkflowTargetJSON,
  workflowBuilder,
} from '../src/index.js';

const QUEUE = 'WQ00000000000000000000000000000001';

describe('builder types', () => {
  it('builds a WorkflowConfig', () => {
    expectTypeOf(workflowBuilder().filter('1==1').target(QUEUE).build()).toEqualTypeOf<WorkflowConfig>();
  });

  it('requires a queue on the first target of a filter', () => {
    // @ts-expect-error the first target has nothing to inherit a queue from
    workflowBuilder().filter('1==1').target({ timeout: 10 });
    workflowBuilder().filter('1==1').target(QUEUE).target({ timeout: 10 });
  });

  it('requires a target before the next filter or build', () => {
    // @ts-expect-error a filter without targets routes nowhere
    workflowBuilder().filter('1==1').build();
    // @ts-expect-error a filter without targets routes nowhere
    workflowBuilder().filter('1==1').filter('2==2');
  });

  it('puts the default filter last', () => {
    // @ts-expect-error no filter after the default
    workflowBuilder().defaultFilter(QUEUE).filter('1==1');
    // @ts-expect-error a default target has no timeout
    workflowBuilder().defaultFilter(QUEUE, { timeout: 5 });
  });

  it('accepts at most one known-worker option', () => {
    // @ts-expect-error known_worker_sid and known_worker_friendly_name exclude each other
    const both: TargetOptions = { knownWorkerSid: 'task.a', knownWorkerFriendlyName: 'task.b' };
    expectTypeOf(both).toEqualTypeOf<TargetOptions>();
    new WorkflowRuleTarget(QUEUE, undefined, undefined, undefined, { knownWorkerSid: 'task.a' });
  });

  it('types order_by clauses', () => {
    const filter = workflowBuilder().filter('1==1');
    // @ts-expect-error direction is ASC or DESC
    filter.target(QUEUE, { orderBy: [{ attribute: 'level', direction: 'UP' }] });
    filter.target(QUEUE, { orderBy: [{ attribute: 'level', direction: 'DESC' }] });
  });

  it('types the wire form', () => {
    expectTypeOf(new WorkflowRuleTarget(QUEUE).toJSON()).toEqualTypeOf<WorkflowTargetJSON>();
    expectTypeOf(new WorkflowConfig([]).toJSON().task_routing.filters).toEqualTypeOf<
      { filter_friendly_name?: string; expression: string; targets: WorkflowTargetJSON[] }[] | undefined
    >();
  });
});
