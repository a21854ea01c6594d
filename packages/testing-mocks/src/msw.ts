/**
 * msw handlers that answer TaskRouter requests with an emulator, for test suites already built on
 * Mock Service Worker.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createEmulator } from '@taskrouter/testing-mocks';
 * import { taskRouterHandlers } from '@taskrouter/testing-mocks/msw';
 *
 * const emulator = createEmulator();
 * const server = setupServer(...taskRouterHandlers(emulator));
 * beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
 * afterEach(() => emulator.reset());
 * afterAll(() => server.close());
 * ```
 * @packageDocumentation
 */
import { type HttpHandler, http } from 'msw';
import type { Emulator } from './emulator/types.js';

/** Options of {@link taskRouterHandlers}. */
export interface TaskRouterHandlerOptions {
  /** Base URL to intercept; defaults to the emulator's `baseUrl` (TaskRouter's own). */
  baseUrl?: string | undefined;
}

/**
 * One handler that sends every request below `<baseUrl>/v1/` to the emulator, which answers with
 * the same state, validation and errors as over HTTP.
 */
export function taskRouterHandlers(
  emulator: Emulator,
  options: TaskRouterHandlerOptions = {},
): HttpHandler[] {
  const base = (options.baseUrl ?? emulator.baseUrl).replace(/\/+$/, '');
  return [http.all(`${base}/v1/*`, ({ request }) => emulator.fetch(request))];
}
