import { expect, test } from 'vitest';
import { hostileLatencies } from '../src/sections/emulator.js';

test('the hostile scenario answers every kind of request (each answered 200, or the run rejects)', async () => {
  const { baseline, changes } = await hostileLatencies(2);
  expect(baseline.what).toBe('task fetch (baseline)');
  expect(changes.map((change) => change.what)).toEqual([
    'workspace rename',
    'PrioritizeQueueOrder change',
    "the queue's TargetWorkers change",
    "the workflow's target expression change, ReEvaluateTasks",
    'ReEvaluateTasks, same configuration',
  ]);
  for (const { worstMs, medianMs } of [baseline, ...changes]) {
    expect(worstMs).toBeGreaterThan(0);
    expect(worstMs).toBeGreaterThanOrEqual(medianMs);
  }
}, 60_000);
