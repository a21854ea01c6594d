import { expect, test } from 'vitest';
import { runEventBridge } from '../src/sections/event-bridge.js';

test('every task created over REST reaches exactly one connected worker as one reservation frame', async () => {
  const run = await runEventBridge(8, 6);
  expect(run).toMatchObject({ workers: 8, tasks: 6, lost: 0, duplicated: 0, misdelivered: 0 });
  expect(run.frameLatenciesMs).toHaveLength(6);
  expect(run.restLatenciesMs).toHaveLength(6);
  for (const latency of run.frameLatenciesMs) expect(latency).toBeGreaterThan(0);
  expect(Number.isFinite(run.heapBytesPerConnection)).toBe(true);
});

test('refuses more tasks than workers, since each task needs an idle worker', async () => {
  await expect(runEventBridge(2, 3)).rejects.toThrow('tasks must not exceed workers');
});
