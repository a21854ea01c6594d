/**
 * The socket-level suites again, over the transport a client made without a `fetch` option gets
 * on Node (the `node` export condition's `createTaskRouterClient`): the shared Node transport,
 * through which the client sends directly. Every fault, retry, timeout, abort, credential,
 * redirect and size check of those suites holds for it as for the platform fetch.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defaultNodeFetch } from '../src/node.js';
import { DIRECT_SEND } from '../src/transport.js';
import { transportUnderTest } from './helpers.js';

beforeAll(() => {
  transportUnderTest.defaultFetch = defaultNodeFetch;
});
afterAll(() => {
  (defaultNodeFetch() as unknown as { close(): void }).close();
});

test('the suites run over the Node transport, not the platform fetch', () => {
  const chosen = defaultNodeFetch();
  expect(chosen).not.toBe(globalThis.fetch);
  expect(DIRECT_SEND in chosen).toBe(true);
});

await import('./faults.test.js');
await import('./leaks.test.js');
await import('./hostile-answers.test.js');
