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
import type { OperationId } from '@taskrouter/core';
import { afterEach, beforeEach, expect } from 'vitest';
import { createEmulator } from './emulator.js';
import type { Emulator, EmulatorOptions } from './emulator/types.js';
import { paramsMatch } from './rest/overrides.js';
import type { OperationMatch } from './rest/overrides.js';

/**
 * Registers hooks that create an emulator before each test of the current file or `describe`
 * block and, after it, wait for its callback deliveries ({@link Emulator.idle}) and close its
 * servers. Call the returned function inside a test to get it.
 */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let current: Emulator | undefined;
  beforeEach(() => {
    current = createEmulator(options);
  });
  afterEach(async () => {
    try {
      await current?.idle();
    } finally {
      await current?.close();
      current = undefined;
    }
  });
  return () => {
    if (current === undefined) throw new Error('useEmulator(): the emulator exists only while a test runs');
    return current;
  };
}

/** The callbacks {@link EmulatorMatchers.toHaveDeliveredCallback} looks for. */
export type CallbackKind = 'event' | 'assignment';

/** Matchers this entry point adds to vitest's `expect` for an emulator (or `useEmulator()`'s getter). */
export interface EmulatorMatchers<R = unknown> {
  /**
   * Passes when the emulator answered a request to `operationId` whose parameters (path, query
   * or form) hold `params`, whatever its status.
   */
  toHaveReceivedOperation<Op extends OperationId>(operationId: Op, params?: OperationMatch<Op>): R;
  /**
   * Passes when a callback of this kind got a `2xx` answer and its form parameters hold `params`
   * (such as `{ EventType: 'task.created' }`). Await `emulator.idle()` first.
   */
  toHaveDeliveredCallback(kind: CallbackKind, params?: Readonly<Record<string, string>>): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration exactly
  interface Assertion<T = any> extends EmulatorMatchers<T> {}
  interface AsymmetricMatchersContaining extends EmulatorMatchers {}
}

function emulatorOf(received: unknown, matcher: string): Emulator {
  const value = typeof received === 'function' ? (received as () => unknown)() : received;
  if (value === null || typeof value !== 'object' || typeof (value as Emulator).calls !== 'function') {
    throw new TypeError(`${matcher}: expected an emulator or the function useEmulator() returned`);
  }
  return value as Emulator;
}

const shown = (value: unknown) => JSON.stringify(value);

expect.extend({
  toHaveReceivedOperation(received: unknown, operationId: OperationId, params?: Record<string, unknown>) {
    const calls = emulatorOf(received, 'toHaveReceivedOperation').calls(operationId);
    const pass = calls.some((call) => paramsMatch(params ?? {}, call.pathParams, call.params));
    const wanted = params === undefined ? operationId : `${operationId} with ${shown(params)}`;
    return {
      pass,
      message: () =>
        pass
          ? `expected no request to ${wanted}, but one was received`
          : `expected a request to ${wanted}; received ${calls.length} request(s) to ${operationId}${
              calls.length > 0
                ? `: ${calls.map((call) => shown({ ...call.pathParams, ...call.params })).join(', ')}`
                : ''
            }`,
    };
  },
  toHaveDeliveredCallback(received: unknown, kind: CallbackKind, params?: Record<string, string>) {
    const sent = emulatorOf(received, 'toHaveDeliveredCallback')
      .callbacks()
      .filter((callback) => callback.kind === kind);
    const pass = sent.some(
      (callback) =>
        callback.status !== null &&
        callback.status >= 200 &&
        callback.status < 300 &&
        paramsMatch(params ?? {}, {}, callback.params),
    );
    const wanted = params === undefined ? `an ${kind} callback` : `an ${kind} callback with ${shown(params)}`;
    return {
      pass,
      message: () =>
        pass
          ? `expected no delivered ${kind} callback matching, but ${wanted} was delivered`
          : `expected ${wanted} to be delivered (2xx answer); ${sent.length} ${kind} callback(s) sent: ${sent
              .map((callback) => `${callback.url} → ${callback.status ?? callback.error ?? 'no answer yet'}`)
              .join(', ')}`,
    };
  },
});
