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
