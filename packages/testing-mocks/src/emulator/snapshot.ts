/**
 * Snapshots of a whole emulator: every account's store and the routing state no record holds,
 * the one clock with its pending timers, and the seeding helpers' name counter.
 */
import type { ClockSnapshot, ScheduledTimer, TimerSnapshot } from '../domain/clock.js';
import { EmulatorSnapshotError } from '../domain/errors.js';
import { restoreStore, type StoreSnapshot, snapshotStore } from '../domain/snapshot.js';
import type { RouterSnapshot } from '../routing/workspace-router.js';
import type { Account, Accounts } from './accounts.js';
import type { EmulatorSnapshot } from './types.js';

/** The `format` every snapshot carries. */
export const SNAPSHOT_FORMAT = 'taskrouter-emulator-snapshot';
/** The version this emulator writes; it also reads version 1 (a single account). */
export const SNAPSHOT_VERSION = 2;

/** One account in a snapshot. */
interface AccountSnapshot {
  readonly store: StoreSnapshot;
  readonly routing: Readonly<Record<string, RouterSnapshot>>;
  /** The token its callbacks are signed with; only for accounts other than the emulator's own. */
  readonly authToken?: string;
}

/** What a version 2 snapshot's `state` holds. */
export interface SnapshotState {
  readonly clock: ClockSnapshot;
  /** The seeding helpers' name counter (`Workspace <n>`…). */
  readonly counter: number;
  /** The emulator's own account first, then the accounts of other callers. */
  readonly accounts: readonly AccountSnapshot[];
}

/** What a version 1 snapshot's `state` held: the emulator's own account alone. */
interface SnapshotStateV1 {
  readonly store: StoreSnapshot;
  readonly routing: Readonly<Record<string, RouterSnapshot>>;
  readonly clock: ClockSnapshot;
  readonly counter: number;
}

/** The parts of an emulator a snapshot reads and writes. */
export interface SnapshotParts {
  readonly accounts: Accounts;
  counter: number;
}

/**
 * A JSON copy of the emulator's state, sharing nothing with it: every account, or only `only`
 * (then with only its timers; such a snapshot restores as an emulator of that account).
 */
export function takeSnapshot(parts: SnapshotParts, only?: Account): EmulatorSnapshot {
  const accounts = only === undefined ? parts.accounts.all() : [only];
  const clock = parts.accounts.main.store.clock.snapshot();
  const state: SnapshotState = {
    clock:
      only === undefined
        ? clock
        : {
            ...clock,
            timers: clock.timers.filter((timer) => only.store.workspaces.has(timer.job.workspaceSid)),
          },
    counter: parts.counter,
    accounts: accounts.map((account, index) => ({
      store: snapshotStore(account.store),
      routing: account.engine.snapshot(),
      ...(index === 0 ? {} : { authToken: account.authToken }),
    })),
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
 * Checks a snapshot's envelope and the shape of its accounts before anything is built on it, and
 * returns its state in the current layout (a version 1 snapshot becomes a single account).
 * Throws {@link EmulatorSnapshotError} naming the field at fault.
 */
export function readSnapshot(snapshot: unknown): SnapshotState {
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) {
    throw new EmulatorSnapshotError('snapshot', 'must be an object made by emulator.snapshot()');
  }
  const { format, version, state } = snapshot as Record<string, unknown>;
  if (format !== SNAPSHOT_FORMAT) {
    throw new EmulatorSnapshotError('format', `must be '${SNAPSHOT_FORMAT}', got ${JSON.stringify(format)}`);
  }
  if (version !== 1 && version !== SNAPSHOT_VERSION) {
    throw new EmulatorSnapshotError(
      'version',
      `is ${JSON.stringify(version)}; this emulator reads versions 1 and ${SNAPSHOT_VERSION} only`,
    );
  }
  if (typeof state !== 'object' || state === null) throw new EmulatorSnapshotError('state', 'is missing');
  const parts = state as Record<string, unknown>;
  const objectAt = (value: unknown, field: string) => {
    if (typeof value !== 'object' || value === null) {
      throw new EmulatorSnapshotError(field, 'is missing or not an object');
    }
  };
  objectAt(parts.clock, 'state.clock');
  if (!Number.isSafeInteger(parts.counter))
    throw new EmulatorSnapshotError('state.counter', 'must be an integer');
  const current: SnapshotState =
    version === 1
      ? {
          clock: parts.clock as ClockSnapshot,
          counter: parts.counter as number,
          accounts: [
            { store: parts.store as StoreSnapshot, routing: parts.routing as SnapshotStateV1['routing'] },
          ],
        }
      : (state as SnapshotState);
  const at = (index: number, field: string) =>
    version === 1 ? `state.${field}` : `state.accounts[${index}].${field}`;
  if (!Array.isArray(current.accounts) || current.accounts.length === 0) {
    throw new EmulatorSnapshotError('state.accounts', 'must be a list holding at least the own account');
  }
  const seen = new Set<string>();
  current.accounts.forEach((account, index) => {
    objectAt(account, `state.accounts[${index}]`);
    objectAt(account.store, at(index, 'store'));
    objectAt(account.routing, at(index, 'routing'));
    const sid = account.store.accountSid;
    if (typeof sid !== 'string')
      throw new EmulatorSnapshotError(at(index, 'store.accountSid'), 'must be a string');
    if (seen.has(sid)) throw new EmulatorSnapshotError(at(index, 'store.accountSid'), `repeats ${sid}`);
    seen.add(sid);
    if (index > 0 && typeof account.authToken !== 'string') {
      throw new EmulatorSnapshotError(at(index, 'authToken'), 'must be a string');
    }
  });
  return current;
}

/** The SID of the emulator's own account in a checked snapshot state. */
export function ownAccountSid(state: SnapshotState): string {
  return state.accounts[0]!.store.accountSid;
}

/**
 * Replaces the emulator's state with a checked snapshot's (see {@link readSnapshot}): every
 * account it holds, made when missing; accounts it does not hold are emptied.
 */
export function restoreSnapshot(parts: SnapshotParts, snapshot: SnapshotState): void {
  const state = structuredClone(snapshot);
  const { accounts } = parts;
  accounts.clearAll();
  try {
    const targets = state.accounts.map((account, index) =>
      index === 0 ? accounts.main : accounts.ensure(account.store.accountSid, account.authToken ?? ''),
    );
    targets.forEach((account, index) => {
      restoreStore(account.store, state.accounts[index]!.store);
    });
    // One clock for every account: restored once, then each account's routing takes its timers.
    const restored = accounts.main.store.clock.restore(state.clock);
    targets.forEach((account, index) => {
      const timers: TimerSnapshot[] = [];
      const held: ScheduledTimer[] = [];
      state.clock.timers.forEach((timer, position) => {
        if (!account.store.workspaces.has(timer.job.workspaceSid)) return;
        timers.push(timer);
        held.push(restored[position]!);
      });
      account.engine.restore(state.accounts[index]!.routing, { ...state.clock, timers }, held);
    });
  } catch (error) {
    accounts.clearAll();
    accounts.main.store.clock.clearTimers();
    throw new EmulatorSnapshotError('state', `is damaged: ${(error as Error).message}`);
  }
  parts.counter = state.counter;
}
