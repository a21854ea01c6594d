/**
 * Child process of the event bridge benchmark (started with --expose-gc):
 *
 *   event-bridge-server.ts <workers>
 *
 * Seeds one workspace whose FIFO queue takes every worker, with `<workers>` available workers,
 * serves it on 127.0.0.1 and prints one JSON line: the addresses, the API key to sign tokens with
 * and the workers. Each line `memory` on stdin is answered by one JSON line with the heap and
 * resident set after a full collection, and the number of open websockets. Exits when stdin ends.
 */
import { createInterface } from 'node:readline';
import { createEmulator } from '@taskrouter/testing-mocks';

/** What the child announces once it serves. */
export interface EventBridgeServerAnnouncement {
  url: string;
  wsServer: string;
  authorization: string;
  accountSid: string;
  apiKey: { sid: string; secret: string };
  workspaceSid: string;
  workflowSid: string;
  workerSids: string[];
}

/** The answer to a `memory` line. */
export interface EventBridgeServerMemory {
  heapUsedBytes: number;
  rssBytes: number;
  connections: number;
}

const workerCount = Number(process.argv[2] ?? 100);
if (!Number.isInteger(workerCount) || workerCount < 1) {
  throw new RangeError(`worker count must be a positive integer, got ${process.argv[2]}`);
}

const emulator = createEmulator();
const workspaceSid = emulator.seed.workspace({ FriendlyName: 'Bridge bench', Template: 'FIFO' }).sid!;
const available = emulator.inspect.activities(workspaceSid).find((activity) => activity.available)!.sid!;
const workerSids = Array.from(
  { length: workerCount },
  (_, index) =>
    emulator.seed.worker(workspaceSid, { FriendlyName: `agent-${index}`, ActivitySid: available }).sid!,
);
const server = await emulator.listen({ port: 0, host: '127.0.0.1' });
const { accountSid, authToken } = emulator.credentials;
const announcement: EventBridgeServerAnnouncement = {
  url: server.url,
  wsServer: server.wsServer,
  authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
  accountSid,
  apiKey: emulator.apiKeys[0]!,
  workspaceSid,
  workflowSid: emulator.inspect.workflows(workspaceSid)[0]!.sid!,
  workerSids,
};
process.stdout.write(`${JSON.stringify(announcement)}\n`);

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'memory') return;
  collect();
  collect();
  const usage = process.memoryUsage();
  const memory: EventBridgeServerMemory = {
    heapUsedBytes: usage.heapUsed,
    rssBytes: usage.rss,
    connections: emulator.eventBridge.connections().length,
  };
  process.stdout.write(`${JSON.stringify(memory)}\n`);
});
lines.on('close', () => void emulator.close().then(() => process.exit(0)));
