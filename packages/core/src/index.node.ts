/**
 * `@taskrouter/core` as Node.js loads it (the package's `node` export condition): the same API,
 * with a `createTaskRouterClient` whose clients send through the Node transport unless given a
 * `fetch`. Browsers, edge runtimes, Deno and Bun load `index.ts`, which imports no `node:` module.
 * @module
 */
export * from './index.js';
export { createTaskRouterClient } from './node.js';
