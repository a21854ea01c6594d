/**
 * Routing for one workspace: tasks run through their workflow's filters and targets, and are
 * offered to eligible workers, as TaskRouter documents it. Everything is driven by changes the
 * REST layer reports and by timers on the emulator's clock.
 *
 * This class is the facade; the work is split by responsibility:
 * - `task-steps.ts` moves tasks through their workflow's filters and targets;
 * - `worker-index.ts` keeps worker eligibility and the ready indexes up to date;
 * - `matcher.ts` matches tasks with workers and makes reservations;
 * - `task-expiry.ts` ends tasks whose time to live is up.
 *
 * Cost: ready workers wait in sorted bags per (queue, task channel), longest idle first, and
 * waiting tasks in sorted bags per (queue, task channel) in the queue's order, so a routing
 * decision visits only the candidates it needs instead of every worker or task. Target expression
 * results are remembered (`target-evaluations.ts`); a worker-only expression has a bag of the
 * ready workers it selects and a group of the tasks waiting under it, so an expression that
 * rejects every worker costs nothing per worker, and one answer per worker for all its tasks.
 */
import type { ScheduledTimer, TimerJob, TimerSnapshot } from '../domain/clock.js';
import {
  acceptReservation,
  addWorkerCallSid,
  hasCallSid,
  recordTaskEvent,
  rejectReservation,
  removeTask,
} from '../domain/lifecycle.js';
import {
  type ReservationRecord,
  type StateChange,
  type Store,
  type TaskRecord,
  touch,
  type WorkerRecord,
  type WorkspaceState,
} from '../domain/state.js';
import { Matcher } from './matcher.js';
import {
  type AssignmentInstruction,
  CANCEL_REASONS,
  fifoOrder,
  NO_OFFERS,
  RoutingContext,
  type RouterTimerKind,
  type TaskState,
} from './routing-state.js';
import { restoreRouter, type RouterSnapshot, snapshotRouter } from './router-snapshot.js';
import { TaskRemovals } from './task-removals.js';
import { TaskSteps } from './task-steps.js';
import { WorkerIndex } from './worker-index.js';

export { type AssignmentInstruction, CANCEL_REASONS, MAX_ASSIGNMENT_COUNT } from './routing-state.js';
export type { RoutedTaskSnapshot, RouterSnapshot } from './router-snapshot.js';

/** Routing state and decisions for one workspace. */
export class WorkspaceRouter {
  readonly context: RoutingContext;
  readonly index: WorkerIndex;
  readonly matcher: Matcher;
  private readonly steps: TaskSteps;
  /** Tasks TaskRouter deletes by itself, once finished or assigned for too long. */
  readonly removals: TaskRemovals;
  private settling = false;

  /**
   * @param offered - told of every reservation made, after its events are recorded (assignment callbacks)
   */
  constructor(
    store: Store,
    readonly workspace: WorkspaceState,
    offered: (reservation: ReservationRecord) => void,
  ) {
    const context = new RoutingContext(
      store,
      workspace,
      (state) => {
        // Canceling finishes the task, which stops its expiry.
        // TaskRouter documents this event's description as the reason itself.
        this.steps.cancel(state, CANCEL_REASONS.ttl, CANCEL_REASONS.ttl);
        context.finishTask(state);
      },
      () => this.settle(),
    );
    this.context = context;
    this.index = new WorkerIndex(context);
    this.matcher = new Matcher(context, this.index, offered, (state, reason) =>
      this.steps.cancel(state, reason),
    );
    this.steps = new TaskSteps(context, this.index, this.matcher);
    this.removals = new TaskRemovals(store.clock, workspace.sid, (task) => {
      if (context.disposed || workspace.tasks.get(task.sid) !== task) return;
      removeTask(context.source, workspace, task, 'task.system-deleted');
      this.settle();
    });
  }

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
    this.context.tasks.set(task.sid, state);
    this.context.expiries.add(state);
    if (task.routingTarget?.startsWith('WK')) {
      state.worker = this.index.workerState(task.routingTarget);
      return;
    }
    if (task.taskQueueSid !== null) {
      state.queue = this.index.queueState(task.taskQueueSid);
      return;
    }
    const workflow = task.workflowSid === null ? undefined : this.workspace.workflows.get(task.workflowSid);
    if (!workflow) return;
    state.workflow = workflow.parsedConfiguration.compiled;
    recordTaskEvent(this.context.source, this.workspace, task, 'workflow.entered');
    const first = this.steps.firstStep(state);
    if (first) this.steps.enterStep(state, first[0], first[1], false);
  }

  /** Reacts to a committed change, then routes whatever it made possible. */
  handle(change: StateChange): void {
    if (this.context.disposed) return;
    switch (change.kind) {
      case 'task': {
        if (change.action === 'deleted') this.removals.forget(change.sid);
        const state = this.context.tasks.get(change.sid);
        if (state && change.action === 'created') this.steps.activate(state);
        else if (state) this.steps.taskChanged(state);
        break;
      }
      case 'reservation': {
        const reservation = this.workspace.reservations.get(change.sid);
        const worker = reservation && this.index.workers.get(reservation.workerSid);
        if (worker) this.context.dirtyWorkers.add(worker);
        break;
      }
      case 'worker':
        if (change.action === 'deleted') this.index.dropWorker(change.sid);
        else if (this.workspace.workers.has(change.sid))
          this.context.dirtyWorkers.add(this.index.workerState(change.sid));
        break;
      case 'worker-channel': {
        const channel = this.workspace.workerChannelsBySid.get(change.sid);
        if (channel && this.workspace.workers.has(channel.workerSid)) {
          this.context.dirtyWorkers.add(this.index.workerState(channel.workerSid));
        }
        break;
      }
      case 'task-channel':
        this.index.channelChanged(change.sid, change.action);
        break;
      case 'task-queue':
        if (change.action === 'updated') this.index.queueChanged(change.sid);
        else if (change.action === 'deleted') this.index.dropQueue(change.sid);
        break;
      case 'workflow':
        if (change.action === 'updated' && change.reEvaluate) this.steps.reEvaluateWorkflow(change.sid);
        break;
      case 'workspace':
        for (const worker of this.index.workers.values()) this.context.dirtyWorkers.add(worker);
        for (const state of this.context.tasks.values()) this.context.dirtyTasks.add(state);
        break;
    }
    this.settle();
  }

  /** The priority the task's current target sets, if it is routed by one that sets it. */
  targetPriority(task: TaskRecord): number | undefined {
    const state = this.context.tasks.get(task.sid);
    return state?.active ? state.target?.priority : undefined;
  }

  /** Notes a reservation status change made in the middle of a transition; acted on in `settle`. */

  noteReservation(reservation: ReservationRecord): void {
    if (reservation.status !== 'pending') {
      this.matcher.reservationEnded(reservation);
    }
    const state = this.context.tasks.get(reservation.taskSid);
    if (state) {
      if (reservation.status !== 'pending') {
        const at = state.offers.indexOf(reservation);
        if (at >= 0) state.offers.splice(at, 1);
      }
      this.context.dirtyTasks.add(state);
    }
    const worker = this.index.workers.get(reservation.workerSid);
    if (worker) this.context.dirtyWorkers.add(worker);
  }

  /**
   * Offers a pending or reserved task to a worker regardless of eligibility, as routing would
   * (used by the seeding helper). The caller checked that the task can take a reservation.
   */
  reserveDirectly(task: TaskRecord, worker: WorkerRecord): ReservationRecord | undefined {
    const state = this.context.tasks.get(task.sid);
    if (!state) return undefined;
    const reservation = this.matcher.reserve(state, this.index.workerState(worker.sid));
    this.settle();
    return reservation;
  }

  /** Applies the instruction of an assignment callback's answer, if the reservation still waits for one. */
  answerOffer(reservation: ReservationRecord, answer: AssignmentInstruction): void {
    const workspace = this.workspace;
    if (this.context.disposed || reservation.status !== 'pending') return;
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
        acceptReservation(this.context.source, workspace, reservation);
        break;
      case 'reject': {
        const activitySid = typeof answer.activity_sid === 'string' ? answer.activity_sid : undefined;
        rejectReservation(this.context.source, workspace, reservation, activitySid);
        break;
      }
      case 'dequeue':
      case 'conference':
      case 'call':
      case 'redirect':
        reservation.instructions.push({ instruction, parameters, at: this.context.store.clock.nowMs() });
        touch(this.context.source, reservation);
        if (instruction === 'dequeue' || instruction === 'call') {
          const task = workspace.tasks.get(reservation.taskSid);
          if (task) addWorkerCallSid(this.context.source, workspace, task);
        }
        // A conference needs the caller's call (call_sid); without it TaskRouter accepts nothing.
        if (instruction === 'conference') {
          const task = workspace.tasks.get(reservation.taskSid);
          if (task === undefined || !hasCallSid(task)) break;
        }
        if (instruction === 'dequeue' || instruction === 'conference' || acceptFlag) {
          acceptReservation(this.context.source, workspace, reservation);
        }
        break;
      default:
        // TaskRouter reports unknown instructions to the debugger and leaves the reservation pending.
        return;
    }
    const worker = this.index.workers.get(reservation.workerSid);
    if (worker) this.context.dirtyWorkers.add(worker);
    this.settle();
  }

  /** Runs one of this workspace's clock jobs (see {@link RoutingContext.job}). */
  runTimer(job: TimerJob, timer: ScheduledTimer): void {
    const context = this.context;
    if (context.disposed) return;
    switch (job.kind as RouterTimerKind) {
      case 'step': {
        const state = context.tasks.get(job.sid ?? '');
        if (state?.stepTimer === timer)
          context.afterTimer(state, () => this.steps.leaveStep(state, 'timeout'));
        break;
      }
      case 'reservation': {
        const reservation = this.workspace.reservations.get(job.sid ?? '');
        const state = reservation && context.tasks.get(reservation.taskSid);
        if (state) context.afterTimer(state, () => this.matcher.timeOut(reservation));
        break;
      }
      case 'expiry':
        context.expiries.run(timer);
        break;
      case 'removal':
        this.removals.fire(timer);
        break;
    }
  }

  /** The routing state no record holds, as plain data. */
  snapshot(): RouterSnapshot {
    return snapshotRouter(this);
  }

  /**
   * Rebuilds the routing state of a snapshot on the restored records; `timers` are this
   * workspace's restored clock jobs, which the router holds again.
   */
  restore(snapshot: RouterSnapshot, timers: ReadonlyMap<ScheduledTimer, TimerSnapshot>): void {
    restoreRouter(this, snapshot, timers);
  }

  /** Stops every timer; the workspace is gone. */
  dispose(): void {
    this.context.disposed = true;
    this.matcher.dispose();
    for (const state of this.context.tasks.values()) state.stepTimer?.cancel();
    this.context.expiries.dispose();
    this.removals.dispose();
    this.context.tasks.clear();
  }

  /**
   * Routes until nothing more can happen: workers whose situation changed are brought up to
   * date first, then changed tasks look for workers (best task first), then changed workers look
   * for tasks.
   */
  private settle(): void {
    if (this.settling || this.context.disposed) return;
    this.settling = true;
    try {
      while (this.context.dirtyWorkers.size > 0 || this.context.dirtyTasks.size > 0) {
        const workers = [...this.context.dirtyWorkers];
        this.context.dirtyWorkers.clear();
        for (const worker of workers) this.index.syncWorker(worker);
        const tasks = [...this.context.dirtyTasks];
        this.context.dirtyTasks.clear();
        for (const state of tasks) this.matcher.syncTask(state);
        tasks.sort(fifoOrder);
        for (const state of tasks) this.matcher.matchTask(state);
        for (const worker of workers) this.matcher.matchWorker(worker);
      }
    } finally {
      this.settling = false;
    }
  }
}
