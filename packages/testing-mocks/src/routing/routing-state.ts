/**
 * What the parts of a workspace's router share: the routing state of tasks, workers and queues,
 * the orders routing sorts them in, and the sets of what changed since routing last settled.
 */
import type { CompiledExpression, CompiledTarget, CompiledWorkflow } from '@taskrouter/workflow-builder';
import type { ScheduledTimer, TimerJob } from '../domain/clock.js';
import type { EventSource } from '../domain/event-log.js';
import type {
  ReservationRecord,
  Store,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkspaceState,
} from '../domain/state.js';
import type { SortedBag } from './sorted-bag.js';
import { TaskExpiry } from './task-expiry.js';

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

/** The attributes `skip_if` and target expressions read beside their named scopes: none. */
export const NO_ATTRIBUTES = Object.freeze({});
// Shared by every task without offers; frozen, so a push that skipped the identity check throws.
export const NO_OFFERS: ReservationRecord[] = [];
Object.freeze(NO_OFFERS);

/** Routing state of a worker. */
export interface WorkerState {
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

/** Routing state of a task queue. */
export interface QueueState {
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
  /**
   * Task channel SID → selection key (`selectionKey`: a target expression with the task values it
   * reads) → the ready members it selects, least recently used first. Built on first use.
   */
  readonly selections: Map<string, Map<string, Selection>>;
  /**
   * Task channel SID → tasks waiting for more reservations, grouped by their target expression
   * when it reads only `worker.` (a worker it rejects skips the whole group), else under null.
   */
  readonly waiting: Map<string, Map<CompiledExpression | null, SortedBag<TaskState>>>;
}

/** The ready members of a queue that a target expression selects for tasks of equal values. */
export interface Selection {
  readonly expression: CompiledExpression;
  /** Attributes of a task the selection was built for: any task of the same key selects the same. */
  readonly taskAttributes: object;
  readonly bag: SortedBag<WorkerState>;
}

/** Routing state of a task that still needs routing. */
export interface TaskState {
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

/** Longest idle first. */
export const byIdleTime = (a: WorkerState, b: WorkerState): number => a.idleKey - b.idleKey;
/** The worker's idle key on one task channel. */
export const idleOn = (worker: WorkerState, channelSid: string): number =>
  worker.channelIdleKeys?.get(channelSid) ?? worker.record.seq;
/** Higher priority first, then the earlier virtual start, then the older task. */
export const fifoOrder = (a: TaskState, b: TaskState): number =>
  b.priorityKey - a.priorityKey || a.startKey - b.startKey || a.record.seq - b.record.seq;
/** The newest task first. */
export const lifoOrder = (a: TaskState, b: TaskState): number =>
  b.startKey - a.startKey || b.record.seq - a.record.seq;

/** Whether a task can still take reservations. */
export function isRoutable(task: TaskRecord): boolean {
  return task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved';
}

/** What the clock jobs of a workspace's routing do. */
export type RouterTimerKind = 'step' | 'reservation' | 'expiry' | 'removal';

/** The state one workspace's routing parts share, and what changed since routing last settled. */
export class RoutingContext {
  readonly tasks = new Map<string, TaskState>();
  readonly dirtyTasks = new Set<TaskState>();
  readonly dirtyWorkers = new Set<WorkerState>();
  readonly expiries: TaskExpiry<TaskState>;
  /** Who records the events routing causes: the emulator itself. */
  readonly source: EventSource;
  disposed = false;

  /**
   * @param expire - ends a task whose time to live is up
   * @param settle - routes what a change made possible
   */
  constructor(
    readonly store: Store,
    readonly workspace: WorkspaceState,
    expire: (state: TaskState) => void,
    readonly settle: () => void,
  ) {
    this.source = { store, sourceIpAddress: '', system: true };
    this.expiries = new TaskExpiry(store.clock, this.job('expiry'), expire, settle);
  }

  /** A clock job of this workspace's routing; timers are data, so snapshots can hold them. */
  job(kind: RouterTimerKind, sid?: string): TimerJob {
    return sid === undefined
      ? { kind, workspaceSid: this.workspace.sid }
      : { kind, workspaceSid: this.workspace.sid, sid };
  }

  /** The task no longer needs routing (assigned, finished or deleted): drop its state and timers. */
  finishTask(state: TaskState): void {
    if (!state.active) return;
    state.active = false;
    state.bag?.delete(state);
    state.bag = undefined;
    state.stepTimer?.cancel();
    this.expiries.delete(state);
    this.tasks.delete(state.record.sid);
    this.dirtyTasks.delete(state);
  }

  /** Runs a timer's work for a task, then routes what it made possible. */
  afterTimer(state: TaskState, work: () => void): void {
    if (this.disposed || !state.active) return;
    work();
    this.settle();
  }
}
