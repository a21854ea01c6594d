/**
 * Snapshots of a whole emulator: the store, the routing state no record holds, the clock with
 * its pending timers, and the seeding helpers' name counter.
 */
import type { ClockSnapshot } from '../domain/clock.js';
import { EmulatorSnapshotError } from '../domain/errors.js';
import { restoreStore, type StoreSnapshot, snapshotStore } from '../domain/snapshot.js';
import type { Store } from '../domain/state.js';
import type { RoutingEngine } from '../routing/engine.js';
import type { RouterSnapshot } from '../routing/workspace-router.js';
import type { EmulatorSnapshot } from './types.js';

/** The `format` every snapshot carries. */
export const SNAPSHOT_FORMAT = 'taskrouter-emulator-snapshot';
/** The version this emulator writes and reads. */
export const SNAPSHOT_VERSION = 1;

/** What a version 1 snapshot's `state` holds. */
interface SnapshotState {
  readonly store: StoreSnapshot;
  readonly routing: Readonly<Record<string, RouterSnapshot>>;
  readonly clock: ClockSnapshot;
  /** The seeding helpers' name counter (`Workspace <n>`…). */
  readonly counter: number;
}

/** The parts of an emulator a snapshot reads and writes. */
export interface SnapshotParts {
  readonly store: Store;
  readonly engine: RoutingEngine;
  counter: number;
}

/** A JSON copy of the emulator's state, sharing nothing with it. */
export function takeSnapshot(parts: SnapshotParts): EmulatorSnapshot {
  const state: SnapshotState = {
    store: snapshotStore(parts.store),
    routing: parts.engine.snapshot(),
    clock: parts.store.clock.snapshot(),
    counter: parts.counter,
  };
  return JSON.parse(
    JSON.stringify({
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      takenAt: new Date(state.clock.now).toISOString(),
      state,
    }),
  );
}

/**
 * Checks a snapshot's envelope and returns its account SID, before anything is built on it.
 * Throws {@link EmulatorSnapshotError} naming the field at fault.
 */
export function snapshotAccountSid(snapshot: unknown): string {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new EmulatorSnapshotError('snapshot', 'must be an object made by emulator.snapshot()');
  }
  const { format, version, state } = snapshot as Record<string, unknown>;
  if (format !== SNAPSHOT_FORMAT) {
    throw new EmulatorSnapshotError('format', `must be '${SNAPSHOT_FORMAT}', got ${JSON.stringify(format)}`);
  }
  if (version !== SNAPSHOT_VERSION) {
    throw new EmulatorSnapshotError(
      'version',
      `is ${JSON.stringify(version)}; this emulator reads version ${SNAPSHOT_VERSION} only`,
    );
  }
  const parts = state as Partial<SnapshotState> | null;
  if (typeof parts !== 'object' || parts === null) throw new EmulatorSnapshotError('state', 'is missing');
  for (const key of ['store', 'routing', 'clock'] as const) {
    if (typeof parts[key] !== 'object' || parts[key] === null) {
      throw new EmulatorSnapshotError(`state.${key}`, 'is missing or not an object');
    }
  }
  if (!Number.isSafeInteger(parts.counter))
    throw new EmulatorSnapshotError('state.counter', 'must be an integer');
  const accountSid = parts.store?.accountSid;
  if (typeof accountSid !== 'string')
    throw new EmulatorSnapshotError('state.store.accountSid', 'must be a string');
  return accountSid;
}

/** Replaces the emulator's state with a checked snapshot's (see {@link snapshotAccountSid}). */
export function restoreSnapshot(parts: SnapshotParts, snapshot: EmulatorSnapshot): void {
  const state = structuredClone<unknown>(snapshot.state) as SnapshotState;
  try {
    restoreStore(parts.store, state.store);
    parts.engine.restore(state.routing, state.clock);
  } catch (error) {
    parts.engine.reset();
    parts.store.clear();
    throw new EmulatorSnapshotError('state', `is damaged: ${(error as Error).message}`);
  }
  parts.counter = state.counter;
}
