/**
 * Routing for one workspace: tasks run through their workflow's filters and targets, and are
 * offered to eligible workers, as TaskRouter documents it. Everything is driven by changes the
 * REST layer reports and by timers on the emulator's clock.
 *
 * Cost: ready workers wait in sorted bags per (queue, task channel), longest idle first, and
 * waiting tasks in sorted bags per (queue, task channel) in the queue's order, so a routing
 * decision visits only the candidates it needs instead of every worker or task.
 */
import {
  type CompiledTarget,
  type CompiledWorkflow,
  findMatchingFilter,
  listExpressionKeys,
  type OrderByClause,
} from '@taskrouter/workflow-builder';
import type { ScheduledTimer, TimerJob, TimerSnapshot } from '../domain/clock.js';
import type { EventSource } from '../domain/event-log.js';
import {
  acceptReservation,
  addWorkerCallSid,
  cancelTask,
  changeWorkerActivity,
  createReservation,
  endPendingReservation,
  enterQueue,
  recordTaskEvent,
  rejectReservation,
  removeTask,
} from '../domain/lifecycle.js';
import type {
  ReservationRecord,
  StateChange,
  Store,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkspaceState,
} from '../domain/state.js';
import { SortedBag } from './sorted-bag.js';
import { type PlannedRemoval, TaskRemovals } from './task-removals.js';
import {
  compiledConfiguration,
  configurationSource,
  DEFAULT_TASK_RESERVATION_TIMEOUT,
} from '../domain/workflow-configuration.js';
import { isQueueMember, workerScopes } from '../domain/workers.js';
import { touch } from '../domain/state.js';

/** Pending → reserved cycles after which TaskRouter gives up on a task. */
export const MAX_ASSIGNMENT_COUNT = 1000;
/** Reasons the emulator writes on tasks it cancels itself. */
export const CANCEL_REASONS = {
  ttl: 'Task TTL Exceeded',
  workflowTimeout: 'Task canceled on Workflow timeout',
  workflowSkipped: 'Task skipped out of every workflow step',
  assignmentCount: 'Task canceled after reaching the Max Assignment Count',
} as const;

/** An answer to an assignment callback, with snake_case keys as TaskRouter reads them. */
export type AssignmentInstruction = { readonly instruction: string } & Readonly<Record<string, unknown>>;

const NO_ATTRIBUTES = Object.freeze({});
// Shared by every task without offers; frozen, so a push that skipped the identity check throws.
const NO_OFFERS: ReservationRecord[] = [];
Object.freeze(NO_OFFERS);

interface WorkerState {
  readonly record: WorkerRecord;
  /** `record.version` when queue membership was last computed. */
  membershipVersion: number;
  /** Queues (with routing state) whose `target_workers` select the worker. */
  readonly queues: Set<QueueState>;
  /**
   * Sequence number of the worker's latest reservation, or of the worker itself: the store's
   * sequence follows the clock, so the smallest key is the worker idle the longest.
   */
  idleKey: number;
  /**
   * Task channel SID → sequence number of the worker's latest reservation on that channel: the
   * idle time on a channel, which ChannelOptimizedRouting orders by (the worker's own sequence
   * number stands for channels it never had a reservation on).
   */
  channelIdleKeys: Map<string, number> | undefined;
  /** Ready bags the worker is in. */
  readonly readyIn: Set<SortedBag<WorkerState>>;
  /** Attributes plus `sid`, `friendly_name`, `activity_*` and `channel`, for target expressions. */
  view: Record<string, unknown> | undefined;
  viewVersion: number;
  /** Tasks routed to this worker directly (`RoutingTarget`) that wait for its capacity. */
  direct: SortedBag<TaskState> | undefined;
}

interface QueueState {
  readonly record: TaskQueueRecord;
  readonly members: Set<WorkerState>;
  /** The `target_workers` text membership was computed for. */
  targetWorkers: string;
  /** Whether `target_workers` reads worker channel figures, which change with every reservation. */
  readsChannels: boolean;
  /** The task order the waiting bags are sorted by. */
  taskOrder: 'FIFO' | 'LIFO';
  /** Task channel SID → members ready for a task of that channel. Built on first use. */
  readonly ready: Map<string, SortedBag<WorkerState>>;
  /** Task channel SID → tasks waiting for more reservations. */
  readonly waiting: Map<string, SortedBag<TaskState>>;
}

interface TaskState {
  readonly record: TaskRecord;
  active: boolean;
  /** The configuration the task is routed by (a later update applies only with ReEvaluateTasks). */
  workflow: CompiledWorkflow | undefined;
  /** Current filter; -1 is the default filter. */
  filterIndex: number;
  targetIndex: number;
  target: CompiledTarget | undefined;
  /** When the task entered its current filter; target timeouts count from here. */
  filterEnteredAt: number;
  /** Whether the task timed out of a step: then it never falls into the default filter. */
  timedOut: boolean;
  queue: QueueState | undefined;
  /** The worker of a `RoutingTarget` task. */
  worker: WorkerState | undefined;
  /** The waiting bag the task is in, with the sort keys it was added with. */
  bag: SortedBag<TaskState> | undefined;
  priorityKey: number;
  startKey: number;
  /** Pending reservations ({@link NO_OFFERS} until the first, which saves memory on waiting tasks). */
  offers: ReservationRecord[];
  /** Pending → reserved transitions so far. */
  cycles: number;
  stepTimer: ScheduledTimer | undefined;
  /** Attributes text routing last evaluated. */
  attributes: string;
}

const byIdleTime = (a: WorkerState, b: WorkerState): number => a.idleKey - b.idleKey;
const idleOn = (worker: WorkerState, channelSid: string): number =>
  worker.channelIdleKeys?.get(channelSid) ?? worker.record.seq;
const fifoOrder = (a: TaskState, b: TaskState): number =>
  b.priorityKey - a.priorityKey || a.startKey - b.startKey || a.record.seq - b.record.seq;
const lifoOrder = (a: TaskState, b: TaskState): number =>
  b.startKey - a.startKey || b.record.seq - a.record.seq;

function isRoutable(task: TaskRecord): boolean {
  return task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved';
}

/** Routing state and decisions for one workspace. */
export class WorkspaceRouter {
  private readonly workers = new Map<string, WorkerState>();
  private readonly queues = new Map<string, QueueState>();
  private readonly tasks = new Map<string, TaskState>();
  private readonly reservationTimers = new Map<string, ScheduledTimer>();
  /**
   * Routed tasks by the end of their time to live. One clock timer, for the earliest, stands for
   * them all: a timer per task would cost more memory than the task itself.
   */
  private readonly expiries = new SortedBag<TaskState>(
    (a, b) => expiryOf(a) - expiryOf(b) || a.record.seq - b.record.seq,
  );
  private expiryTimer: ScheduledTimer | undefined;
  private readonly dirtyTasks = new Set<TaskState>();
  private readonly dirtyWorkers = new Set<WorkerState>();
  private readonly source: EventSource;
  /** Tasks TaskRouter deletes by itself, once finished or assigned for too long. */
  readonly removals: TaskRemovals;
  private settling = false;
  private disposed = false;

  /**
   * @param offered - told of every reservation made, after its events are recorded (assignment callbacks)
   */
  constructor(
    private readonly store: Store,
    readonly workspace: WorkspaceState,
    private readonly offered: (reservation: ReservationRecord) => void,
  ) {
    this.source = { store, sourceIpAddress: '', system: true };
    this.removals = new TaskRemovals(store.clock, workspace.sid, (task) => {
      if (this.disposed || workspace.tasks.get(task.sid) !== task) return;
      removeTask(this.source, workspace, task, 'task.system-deleted');
      this.settle();
    });
  }

  // ---- entry points -------------------------------------------------------------------------

  /** Places a new task in its first queue, before `task.created` is recorded. */
  placeNewTask(task: TaskRecord): void {
    const state: TaskState = {
      record: task,
      active: true,
      workflow: undefined,
      filterIndex: -1,
      targetIndex: 0,
      target: undefined,
      filterEnteredAt: task.created,
      timedOut: false,
      queue: undefined,
      worker: undefined,
      bag: undefined,
      priorityKey: task.priority,
      startKey: task.virtualStartTime,
      offers: NO_OFFERS,
      cycles: 0,
      stepTimer: undefined,
      attributes: task.attributes,
    };
    this.tasks.set(task.sid, state);
    this.expiries.add(state);
    this.armExpiry();
    if (task.routingTarget?.startsWith('WK')) {
      state.worker = this.workerState(task.routingTarget);
      return;
    }
    if (task.taskQueueSid !== null) {
      state.queue = this.queueState(task.taskQueueSid);
      return;
    }
    const workflow = task.workflowSid === null ? undefined : this.workspace.workflows.get(task.workflowSid);
    if (!workflow) return;
    state.workflow = workflow.parsedConfiguration.compiled;
    recordTaskEvent(this.source, this.workspace, task, 'workflow.entered');
    const first = this.firstStep(state);
    if (first) this.enterStep(state, first[0], first[1], false);
  }

  /** Reacts to a committed change, then routes whatever it made possible. */
  handle(change: StateChange): void {
    if (this.disposed) return;
    switch (change.kind) {
      case 'task': {
        if (change.action === 'deleted') this.removals.forget(change.sid);
        const state = this.tasks.get(change.sid);
        if (state && change.action === 'created') this.activate(state);
        else if (state) this.taskChanged(state);
        break;
      }
      case 'reservation': {
        const reservation = this.workspace.reservations.get(change.sid);
        const worker = reservation && this.workers.get(reservation.workerSid);
        if (worker) this.dirtyWorkers.add(worker);
        break;
      }
      case 'worker':
        if (change.action === 'deleted') this.dropWorker(change.sid);
        else if (this.workspace.workers.has(change.sid)) this.dirtyWorkers.add(this.workerState(change.sid));
        break;
      case 'worker-channel': {
        const channel = this.workspace.workerChannelsBySid.get(change.sid);
        if (channel && this.workspace.workers.has(channel.workerSid)) {
          this.dirtyWorkers.add(this.workerState(channel.workerSid));
        }
        break;
      }
      case 'task-channel':
        this.channelChanged(change.sid, change.action);
        break;
      case 'task-queue':
        if (change.action === 'updated') this.queueChanged(change.sid);
        else if (change.action === 'deleted') this.dropQueue(change.sid);
        break;
      case 'workflow':
        if (change.action === 'updated' && change.reEvaluate) this.reEvaluateWorkflow(change.sid);
        break;
      case 'workspace':
        for (const worker of this.workers.values()) this.dirtyWorkers.add(worker);
        for (const state of this.tasks.values()) this.dirtyTasks.add(state);
        break;
    }
    this.settle();
  }

  /** Notes a reservation status change made in the middle of a transition; acted on in `settle`. */
  noteReservation(reservation: ReservationRecord): void {
    if (reservation.status !== 'pending') {
      this.reservationTimers.get(reservation.sid)?.cancel();
      this.reservationTimers.delete(reservation.sid);
    }
    const state = this.tasks.get(reservation.taskSid);
    if (state) {
      if (reservation.status !== 'pending') {
        const at = state.offers.indexOf(reservation);
        if (at >= 0) state.offers.splice(at, 1);
      }
      this.dirtyTasks.add(state);
    }
    const worker = this.workers.get(reservation.workerSid);
    if (worker) this.dirtyWorkers.add(worker);
  }

  /**
   * Offers a pending or reserved task to a worker regardless of eligibility, as routing would
   * (used by the seeding helper). The caller checked that the task can take a reservation.
   */
  reserveDirectly(task: TaskRecord, worker: WorkerRecord): ReservationRecord | undefined {
    const state = this.tasks.get(task.sid);
    if (!state) return undefined;
    const reservation = this.reserve(state, this.workerState(worker.sid));
    this.settle();
    return reservation;
  }

  /** Applies the instruction of an assignment callback's answer, if the reservation still waits for one. */
  answerOffer(reservation: ReservationRecord, answer: AssignmentInstruction): void {
    const workspace = this.workspace;
    if (this.disposed || reservation.status !== 'pending') return;
    if (workspace.reservations.get(reservation.sid) !== reservation) return;
    const { instruction } = answer;
    const parameters: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer)) {
      if (name === 'instruction' || value === undefined || value === null) continue;
      parameters[name] = Array.isArray(value)
        ? value.map(String)
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    }
    const acceptFlag = parameters.accept === 'true';
    switch (instruction) {
      case 'accept':
        acceptReservation(this.source, workspace, reservation);
        break;
      case 'reject': {
        const activitySid = typeof answer.activity_sid === 'string' ? answer.activity_sid : undefined;
        rejectReservation(this.source, workspace, reservation, activitySid);
        break;
      }
      case 'dequeue':
      case 'conference':
      case 'call':
      case 'redirect':
        reservation.instructions.push({ instruction, parameters, at: this.store.clock.nowMs() });
        touch(this.source, reservation);
        if (instruction === 'dequeue' || instruction === 'call') {
          const task = workspace.tasks.get(reservation.taskSid);
          if (task) addWorkerCallSid(this.source, workspace, task);
        }
        if (instruction === 'dequeue' || instruction === 'conference' || acceptFlag) {
          acceptReservation(this.source, workspace, reservation);
        }
        break;
      default:
        // TaskRouter reports unknown instructions to the debugger and leaves the reservation pending.
        return;
    }
    const worker = this.workers.get(reservation.workerSid);
    if (worker) this.dirtyWorkers.add(worker);
    this.settle();
  }

  /** Stops every timer; the workspace is gone. */
  dispose(): void {
    this.disposed = true;
    for (const timer of this.reservationTimers.values()) timer.cancel();
    for (const state of this.tasks.values()) state.stepTimer?.cancel();
    this.expiryTimer?.cancel();
    this.removals.dispose();
    this.reservationTimers.clear();
    this.tasks.clear();
  }

  // ---- the workflow ---------------------------------------------------------------------------

  /** Where a task entering its workflow goes: its first matching filter, else the default filter. */
  private firstStep(state: TaskState): [number, number] | undefined {
    const workflow = state.workflow!;
    state.filterEnteredAt = this.store.clock.nowMs();
    state.timedOut = false;
    const index = findMatchingFilter(workflow, state.record.attributesValue);
    if (index >= 0) return [index, 0];
    return workflow.defaultTarget ? [-1, 0] : undefined;
  }

  /** The step after the current one, or undefined when the workflow has nothing left for the task. */
  private nextStep(state: TaskState, reason: 'timeout' | 'skip'): [number, number] | undefined {
    const workflow = state.workflow!;
    if (reason === 'timeout') state.timedOut = true;
    if (state.filterIndex < 0) return undefined;
    if (state.targetIndex + 1 < workflow.filters[state.filterIndex]!.targets.length) {
      return [state.filterIndex, state.targetIndex + 1];
    }
    const next = findMatchingFilter(workflow, state.record.attributesValue, state.filterIndex);
    if (next >= 0) {
      state.filterEnteredAt = this.store.clock.nowMs();
      return [next, 0];
    }
    return !state.timedOut && workflow.defaultTarget ? [-1, 0] : undefined;
  }

  /**
   * Moves the task into a step: its queue and priority, then (when `activate`) the
   * `workflow.target-matched` event, offers, `skip_if` and the step's timer. Steps whose
   * cumulative timeout has already passed are gone through without stopping.
   */
  private enterStep(state: TaskState, filterIndex: number, targetIndex: number, activate: boolean): void {
    const workflow = state.workflow!;
    const task = state.record;
    let position: [number, number] | undefined = [filterIndex, targetIndex];
    for (;;) {
      const [f, t] = position;
      const target = f < 0 ? workflow.defaultTarget! : workflow.filters[f]!.targets[t]!;
      state.filterIndex = f;
      state.targetIndex = t;
      state.target = target;
      const deadline = this.deadlineOf(state);
      if (deadline === undefined || deadline > this.store.clock.nowMs()) break;
      position = this.nextStep(state, 'timeout');
      if (!position) {
        this.exhaust(state, 'timeout');
        return;
      }
    }
    const target = state.target!;
    if (target.priority !== undefined) task.priority = target.priority;
    if (this.workspace.taskQueues.has(target.queue)) {
      enterQueue(this.source, this.workspace, task, target.queue);
      state.queue = this.queueState(target.queue);
    } else {
      // The queue was deleted after the configuration stopped naming it: the step is unusable.
      state.queue = undefined;
    }
    if (activate) {
      touch(this.source, task);
      this.activateStep(state);
    }
  }

  private deadlineOf(state: TaskState): number | undefined {
    const cumulative = state.target?.cumulativeTimeout;
    return cumulative === undefined ? undefined : state.filterEnteredAt + cumulative * 1000;
  }

  /** First routing of a created task (its queue is already set). */
  private activate(state: TaskState): void {
    if (!state.workflow) {
      this.dirtyTasks.add(state);
      return;
    }
    if (state.target) this.activateStep(state);
    else this.exhaust(state, 'timeout');
  }

  private activateStep(state: TaskState): void {
    const task = state.record;
    const target = state.target!;
    const filterName =
      state.filterIndex < 0 ? 'Default' : (state.workflow!.filters[state.filterIndex]!.friendlyName ?? null);
    recordTaskEvent(this.source, this.workspace, task, 'workflow.target-matched', {
      workflow_filter_name: filterName,
      workflow_target_index: state.targetIndex,
    });
    if (!state.queue) {
      this.leaveStep(state, 'skip');
      return;
    }
    this.syncTask(state);
    const offered = this.matchTask(state);
    if (!state.active) return;
    if (offered === 0 && target.skipIf?.(NO_ATTRIBUTES, { workers: this.workerCounts(state.queue) })) {
      this.leaveStep(state, 'skip');
      return;
    }
    const deadline = this.deadlineOf(state);
    if (deadline !== undefined) {
      state.stepTimer = this.store.clock.scheduleJob(deadline, this.job('step', task.sid));
    }
  }

  /** Leaves the current step: offers withdrawn, then the next step or the end of the workflow. */
  private leaveStep(state: TaskState, reason: 'timeout' | 'skip'): void {
    const task = state.record;
    state.stepTimer?.cancel();
    state.stepTimer = undefined;
    this.withdrawOffers(state);
    if (reason === 'timeout' && task.taskQueueSid !== null) {
      recordTaskEvent(this.source, this.workspace, task, 'task-queue.timeout');
    }
    const next = this.nextStep(state, reason);
    if (next) this.enterStep(state, next[0], next[1], true);
    else this.exhaust(state, reason);
  }

  /** The workflow has no step left: `workflow.timeout` or `workflow.skipped`, and the task is canceled. */
  private exhaust(state: TaskState, reason: 'timeout' | 'skip'): void {
    const task = state.record;
    const eventType = reason === 'timeout' ? 'workflow.timeout' : 'workflow.skipped';
    recordTaskEvent(this.source, this.workspace, task, eventType);
    this.cancel(
      state,
      reason === 'timeout' ? CANCEL_REASONS.workflowTimeout : CANCEL_REASONS.workflowSkipped,
    );
  }

  private cancel(state: TaskState, reason: string): void {
    if (!state.active || !isRoutable(state.record)) return;
    cancelTask(this.source, this.workspace, state.record, reason);
    this.finishTask(state);
  }

  /** Routes the task again from the top of its workflow (current configuration when `latest`). */
  private restart(state: TaskState, latest: boolean): void {
    const task = state.record;
    if (latest && task.workflowSid !== null) {
      const workflow = this.workspace.workflows.get(task.workflowSid);
      if (workflow) state.workflow = workflow.parsedConfiguration.compiled;
    }
    state.stepTimer?.cancel();
    state.stepTimer = undefined;
    this.withdrawOffers(state);
    const first = this.firstStep(state);
    if (first) this.enterStep(state, first[0], first[1], true);
    else this.exhaust(state, 'timeout');
  }

  private reEvaluateWorkflow(workflowSid: string): void {
    for (const state of [...this.tasks.values()]) {
      if (state.active && state.workflow && state.record.workflowSid === workflowSid)
        this.restart(state, true);
    }
  }

  private withdrawOffers(state: TaskState): void {
    for (const offer of [...state.offers]) {
      endPendingReservation(this.source, this.workspace, offer, 'canceled');
    }
  }

  private workerCounts(queue: QueueState): Record<string, number> {
    const counts: Record<string, number> = { available: 0, unavailable: 0 };
    for (const worker of queue.members) {
      const activitySid = worker.record.activitySid;
      const availability = this.workspace.activities.get(activitySid)?.available
        ? 'available'
        : 'unavailable';
      counts[availability] = (counts[availability] ?? 0) + 1;
      counts[activitySid] = (counts[activitySid] ?? 0) + 1;
    }
    return counts;
  }

  // ---- tasks ----------------------------------------------------------------------------------

  private taskChanged(state: TaskState): void {
    const task = state.record;
    if (!isRoutable(task) || this.workspace.tasks.get(task.sid) !== task) {
      this.finishTask(state);
      return;
    }
    if (task.attributes !== state.attributes) {
      state.attributes = task.attributes;
      // New attributes may choose another filter; within the same filter the step stands and
      // only the offers are reconsidered.
      if (state.workflow && this.firstStepChanges(state)) {
        this.restart(state, false);
        return;
      }
    }
    this.dirtyTasks.add(state);
  }

  private firstStepChanges(state: TaskState): boolean {
    const index = findMatchingFilter(state.workflow!, state.record.attributesValue);
    return state.timedOut || index !== state.filterIndex || (index < 0 && !state.workflow!.defaultTarget);
  }

  /** The task no longer needs routing (assigned, finished or deleted): drop its state and timers. */
  private finishTask(state: TaskState): void {
    if (!state.active) return;
    state.active = false;
    state.bag?.delete(state);
    state.bag = undefined;
    state.stepTimer?.cancel();
    this.expiries.delete(state);
    this.tasks.delete(state.record.sid);
    this.dirtyTasks.delete(state);
  }

  /** Puts the task in the waiting bag it belongs in now (or none), with current sort keys. */
  private syncTask(state: TaskState): void {
    const task = state.record;
    if (!state.active) return;
    if (!isRoutable(task) || this.workspace.tasks.get(task.sid) !== task) {
      this.finishTask(state);
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

  private waitingBagOf(state: TaskState): SortedBag<TaskState> | undefined {
    const task = state.record;
    if (state.worker) {
      if (task.ignoreCapacity || state.offers.length > 0) return undefined;
      state.worker.direct ??= new SortedBag(fifoOrder);
      return state.worker.direct;
    }
    const queue = state.queue;
    if (!queue || state.offers.length >= queue.record.maxReservedWorkers) return undefined;
    let bag = queue.waiting.get(task.taskChannelSid);
    if (!bag) {
      bag = new SortedBag(queue.taskOrder === 'LIFO' ? lifoOrder : fifoOrder);
      queue.waiting.set(task.taskChannelSid, bag);
    }
    return bag;
  }

  /** Offers the task to as many eligible workers as it may have reservations; returns how many. */
  private matchTask(state: TaskState): number {
    if (!state.active || !isRoutable(state.record)) return 0;
    const task = state.record;
    if (state.worker) {
      const worker = state.worker;
      if (state.offers.length > 0 || this.workspace.workers.get(worker.record.sid) !== worker.record)
        return 0;
      if (!task.ignoreCapacity && !this.isReady(worker, task.taskChannelSid)) return 0;
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
    const bag = this.readyBag(queue, channelSid);
    const eligible = (worker: WorkerState) => this.isReady(worker, channelSid) && this.accepts(state, worker);
    const knownWorker = state.target?.knownWorker;
    if (knownWorker) {
      const worker = this.knownWorkerOf(state);
      return worker?.readyIn.has(bag) && eligible(worker) ? [worker] : [];
    }
    const orderBy = state.target?.orderBy ?? [];
    const chosen: WorkerState[] = [];
    bag.scan((worker) => {
      if (eligible(worker)) chosen.push(worker);
      return orderBy.length > 0 || chosen.length < wanted;
    });
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
      target.expression(NO_ATTRIBUTES, { task: state.record.attributesValue, worker: this.view(worker) })
    );
  }

  private knownWorkerOf(state: TaskState): WorkerState | undefined {
    const known = state.target?.knownWorker;
    if (!known) return undefined;
    const value = known.resolve(state.record.attributesValue);
    if (typeof value !== 'string') return undefined;
    const sid =
      known.field === 'known_worker_sid' ? value : this.workspace.workerNames.get(value.toLowerCase());
    return sid !== undefined && this.workspace.workers.has(sid) ? this.workerState(sid) : undefined;
  }

  /**
   * Creates a reservation (unless the task reached the Max Assignment Count, which cancels it),
   * starts its timeout and tells the callback machinery.
   */
  private reserve(state: TaskState, worker: WorkerState): ReservationRecord | undefined {
    const task = state.record;
    if (task.assignmentStatus === 'pending' && ++state.cycles > MAX_ASSIGNMENT_COUNT) {
      this.cancel(state, CANCEL_REASONS.assignmentCount);
      return undefined;
    }
    const reservation = createReservation(this.source, this.workspace, task, worker.record);
    if (state.offers === NO_OFFERS) state.offers = [];
    state.offers.push(reservation);
    this.syncWorker(worker, reservation);
    this.syncTask(state);
    const workflow = task.workflowSid === null ? undefined : this.workspace.workflows.get(task.workflowSid);
    const timeout = workflow?.taskReservationTimeout ?? DEFAULT_TASK_RESERVATION_TIMEOUT;
    this.reservationTimers.set(
      reservation.sid,
      this.store.clock.scheduleJob(
        reservation.created + timeout * 1000,
        this.job('reservation', reservation.sid),
      ),
    );
    this.offered(reservation);
    return reservation;
  }

  /** pending → timeout: the worker moves to the workspace's timeout activity. */
  private timeOut(reservation: ReservationRecord): void {
    this.reservationTimers.delete(reservation.sid);
    if (reservation.status !== 'pending') return;
    endPendingReservation(this.source, this.workspace, reservation, 'timeout');
    const worker = this.workspace.workers.get(reservation.workerSid);
    const activitySid = this.workspace.record.timeoutActivitySid;
    if (worker && this.workspace.activities.has(activitySid)) {
      changeWorkerActivity(this.source, this.workspace, worker, activitySid);
    }
  }

  /** Keeps the clock timer of {@link WorkspaceRouter.expiries} set for the earliest expiry. */
  private armExpiry(): void {
    const first = this.expiries.first();
    if (first === undefined || this.expiryTimer?.at === expiryOf(first)) return;
    this.expiryTimer?.cancel();
    this.expiryTimer = this.store.clock.scheduleJob(expiryOf(first), this.job('expiry'));
  }

  /** Ends the time to live of every task due by now. */
  private expire(): void {
    this.expiryTimer = undefined;
    const now = this.store.clock.nowMs();
    for (let next = this.expiries.first(); next && expiryOf(next) <= now; next = this.expiries.first()) {
      // Canceling finishes the task, which takes it out of the bag.
      this.cancel(next, CANCEL_REASONS.ttl);
      if (this.expiries.first() === next) this.finishTask(next);
    }
    this.armExpiry();
    this.settle();
  }

  private job(kind: RouterTimerKind, sid?: string): TimerJob {
    return sid === undefined
      ? { kind, workspaceSid: this.workspace.sid }
      : { kind, workspaceSid: this.workspace.sid, sid };
  }

  /** Runs one of this workspace's clock jobs (see {@link WorkspaceRouter.job}). */
  runTimer(job: TimerJob, timer: ScheduledTimer): void {
    if (this.disposed) return;
    switch (job.kind as RouterTimerKind) {
      case 'step': {
        const state = this.tasks.get(job.sid ?? '');
        if (state?.stepTimer === timer) this.afterTimer(state, () => this.leaveStep(state, 'timeout'));
        break;
      }
      case 'reservation': {
        const reservation = this.workspace.reservations.get(job.sid ?? '');
        const state = reservation && this.tasks.get(reservation.taskSid);
        if (state) this.afterTimer(state, () => this.timeOut(reservation));
        break;
      }
      case 'expiry':
        if (this.expiryTimer === timer) this.expire();
        break;
      case 'removal':
        this.removals.fire(timer);
        break;
    }
  }

  // ---- snapshots ------------------------------------------------------------------------------

  /** The routing state no record holds, as plain data. */
  snapshot(): RouterSnapshot {
    const workers = [...this.workers.values()].map((worker) => ({
      sid: worker.record.sid,
      idleKey: worker.idleKey,
      channelIdleKeys: worker.channelIdleKeys ? [...worker.channelIdleKeys] : [],
    }));
    const tasks = [...this.tasks.values()].map(
      (state): RoutedTaskSnapshot => ({
        sid: state.record.sid,
        configuration: state.workflow ? configurationSource(state.workflow) : null,
        filterIndex: state.filterIndex,
        targetIndex: state.targetIndex,
        filterEnteredAt: state.filterEnteredAt,
        timedOut: state.timedOut,
        queueSid: state.queue?.record.sid ?? null,
        workerSid: state.worker?.record.sid ?? null,
        waiting: state.bag !== undefined,
        priorityKey: state.priorityKey,
        startKey: state.startKey,
        offers: state.offers.map((offer) => offer.sid),
        cycles: state.cycles,
        attributes: state.attributes,
      }),
    );
    const queues = [...this.queues.values()].map((queue) => ({
      sid: queue.record.sid,
      ready: [...queue.ready.keys()],
    }));
    return { workers, queues, tasks, removals: this.removals.snapshot() };
  }

  /**
   * Rebuilds the routing state of a snapshot on the restored records; `timers` are this
   * workspace's restored clock jobs, which the router holds again.
   */
  restore(snapshot: RouterSnapshot, timers: ReadonlyMap<ScheduledTimer, TimerSnapshot>): void {
    const workspace = this.workspace;
    for (const saved of snapshot.workers) {
      const record = workspace.workers.get(saved.sid);
      if (!record) continue;
      this.workers.set(saved.sid, {
        record,
        membershipVersion: record.version,
        queues: new Set(),
        idleKey: saved.idleKey,
        channelIdleKeys: saved.channelIdleKeys.length > 0 ? new Map(saved.channelIdleKeys) : undefined,
        readyIn: new Set(),
        view: undefined,
        viewVersion: -1,
        direct: undefined,
      });
    }
    // Ready bags are built as they stood: one built later would see readiness the original has
    // not taken in yet within an operation.
    for (const { sid, ready } of snapshot.queues) {
      if (!workspace.taskQueues.has(sid)) continue;
      const queue = this.queueState(sid);
      for (const channelSid of ready) this.readyBag(queue, channelSid);
    }
    for (const saved of snapshot.tasks) {
      const record = workspace.tasks.get(saved.sid);
      if (!record) continue;
      const workflow = saved.configuration === null ? undefined : compiledConfiguration(saved.configuration);
      const target = !workflow
        ? undefined
        : saved.filterIndex < 0
          ? workflow.defaultTarget
          : workflow.filters[saved.filterIndex]?.targets[saved.targetIndex];
      const offers = saved.offers.flatMap((sid) => workspace.reservations.get(sid) ?? []);
      const state: TaskState = {
        record,
        active: true,
        workflow,
        filterIndex: saved.filterIndex,
        targetIndex: saved.targetIndex,
        target,
        filterEnteredAt: saved.filterEnteredAt,
        timedOut: saved.timedOut,
        queue: saved.queueSid === null ? undefined : this.queueState(saved.queueSid),
        worker: saved.workerSid === null ? undefined : this.workerState(saved.workerSid),
        bag: undefined,
        priorityKey: saved.priorityKey,
        startKey: saved.startKey,
        offers: offers.length > 0 ? offers : NO_OFFERS,
        cycles: saved.cycles,
        stepTimer: undefined,
        attributes: saved.attributes,
      };
      this.tasks.set(saved.sid, state);
      this.expiries.add(state);
      if (saved.waiting) {
        state.bag = this.waitingBagOf(state);
        state.bag?.add(state);
      }
    }
    let removalTimer: ScheduledTimer | undefined;
    for (const [timer, { job }] of timers) {
      switch (job.kind as RouterTimerKind) {
        case 'step': {
          const state = this.tasks.get(job.sid ?? '');
          if (state) state.stepTimer = timer;
          break;
        }
        case 'reservation':
          this.reservationTimers.set(job.sid ?? '', timer);
          break;
        case 'expiry':
          this.expiryTimer = timer;
          break;
        case 'removal':
          removalTimer = timer;
          break;
      }
    }
    this.removals.restore(snapshot.removals, workspace.tasks, removalTimer);
  }

  /** Runs a timer's work for a task, then routes what it made possible. */
  private afterTimer(state: TaskState, work: () => void): void {
    if (this.disposed || !state.active) return;
    work();
    this.settle();
  }

  // ---- workers --------------------------------------------------------------------------------

  private workerState(sid: string): WorkerState {
    let state = this.workers.get(sid);
    if (!state) {
      const record = this.workspace.workers.get(sid)!;
      state = {
        record,
        membershipVersion: -1,
        queues: new Set(),
        idleKey: record.seq,
        channelIdleKeys: undefined,
        readyIn: new Set(),
        view: undefined,
        viewVersion: -1,
        direct: undefined,
      };
      this.workers.set(sid, state);
      this.syncWorker(state);
    }
    return state;
  }

  /**
   * Brings a worker's queue membership and ready-bag places up to date; a new `reservation` moves
   * it to the back of its bags (it was just reserved).
   */
  private syncWorker(worker: WorkerState, reservation?: ReservationRecord): void {
    const record = worker.record;
    if (this.workspace.workers.get(record.sid) !== record) {
      this.dropWorker(record.sid);
      return;
    }
    if (reservation !== undefined) {
      // Out of every bag before the sort keys change.
      for (const bag of worker.readyIn) bag.delete(worker);
      worker.readyIn.clear();
      worker.idleKey = reservation.seq;
      worker.channelIdleKeys ??= new Map();
      worker.channelIdleKeys.set(reservation.taskChannelSid, reservation.seq);
    }
    const membershipChanged = worker.membershipVersion !== record.version;
    worker.membershipVersion = record.version;
    for (const queue of this.queues.values()) {
      if (membershipChanged || queue.readsChannels) this.updateMembership(queue, worker);
    }
    for (const queue of worker.queues) {
      for (const [channelSid, bag] of queue.ready) {
        const ready = this.isReady(worker, channelSid);
        if (ready === worker.readyIn.has(bag)) continue;
        if (ready) {
          bag.add(worker);
          worker.readyIn.add(bag);
        } else {
          bag.delete(worker);
          worker.readyIn.delete(bag);
        }
      }
    }
  }

  private updateMembership(queue: QueueState, worker: WorkerState): void {
    const member = isQueueMember(this.workspace, queue.record, worker.record);
    if (member === queue.members.has(worker)) return;
    if (member) {
      queue.members.add(worker);
      worker.queues.add(queue);
      return;
    }
    queue.members.delete(worker);
    worker.queues.delete(queue);
    for (const bag of queue.ready.values()) {
      if (worker.readyIn.delete(bag)) bag.delete(worker);
    }
  }

  /** Whether a worker can take one more task of the channel now. */
  private isReady(worker: WorkerState, channelSid: string): boolean {
    const workspace = this.workspace;
    const record = worker.record;
    if (!workspace.activities.get(record.activitySid)?.available) return false;
    const channels = workspace.workerChannels.get(record.sid);
    const channel = channels?.get(channelSid);
    if (!channel?.available || channel.reservedTasks + channel.assignedTasks >= channel.capacity)
      return false;
    if (!workspace.record.multiTaskEnabled) {
      // Single-tasking: one task at a time, whatever the channel.
      for (const other of channels!.values()) if (other.reservedTasks + other.assignedTasks > 0) return false;
    }
    return true;
  }

  /** The worker as target expressions see it under `worker.`. */
  private view(worker: WorkerState): Record<string, unknown> {
    if (worker.view === undefined || worker.viewVersion !== worker.record.version) {
      worker.view = workerScopes(this.workspace, worker.record, { ...worker.record.attributesValue });
      worker.viewVersion = worker.record.version;
    }
    return worker.view;
  }

  /** Offers a worker that may have become ready the best waiting task it can take, repeatedly. */
  private matchWorker(worker: WorkerState): void {
    for (;;) {
      if (this.workspace.workers.get(worker.record.sid) !== worker.record) return;
      let best: TaskState | undefined;
      const consider = (bag: SortedBag<TaskState> | undefined, channelSid: string | undefined) => {
        if (!bag || bag.size === 0) return;
        if (channelSid !== undefined && !this.isReady(worker, channelSid)) return;
        bag.scan((state) => {
          const fits = channelSid !== undefined || this.isReady(worker, state.record.taskChannelSid);
          if (!fits || !this.accepts(state, worker)) return true;
          if (!best || this.servesFirst(state, best)) best = state;
          return false;
        });
      };
      for (const queue of worker.queues) {
        for (const [channelSid, bag] of queue.waiting) consider(bag, channelSid);
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
    const preferred = this.workspace.record.prioritizeQueueOrder;
    const orderOf = (state: TaskState) => state.queue?.taskOrder ?? 'FIFO';
    const [orderA, orderB] = [orderOf(a), orderOf(b)];
    if (orderA !== orderB) return orderA === preferred;
    return (orderA === 'LIFO' ? lifoOrder(a, b) : fifoOrder(a, b)) < 0;
  }

  private dropWorker(sid: string): void {
    const worker = this.workers.get(sid);
    if (!worker) return;
    for (const bag of worker.readyIn) bag.delete(worker);
    for (const queue of worker.queues) queue.members.delete(worker);
    this.workers.delete(sid);
    this.dirtyWorkers.delete(worker);
  }

  // ---- queues ---------------------------------------------------------------------------------

  private queueState(sid: string): QueueState {
    let queue = this.queues.get(sid);
    if (!queue) {
      const record = this.workspace.taskQueues.get(sid)!;
      queue = {
        record,
        members: new Set(),
        targetWorkers: record.targetWorkers,
        readsChannels: readsChannels(record.targetWorkers),
        taskOrder: record.taskOrder,
        ready: new Map(),
        waiting: new Map(),
      };
      this.queues.set(sid, queue);
      for (const workerSid of this.workspace.workers.keys()) {
        this.updateMembership(queue, this.workerState(workerSid));
      }
    }
    return queue;
  }

  private readyBag(queue: QueueState, channelSid: string): SortedBag<WorkerState> {
    let bag = queue.ready.get(channelSid);
    if (!bag) {
      const optimized = this.workspace.taskChannels.get(channelSid)?.channelOptimizedRouting;
      bag = new SortedBag(
        optimized ? (a, b) => idleOn(a, channelSid) - idleOn(b, channelSid) || byIdleTime(a, b) : byIdleTime,
      );
      queue.ready.set(channelSid, bag);
      for (const worker of queue.members) {
        if (this.isReady(worker, channelSid)) {
          bag.add(worker);
          worker.readyIn.add(bag);
        }
      }
    }
    return bag;
  }

  /**
   * A task channel was created, updated or deleted. Its ready bags are rebuilt when next needed,
   * in the order ChannelOptimizedRouting asks for. A deleted channel's waiting bags (empty: no
   * active task may use it) and idle times go too, so a channel created later under the same
   * name starts fresh. Creating or deleting a channel changes every worker's `channel.<name>`
   * figures, so queues whose `target_workers` read them recompute their members.
   */
  private channelChanged(channelSid: string, action: StateChange['action']): void {
    let readsChannels = false;
    for (const queue of this.queues.values()) {
      readsChannels ||= queue.readsChannels;
      const bag = queue.ready.get(channelSid);
      if (bag) {
        bag.scan((worker) => {
          worker.readyIn.delete(bag);
          return true;
        });
        queue.ready.delete(channelSid);
      }
      if (action === 'deleted') queue.waiting.delete(channelSid);
    }
    if (action === 'updated') return;
    for (const worker of this.workers.values()) {
      if (action === 'deleted') worker.channelIdleKeys?.delete(channelSid);
      if (readsChannels) this.dirtyWorkers.add(worker);
    }
  }

  private queueChanged(sid: string): void {
    const queue = this.queues.get(sid);
    if (!queue) return;
    const record = queue.record;
    if (queue.targetWorkers !== record.targetWorkers) {
      queue.targetWorkers = record.targetWorkers;
      queue.readsChannels = readsChannels(record.targetWorkers);
      for (const workerSid of this.workspace.workers.keys()) {
        const worker = this.workerState(workerSid);
        this.updateMembership(queue, worker);
        this.dirtyWorkers.add(worker);
      }
    }
    const states = [...this.tasks.values()].filter((state) => state.queue === queue);
    if (queue.taskOrder !== record.taskOrder) {
      queue.taskOrder = record.taskOrder;
      for (const state of states) {
        state.bag?.delete(state);
        state.bag = undefined;
      }
      queue.waiting.clear();
    }
    for (const state of states) this.dirtyTasks.add(state);
  }

  private dropQueue(sid: string): void {
    const queue = this.queues.get(sid);
    if (!queue) return;
    for (const worker of queue.members) {
      worker.queues.delete(queue);
      for (const bag of queue.ready.values()) worker.readyIn.delete(bag);
    }
    this.queues.delete(sid);
  }

  // ---- settling -------------------------------------------------------------------------------

  /**
   * Routes until nothing more can happen: workers whose situation changed are brought up to
   * date first, then changed tasks look for workers (best task first), then changed workers look
   * for tasks.
   */
  private settle(): void {
    if (this.settling || this.disposed) return;
    this.settling = true;
    try {
      while (this.dirtyWorkers.size > 0 || this.dirtyTasks.size > 0) {
        const workers = [...this.dirtyWorkers];
        this.dirtyWorkers.clear();
        for (const worker of workers) this.syncWorker(worker);
        const tasks = [...this.dirtyTasks];
        this.dirtyTasks.clear();
        for (const state of tasks) this.syncTask(state);
        tasks.sort(fifoOrder);
        for (const state of tasks) this.matchTask(state);
        for (const worker of workers) this.matchWorker(worker);
      }
    } finally {
      this.settling = false;
    }
  }
}

/** What the clock jobs of a workspace's routing do. */
type RouterTimerKind = 'step' | 'reservation' | 'expiry' | 'removal';

/** A routed task's state beyond its record, as a snapshot stores it. */
export interface RoutedTaskSnapshot {
  readonly sid: string;
  /** The workflow configuration the task is routed by, as text (null: no workflow). */
  readonly configuration: string | null;
  readonly filterIndex: number;
  readonly targetIndex: number;
  readonly filterEnteredAt: number;
  readonly timedOut: boolean;
  readonly queueSid: string | null;
  readonly workerSid: string | null;
  /** Whether the task waits for more reservations. */
  readonly waiting: boolean;
  readonly priorityKey: number;
  readonly startKey: number;
  /** SIDs of its pending reservations, oldest first. */
  readonly offers: readonly string[];
  readonly cycles: number;
  readonly attributes: string;
}

/** A workspace's routing state beyond its records, as a snapshot stores it. */
export interface RouterSnapshot {
  /** Workers in the order routing met them, with their idle order. */
  readonly workers: readonly {
    readonly sid: string;
    readonly idleKey: number;
    readonly channelIdleKeys: readonly (readonly [string, number])[];
  }[];
  /** Queues in the order routing met them, with the task channels they have ready workers for. */
  readonly queues: readonly { readonly sid: string; readonly ready: readonly string[] }[];
  readonly tasks: readonly RoutedTaskSnapshot[];
  readonly removals: readonly PlannedRemoval[];
}

/** When a task's time to live ends. */
function expiryOf(state: TaskState): number {
  return state.record.created + state.record.timeout * 1000;
}

function readsChannels(targetWorkers: string): boolean {
  try {
    return listExpressionKeys(targetWorkers).some((key) => key === 'channel' || key.startsWith('channel.'));
  } catch {
    return false;
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
