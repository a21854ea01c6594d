import { eventTaskSid, eventWorkerSid } from '../domain/event-log.js';
import type { EventRecord, WorkspaceState } from '../domain/state.js';
import type { Emulator } from '../emulator/types.js';
import { stateOf } from '../emulator/internals.js';

/** The rules routing must never break, whatever clients do. */
export type InvariantName =
  /** A task has at most one accepted reservation, ever. */
  | 'single-assignment'
  /** A reservation is accepted at most once. */
  | 'accepted-once'
  /** No worker channel holds more work than its capacity (unless the capacity was lowered after). */
  | 'capacity'
  /** A finished task has exactly one terminal event, matching its status; others have none. */
  | 'terminal-state'
  /** Task and reservation statuses and worker channel counters agree with each other. */
  | 'consistency'
  /** A paged list returns every item at most once, and every item present throughout at least once (checked by `runSoak`). */
  | 'paging'
  /** No request is answered with a 5xx (checked by `runSoak`). */
  | 'no-server-error';

/** One broken invariant, with the resources involved. */
export interface InvariantViolation {
  readonly invariant: InvariantName;
  readonly message: string;
}

/** Checks the invariants again, looking only at what changed since its previous call. */
export interface InvariantChecker {
  /** The violations among the tasks and workers touched since the previous call (everything, the first time). */
  check(): InvariantViolation[];
}

const HOLDS_TASK: ReadonlySet<string> = new Set(['accepted', 'wrapping', 'completed']);
const ACTIVE: ReadonlySet<string> = new Set(['pending', 'accepted', 'wrapping']);

/**
 * Checks an emulator's whole state against routing's invariants: a task is never assigned to two
 * workers, no reservation is accepted twice, no worker channel exceeds its capacity, every
 * finished task has exactly one terminal state, and statuses and counters agree. Returns the
 * violations found (an empty list when all is well). Usable on any emulator, after any test.
 *
 * @example
 * ```ts
 * const emulator = createEmulator();
 * // ... exercise your code against emulator.fetch ...
 * expect(checkInvariants(emulator)).toEqual([]);
 * ```
 */
export function checkInvariants(emulator: Emulator): InvariantViolation[] {
  return createInvariantChecker(emulator).check();
}

/**
 * An incremental {@link checkInvariants}: each `check()` reads only the events recorded since the
 * previous one and re-checks the tasks and workers they name, so checking after every step of a
 * long run stays cheap.
 *
 * @example
 * ```ts
 * const checker = createInvariantChecker(emulator);
 * for (const step of steps) {
 *   await step();
 *   expect(checker.check()).toEqual([]);
 * }
 * ```
 */
export function createInvariantChecker(emulator: Emulator): InvariantChecker {
  const store = stateOf(emulator);
  const logs = new Map<WorkspaceState, WorkspaceLog>();
  return {
    check() {
      const violations: InvariantViolation[] = [];
      for (const workspace of store.workspaces.values()) {
        let log = logs.get(workspace);
        if (!log) {
          log = new WorkspaceLog(workspace);
          logs.set(workspace, log);
        }
        log.check(violations);
      }
      return violations;
    },
  };
}

/** What the events of one workspace say so far, read incrementally. */
class WorkspaceLog {
  private read = 0;
  private readonly acceptedByReservation = new Map<string, number>();
  private readonly acceptedByTask = new Map<string, number>();
  private readonly terminalByTask = new Map<string, string[]>();
  private readonly lastCapacityDecrease = new Map<string, number>();

  constructor(private readonly workspace: WorkspaceState) {}

  check(violations: InvariantViolation[]): void {
    const report = (invariant: InvariantName, message: string) =>
      violations.push({ invariant, message: `${this.workspace.sid}: ${message}` });
    const first = this.read === 0;
    const tasks = new Set<string>();
    const workers = new Set<string>();
    const { events } = this.workspace;
    for (; this.read < events.length; this.read++) {
      const event = events[this.read]!;
      this.note(event, report);
      const taskSid = eventTaskSid(event);
      const workerSid = eventWorkerSid(event);
      if (taskSid !== null) tasks.add(taskSid);
      if (workerSid !== null) workers.add(workerSid);
    }
    const workspace = this.workspace;
    for (const sid of first ? workspace.tasks.keys() : tasks) this.checkTask(sid, report);
    for (const sid of first ? workspace.workers.keys() : workers) this.checkWorker(sid, report);
  }

  private note(event: EventRecord, report: (invariant: InvariantName, message: string) => void): void {
    switch (event.eventType) {
      case 'reservation.accepted': {
        if (increment(this.acceptedByReservation, event.reservationSid!) === 2) {
          report('accepted-once', `reservation ${event.reservationSid} was accepted twice`);
        }
        const taskSid = eventTaskSid(event) ?? '';
        if (increment(this.acceptedByTask, taskSid) === 2) {
          report('single-assignment', `task ${taskSid} had a second reservation accepted`);
        }
        break;
      }
      case 'task.completed':
      case 'task.canceled': {
        const taskSid = eventTaskSid(event) ?? '';
        const list = this.terminalByTask.get(taskSid) ?? [];
        list.push(event.eventType);
        this.terminalByTask.set(taskSid, list);
        break;
      }
      case 'worker.capacity.update': {
        const before = event.data?.worker_channel_previous_capacity;
        const after = event.data?.worker_channel_available_capacity;
        if (typeof before === 'number' && typeof after === 'number' && after < before) {
          this.lastCapacityDecrease.set(
            `${eventWorkerSid(event)}/${event.data?.task_channel_sid}`,
            event.seq,
          );
        }
        break;
      }
    }
  }

  private checkTask(sid: string, report: (invariant: InvariantName, message: string) => void): void {
    const task = this.workspace.tasks.get(sid);
    if (!task) return;
    const reservations = this.workspace.reservationsByTask.get(sid) ?? [];
    const holding = reservations.filter((item) => HOLDS_TASK.has(item.status));
    if (holding.length > 1) {
      report(
        'single-assignment',
        `task ${sid} is held by ${holding.map((item) => item.workerSid).join(' and ')}`,
      );
    }
    const status = task.assignmentStatus;
    const terminal = (this.terminalByTask.get(sid) ?? []).join();
    const expected = status === 'completed' ? 'task.completed' : status === 'canceled' ? 'task.canceled' : '';
    if (terminal !== expected) {
      report('terminal-state', `task ${sid} is ${status} but recorded [${terminal}] as terminal events`);
    }
    const count = (wanted: string) => reservations.filter((item) => item.status === wanted).length;
    const pending = count('pending');
    const consistent =
      status === 'pending'
        ? pending === 0 && holding.length === 0
        : status === 'reserved'
          ? pending > 0 && holding.length === 0
          : status === 'assigned'
            ? pending === 0 && count('accepted') === 1 && holding.length === 1
            : status === 'wrapping'
              ? pending === 0 && count('wrapping') === 1
              : pending === 0 && count('accepted') === 0 && count('wrapping') === 0;
    if (!consistent) {
      report(
        'consistency',
        `task ${sid} is ${status} with reservations [${reservations.map((item) => item.status).join(', ')}]`,
      );
    }
  }

  private checkWorker(sid: string, report: (invariant: InvariantName, message: string) => void): void {
    const workspace = this.workspace;
    const reservations = workspace.reservationsByWorker.get(sid) ?? [];
    for (const channel of workspace.workerChannels.get(sid)?.values() ?? []) {
      const onChannel = reservations.filter((item) => item.taskChannelSid === channel.taskChannelSid);
      const pending = onChannel.filter((item) => item.status === 'pending').length;
      const assigned = onChannel.filter(
        (item) => item.status === 'accepted' || item.status === 'wrapping',
      ).length;
      const where = `worker ${sid} channel ${channel.taskChannelSid}`;
      if (channel.reservedTasks !== pending || channel.assignedTasks !== assigned) {
        report(
          'consistency',
          `${where} counts ${channel.reservedTasks} pending and ${channel.assignedTasks} assigned tasks, but holds ${pending} and ${assigned}`,
        );
      }
      // Tasks that ignore capacity (a worker RoutingTarget) are allowed past it.
      const counted = onChannel.filter(
        (item) => ACTIVE.has(item.status) && !workspace.tasks.get(item.taskSid)?.ignoreCapacity,
      );
      if (counted.length <= channel.capacity) continue;
      // Sequence numbers order everything the store records, so this tells which came first.
      const newest = Math.max(...counted.map((item) => item.seq));
      const lowered = this.lastCapacityDecrease.get(`${sid}/${channel.taskChannelSid}`) ?? -Infinity;
      if (newest > lowered) {
        report('capacity', `${where} holds ${counted.length} tasks with a capacity of ${channel.capacity}`);
      }
    }
  }
}

function increment(counts: Map<string, number>, key: string): number {
  const value = (counts.get(key) ?? 0) + 1;
  counts.set(key, value);
  return value;
}
