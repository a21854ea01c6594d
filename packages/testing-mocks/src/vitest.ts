/**
 * A vitest helper that gives each test a fresh emulator.
 *
 * @example
 * ```ts
 * import { createTaskRouterClient } from '@taskrouter/core';
 * import { useEmulator } from '@taskrouter/testing-mocks/vitest';
 *
 * const emulator = useEmulator();
 *
 * test('creates a workspace', async () => {
 *   const client = createTaskRouterClient({ ...emulator().credentials, fetch: emulator().fetch });
 *   await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Support' } });
 *   expect(emulator().inspect.workspaces()).toHaveLength(1);
 * });
 * ```
 * @packageDocumentation
 */
import { afterEach, beforeEach } from 'vitest';
import { createEmulator } from './emulator.js';
import type { Emulator, EmulatorOptions } from './emulator/types.js';

/**
 * Registers hooks that create an emulator before each test of the current file or `describe`
 * block and close its servers after it. Call the returned function inside a test to get it.
 */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let current: Emulator | undefined;
  beforeEach(() => {
    current = createEmulator(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('useEmulator(): the emulator exists only while a test runs');
    return current;
  };
}
