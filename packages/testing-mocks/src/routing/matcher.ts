/**
 * Matching and reservations: a task looks for eligible workers, a worker that became ready looks
 * for the best waiting task, and each match becomes a pending reservation with its timeout.
 */
import type { OrderByClause } from '@taskrouter/workflow-builder';
import type { ScheduledTimer } from '../domain/clock.js';
import { changeWorkerActivity, createReservation, endPendingReservation } from '../domain/lifecycle.js';
import type { ReservationRecord } from '../domain/state.js';
import { DEFAULT_TASK_RESERVATION_TIMEOUT } from '../domain/workflow-configuration.js';
import {
  CANCEL_REASONS,
  fifoOrder,
  isRoutable,
  lifoOrder,
  MAX_ASSIGNMENT_COUNT,
  NO_ATTRIBUTES,
  NO_OFFERS,
  type QueueState,
  type RoutingContext,
  type TaskState,
  type WorkerState,
} from './routing-state.js';
import { SortedBag } from './sorted-bag.js';
import { selectsByWorkerOnly, targetTakes } from './target-evaluations.js';
import type { WorkerIndex } from './worker-index.js';

/**
 * Ready workers a task's scan must find its expression rejecting before the expression, with the
 * task values it reads, gets its own index of the workers it selects.
 */
const INDEX_AFTER_REJECTIONS = 2;

/** Matches tasks with workers and makes the reservations. */
export class Matcher {
  private readonly reservationTimers = new Map<string, ScheduledTimer>();

  /**
   * @param offered - told of every reservation made, after its events are recorded (assignment callbacks)
   * @param cancelTask - cancels a task that reached the Max Assignment Count
   */
  constructor(
    private readonly context: RoutingContext,
    private readonly index: WorkerIndex,
    private readonly offered: (reservation: ReservationRecord) => void,
    private readonly cancelTask: (state: TaskState, reason: string) => void,
  ) {}

  /** A reservation is no longer pending: its timeout is moot. */
  reservationEnded(reservation: ReservationRecord): void {
    this.reservationTimers.get(reservation.sid)?.cancel();
    this.reservationTimers.delete(reservation.sid);
  }

  /** Holds a reservation's restored timeout job of a snapshot again. */
  restoreTimer(reservationSid: string, timer: ScheduledTimer): void {
    this.reservationTimers.set(reservationSid, timer);
  }

  /** Cancels every reservation timeout; the workspace is gone. */
  dispose(): void {
    for (const timer of this.reservationTimers.values()) timer.cancel();
    this.reservationTimers.clear();
  }

  /** Puts the task in the waiting bag it belongs in now (or none), with current sort keys. */
  syncTask(state: TaskState): void {
    const task = state.record;
    if (!state.active) return;
    if (!isRoutable(task) || this.context.workspace.tasks.get(task.sid) !== task) {
      this.context.finishTask(state);
      return;
    }
    const bag = this.waitingBagOf(state);
    if (
      bag === state.bag &&
      state.priorityKey === task.priority &&
      state.startKey === task.virtualStartTime
    ) {
      return;
    }
    state.bag?.delete(state);
    state.priorityKey = task.priority;
    state.startKey = task.virtualStartTime;
    state.bag = bag;
    bag?.add(state);
  }

  waitingBagOf(state: TaskState): SortedBag<TaskState> | undefined {
    const task = state.record;
    if (state.worker) {
      if (task.ignoreCapacity || state.offers.length > 0) return undefined;
      state.worker.direct ??= new SortedBag(fifoOrder);
      return state.worker.direct;
    }
    const queue = state.queue;
    if (!queue || state.offers.length >= queue.record.maxReservedWorkers) return undefined;
    let groups = queue.waiting.get(task.taskChannelSid);
    if (!groups) {
      groups = new Map();
      queue.waiting.set(task.taskChannelSid, groups);
    }
    const expression = state.target?.expression;
    const group = expression !== undefined && selectsByWorkerOnly(expression) ? expression : null;
    let bag = groups.get(group);
    if (!bag) {
      bag = new SortedBag(queue.taskOrder === 'LIFO' ? lifoOrder : fifoOrder);
      groups.set(group, bag);
    }
    return bag;
  }

  /** Offers the task to as many eligible workers as it may have reservations; returns how many. */
  matchTask(state: TaskState): number {
    if (!state.active || !isRoutable(state.record)) return 0;
    const task = state.record;
    if (state.worker) {
      const worker = state.worker;
      if (state.offers.length > 0 || this.context.workspace.workers.get(worker.record.sid) !== worker.record)
        return 0;
      if (!task.ignoreCapacity && !this.index.isReady(worker, task.taskChannelSid)) return 0;
      return this.reserve(state, worker) ? 1 : 0;
    }
    const queue = state.queue;
    if (!queue || !state.bag) return 0;
    let made = 0;
    for (const worker of this.chooseWorkers(
      state,
      queue,
      queue.record.maxReservedWorkers - state.offers.length,
    )) {
      if (!state.active || !this.reserve(state, worker)) break;
      made++;
    }
    return made;
  }

  /** Up to `wanted` workers for the task: eligible, in order_by order or longest idle first. */
  private chooseWorkers(state: TaskState, queue: QueueState, wanted: number): WorkerState[] {
    const channelSid = state.record.taskChannelSid;
    const eligible = (worker: WorkerState) =>
      this.index.isReady(worker, channelSid) && this.accepts(state, worker);
    const knownWorker = state.target?.knownWorker;
    if (knownWorker) {
      const worker = this.knownWorkerOf(state);
      return worker?.readyIn.has(this.index.readyBag(queue, channelSid)) && eligible(worker) ? [worker] : [];
    }
    // An expression has its own index of the ready workers it selects (per distinct task values it
    // reads), so a task whose expression selects nobody costs the same with 100 workers as with
    // 10,000. A worker-only one gets it at once; one reading `task.` once a scan of the ready
    // workers met two it rejects, so values whose first ready workers suit cost no index.
    const expression = state.target?.expression;
    const attributes = state.record.attributesValue;
    const selected =
      expression === undefined
        ? undefined
        : this.index.selectedBag(queue, channelSid, expression, attributes, selectsByWorkerOnly(expression));
    const orderBy = state.target?.orderBy ?? [];
    const chosen: WorkerState[] = [];
    let rejected = 0;
    (selected ?? this.index.readyBag(queue, channelSid)).scan((worker) => {
      if (eligible(worker)) chosen.push(worker);
      else rejected++;
      return orderBy.length > 0 || chosen.length < wanted;
    });
    if (selected === undefined && expression !== undefined && rejected >= INDEX_AFTER_REJECTIONS)
      this.index.selectedBag(queue, channelSid, expression, attributes, true);
    return orderBy.length > 0 ? sortByOrderBy(chosen, orderBy).slice(0, wanted) : chosen;
  }

  /** Whether the task's current step takes this worker (capacity aside). */
  private accepts(state: TaskState, worker: WorkerState): boolean {
    for (const offer of state.offers) if (offer.workerSid === worker.record.sid) return false;
    const target = state.target;
    if (!target) return true;
    if (target.knownWorker && this.knownWorkerOf(state) !== worker) return false;
    return (
      target.expression === undefined ||
      targetTakes(target.expression, state.record.attributesValue, this.index.view(worker))
    );
  }

  /** The SID of the worker the task's known-worker target names, or null when it names none. */
  knownWorkerSid(state: TaskState): string | null {
    return this.knownWorkerOf(state)?.record.sid ?? null;
  }

  private knownWorkerOf(state: TaskState): WorkerState | undefined {
    const known = state.target?.knownWorker;
    if (!known) return undefined;
    const value = known.resolve(state.record.attributesValue);
    if (typeof value !== 'string') return undefined;
    const sid =
      known.field === 'known_worker_sid'
        ? value
        : this.context.workspace.workerNames.get(value.toLowerCase());
    return sid !== undefined && this.context.workspace.workers.has(sid)
      ? this.index.workerState(sid)
      : undefined;
  }

  /**
   * Creates a reservation (unless the task reached the Max Assignment Count, which cancels it),
   * starts its timeout and tells the callback machinery.
   */
  reserve(state: TaskState, worker: WorkerState): ReservationRecord | undefined {
    const task = state.record;
    if (task.assignmentStatus === 'pending' && ++state.cycles > MAX_ASSIGNMENT_COUNT) {
      this.cancelTask(state, CANCEL_REASONS.assignmentCount);
      return undefined;
    }
    // "Events created using Known Agent routing will contain a known_worker_sid."
    const known = state.target?.knownWorker ? { known_worker_sid: worker.record.sid } : undefined;
    const reservation = createReservation(
      this.context.source,
      this.context.workspace,
      task,
      worker.record,
      known,
    );
    if (state.offers === NO_OFFERS) state.offers = [];
    state.offers.push(reservation);
    this.index.syncWorker(worker, reservation);
    this.syncTask(state);
    const workflow =
      task.workflowSid === null ? undefined : this.context.workspace.workflows.get(task.workflowSid);
    const timeout = workflow?.taskReservationTimeout ?? DEFAULT_TASK_RESERVATION_TIMEOUT;
    this.reservationTimers.set(
      reservation.sid,
      this.context.store.clock.scheduleJob(
        reservation.created + timeout * 1000,
        this.context.job('reservation', reservation.sid),
      ),
    );
    this.offered(reservation);
    return reservation;
  }

  /** pending → timeout: the worker moves to the workspace's timeout activity. */
  timeOut(reservation: ReservationRecord): void {
    this.reservationTimers.delete(reservation.sid);
    if (reservation.status !== 'pending') return;
    endPendingReservation(this.context.source, this.context.workspace, reservation, 'timeout');
    const worker = this.context.workspace.workers.get(reservation.workerSid);
    const activitySid = this.context.workspace.record.timeoutActivitySid;
    if (worker && this.context.workspace.activities.has(activitySid)) {
      changeWorkerActivity(this.context.source, this.context.workspace, worker, activitySid);
    }
  }

  /** Offers a worker that may have become ready the best waiting task it can take, repeatedly. */
  matchWorker(worker: WorkerState): void {
    for (;;) {
      if (this.context.workspace.workers.get(worker.record.sid) !== worker.record) return;
      let best: TaskState | undefined;
      const consider = (bag: SortedBag<TaskState> | undefined, channelSid: string | undefined) => {
        if (!bag || bag.size === 0) return;
        bag.scan((state) => {
          const fits = channelSid !== undefined || this.index.isReady(worker, state.record.taskChannelSid);
          if (!fits || !this.accepts(state, worker)) return true;
          if (!best || this.servesFirst(state, best)) best = state;
          return false;
        });
      };
      for (const queue of worker.queues) {
        for (const [channelSid, groups] of queue.waiting) {
          if (!this.index.isReady(worker, channelSid)) continue;
          for (const [expression, bag] of groups) {
            if (bag.size === 0) groups.delete(expression);
            // A worker-only expression that rejects the worker rejects every task of its group.
            else if (expression === null || targetTakes(expression, NO_ATTRIBUTES, this.index.view(worker)))
              consider(bag, channelSid);
          }
        }
      }
      consider(worker.direct, undefined);
      if (!best) return;
      const chosen: TaskState = best;
      if (!this.reserve(chosen, worker) && chosen.active) return;
    }
  }

  /**
   * Which of two waiting tasks a worker in both queues serves first: the workspace's
   * PrioritizeQueueOrder decides between FIFO and LIFO queues; FIFO serves higher priority, then
   * older tasks; LIFO the newest.
   */
  private servesFirst(a: TaskState, b: TaskState): boolean {
    const preferred = this.context.workspace.record.prioritizeQueueOrder;
    const orderOf = (state: TaskState) => state.queue?.taskOrder ?? 'FIFO';
    const [orderA, orderB] = [orderOf(a), orderOf(b)];
    if (orderA !== orderB) return orderA === preferred;
    return (orderA === 'LIFO' ? lifoOrder(a, b) : fifoOrder(a, b)) < 0;
  }
}

/**
 * Sorts workers by `order_by` clauses: integer attributes only, workers lacking one after those
 * having it; ties keep the incoming (longest idle first) order.
 */
function sortByOrderBy(workers: WorkerState[], clauses: readonly OrderByClause[]): WorkerState[] {
  const attributeOf = (worker: WorkerState, path: readonly string[]): number | undefined => {
    let value: unknown = worker.record.attributesValue;
    for (const segment of path) {
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, segment)
          ? (value as Record<string, unknown>)[segment]
          : undefined;
    }
    return Number.isInteger(value) ? (value as number) : undefined;
  };
  const paths = clauses.map((clause) => clause.attribute.split('.'));
  return workers
    .map((worker, index) => ({ worker, index, values: paths.map((path) => attributeOf(worker, path)) }))
    .sort((a, b) => {
      for (let i = 0; i < clauses.length; i++) {
        const [left, right] = [a.values[i], b.values[i]];
        if (left === right) continue;
        if (left === undefined) return 1;
        if (right === undefined) return -1;
        return clauses[i]!.direction === 'DESC' ? right - left : left - right;
      }
      return a.index - b.index;
    })
    .map((entry) => entry.worker);
}
