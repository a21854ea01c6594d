/**
 * What the package's own verification tools (invariant checks, soak runs) read of an emulator
 * beyond its public API. Nothing here is exported from the package.
 */
import type { Store } from '../domain/state.js';
import type { Emulator } from './types.js';

/** The part of an emulator's state the verification tools read. */
export type EmulatorState = Pick<Store, 'workspaces'>;

/** Key of the state an emulator made by `createEmulator` carries, hidden from its public type. */
const EMULATOR_STATE: unique symbol = Symbol('taskrouter-emulator-state');

interface EmulatorWithState extends Emulator {
  readonly [EMULATOR_STATE]: EmulatorState;
}

/** Attaches the state to the emulator made on it (not enumerable, so spreads and JSON stay as before). */
export function attachState(emulator: Emulator, state: EmulatorState): void {
  Object.defineProperty(emulator, EMULATOR_STATE, { value: state });
}

/** The state behind an emulator made by `createEmulator`. */
export function stateOf(emulator: Emulator): EmulatorState {
  const state = (emulator as Partial<EmulatorWithState>)[EMULATOR_STATE];
  if (!state) throw new TypeError('Expected an emulator made by createEmulator()');
  return state;
}

/** Listeners told of every change to an emulator's state (events, changing requests, remote control). */
const CHANGE_LISTENERS: unique symbol = Symbol('taskrouter-emulator-changes');

interface EmulatorWithListeners extends Emulator {
  readonly [CHANGE_LISTENERS]: Set<() => void>;
}

/** Gives the emulator its set of change listeners, which it calls on every change. */
export function attachChangeListeners(emulator: Emulator, listeners: Set<() => void>): void {
  Object.defineProperty(emulator, CHANGE_LISTENERS, { value: listeners });
}

/**
 * Calls `listener` after every change to the emulator's state: each recorded event, each
 * successful request that is not a read, each change made through the remote control. Returns
 * the function that stops it.
 */
export function observeChanges(emulator: Emulator, listener: () => void): () => void {
  const listeners = (emulator as Partial<EmulatorWithListeners>)[CHANGE_LISTENERS];
  if (!listeners) throw new TypeError('Expected an emulator made by createEmulator()');
  listeners.add(listener);
  return () => listeners.delete(listener);
}
