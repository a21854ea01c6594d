/**
 * The socket-level suites again, with `createNodeFetch` as the platform fetch: the client finds
 * the Node transport through `globalThis.fetch` and sends directly through it, so every fault,
 * retry, timeout, abort, credential, redirect and size check of those suites also holds for the
 * Node transport.
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { createNodeFetch } from '../src/node.js';

const nodeFetch = createNodeFetch();
beforeAll(() => {
  vi.stubGlobal('fetch', nodeFetch);
});
afterAll(() => {
  vi.unstubAllGlobals();
  nodeFetch.close();
});

await import('./faults.test.js');
await import('./leaks.test.js');
await import('./hostile-answers.test.js');
