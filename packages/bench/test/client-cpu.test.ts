import { afterAll, beforeAll, expect, test } from 'vitest';
import { type CpuWorker, startCpuWorker } from '../src/sections/client-cpu.js';
import { type StubServer, startStubServer } from '../src/stub-server.js';

let stub: StubServer;
let worker: CpuWorker;
beforeAll(async () => {
  stub = await startStubServer();
  worker = await startCpuWorker('node:http', stub.url);
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await stub?.close();
});

test('a CPU worker reports the CPU time, wall time and page faults of a batch of walks', async () => {
  const result = await worker.run({ kind: 'list', calls: 2, concurrency: 1 });
  // A walk of 1,000 tasks over 20 requests takes milliseconds of CPU.
  expect(result.cpuUsPerCall).toBeGreaterThan(100);
  expect(result.wallMs).toBeGreaterThan(0);
  expect(Number.isInteger(result.pageFaultsPerCall * 2)).toBe(true);
  expect(result.pageFaultsPerCall).toBeGreaterThanOrEqual(0);
});
