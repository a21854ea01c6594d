import type { VirtualClock } from './clock.js';
import type { CompiledExpression } from './expressions.js';
import { SeqMap } from './seq-map.js';
import type { ParsedWorkflowConfiguration } from './workflow-configuration.js';

/** A JSON object, as stored in attributes and configurations. */
export type JsonObject = { [key: string]: unknown };

/** Status of a task, as in `assignment_status`. */
export type TaskStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
/** Status of a reservation, as in `reservation_status`. */
export type ReservationStatus =
  | 'pending'
  | 'accepted'
  | 'rejected'
  | 'timeout'
  | 'canceled'
  | 'rescinded'
  | 'wrapping'
  | 'completed';

/** Fields every stored record has. Times are epoch milliseconds of the virtual clock. */
export interface BaseRecord {
  readonly sid: string;
  /** Creation order across the whole emulator; the stable key of list paging. */
  readonly seq: number;
  readonly created: number;
  updated: number;
}

/** Records whose updates bump a version that clients see as the ETag. */
export interface VersionedRecord extends BaseRecord {
  version: number;
}

export interface WorkspaceRecord extends BaseRecord {
  readonly accountSid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: 'FIFO' | 'LIFO';
  defaultActivitySid: string;
  timeoutActivitySid: string;
}

export interface ActivityRecord extends BaseRecord {
  friendlyName: string;
  readonly available: boolean;
}

export interface TaskChannelRecord extends BaseRecord {
  friendlyName: string;
  readonly uniqueName: string;
  channelOptimizedRouting: boolean;
}

export interface TaskQueueRecord extends BaseRecord {
  friendlyName: string;
  targetWorkers: string;
  targetWorkersExpression: CompiledExpression;
  maxReservedWorkers: number;
  taskOrder: 'FIFO' | 'LIFO';
  reservationActivitySid: string | null;
  assignmentActivitySid: string | null;
}

export interface WorkerRecord extends VersionedRecord {
  friendlyName: string;
  activitySid: string;
  attributes: string;
  attributesValue: JsonObject;
  dateStatusChanged: number;
  /** The latest event snapshot, reused while the worker does not change. */
  snapshot: WorkerSnapshot | undefined;
}

export interface WorkerChannelRecord extends BaseRecord {
  readonly workerSid: string;
  readonly taskChannelSid: string;
  capacity: number;
  available: boolean;
  /** Pending reservations on this channel (they hold capacity). */
  reservedTasks: number;
  /** Accepted or wrapping reservations on this channel. */
  assignedTasks: number;
}

export interface WorkflowRecord extends BaseRecord {
  friendlyName: string;
  configuration: string;
  parsedConfiguration: ParsedWorkflowConfiguration;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  taskReservationTimeout: number;
}

export interface TaskRecord extends VersionedRecord {
  attributes: string;
  attributesValue: JsonObject;
  addons: string;
  assignmentStatus: TaskStatus;
  priority: number;
  reason: string | null;
  taskQueueSid: string | null;
  taskQueueEnteredAt: number | null;
  taskChannelSid: string;
  /** Time to live in seconds. */
  timeout: number;
  workflowSid: string | null;
  virtualStartTime: number;
  ignoreCapacity: boolean;
  routingTarget: string | null;
  /** The latest event snapshot, reused while the task does not change. */
  snapshot: TaskSnapshot | undefined;
}

/** What an instruction on a reservation asked for; kept for inspection. */
export interface InstructionRecord {
  readonly instruction: string;
  readonly parameters: Readonly<Record<string, string | string[]>>;
  readonly at: number;
}

export interface ReservationRecord extends VersionedRecord {
  readonly taskSid: string;
  readonly workerSid: string;
  /** Task channel whose capacity the reservation holds. */
  readonly taskChannelSid: string;
  status: ReservationStatus;
  instructions: InstructionRecord[];
  /**
   * The worker's activity before the queue's reservation activity replaced it (single-tasking),
   * restored when the reservation is rejected without a new activity.
   */
  activityBeforeReservation?: string;
}

/** Who or what caused an event. */
export interface EventActor {
  readonly type: string;
  readonly sid: string;
  /** Path below the base URL, or null when the actor has no TaskRouter URL (the account). */
  readonly path: string | null;
}

/** The kinds of resource an event is about. */
export type EventResourceType =
  | 'workspace'
  | 'activity'
  | 'task_channel'
  | 'task_queue'
  | 'worker'
  | 'workflow'
  | 'task'
  | 'reservation';

/**
 * What a task looked like when an event was recorded. Consecutive events of an unchanged task
 * share one snapshot, which keeps the event log small.
 */
export interface TaskSnapshot {
  /** The task itself, for what never changes (SID, creation time, workflow). */
  readonly task: TaskRecord;
  readonly attributes: string;
  readonly status: TaskStatus;
  readonly priority: number;
  readonly version: number;
  readonly queueSid: string | null;
  readonly queueEnteredAt: number | null;
  readonly channelSid: string;
  readonly reason: string | null;
}

/** What a worker looked like when an event was recorded, shared like {@link TaskSnapshot}. */
export interface WorkerSnapshot {
  readonly worker: WorkerRecord;
  readonly friendlyName: string;
  readonly attributes: string;
  readonly activitySid: string;
  readonly version: number;
}

/**
 * One event, stored compactly: its SID, URL, description and `event_data` are derived when it is
 * rendered (see `event-log.ts`).
 */
export interface EventRecord {
  /** Creation order across the emulator; also the key of the workspace's event map. */
  readonly seq: number;
  readonly created: number;
  readonly eventType: string;
  readonly resourceType: EventResourceType;
  readonly resourceSid: string;
  /** Set when the description says more than the type and the resource would. */
  readonly description: string | undefined;
  /** Undefined when the workspace is the actor. */
  readonly actor: EventActor | undefined;
  /** True when the emulator acted on its own (routing, timers) rather than for a request. */
  readonly system: boolean;
  readonly sourceIpAddress: string;
  readonly task: TaskSnapshot | undefined;
  readonly worker: WorkerSnapshot | undefined;
  /** Fields of `event_data` beyond the task's and the worker's. */
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly taskQueueSid: string | null;
  readonly workflowSid: string | null;
  readonly reservationSid: string | null;
  readonly taskChannelSid: string | null;
}

/** Everything stored for one workspace, in creation order, which is list order. */
export class WorkspaceState {
  readonly activities = new SeqMap<ActivityRecord>();
  readonly taskChannels = new SeqMap<TaskChannelRecord>();
  readonly taskChannelsByUniqueName = new Map<string, TaskChannelRecord>();
  readonly taskQueues = new SeqMap<TaskQueueRecord>();
  readonly workers = new SeqMap<WorkerRecord>();
  /** Lower-cased friendly name → worker SID; names are unique regardless of case. */
  readonly workerNames = new Map<string, string>();
  /** Worker SID → task channel SID → worker channel. */
  readonly workerChannels = new Map<string, Map<string, WorkerChannelRecord>>();
  readonly workerChannelsBySid = new Map<string, WorkerChannelRecord>();
  readonly workflows = new SeqMap<WorkflowRecord>();
  readonly tasks = new SeqMap<TaskRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly reservationsByTask = new Map<string, ReservationRecord[]>();
  readonly reservationsByWorker = new Map<string, ReservationRecord[]>();
  /** Events, oldest first (so in increasing sequence number, from which their SIDs derive). */
  readonly events: EventRecord[] = [];

  constructor(readonly record: WorkspaceRecord) {}

  get sid(): string {
    return this.record.sid;
  }

  /** The workspace record's creation order. */
  get seq(): number {
    return this.record.seq;
  }

  /** Path of the workspace below the base URL. */
  get path(): string {
    return `/v1/Workspaces/${this.record.sid}`;
  }
}

/** A change the routing engine may react to. */
export interface StateChange {
  readonly kind:
    | 'task'
    | 'worker'
    | 'worker-channel'
    | 'task-channel'
    | 'task-queue'
    | 'workflow'
    | 'reservation'
    | 'workspace';
  readonly sid: string;
  readonly action: 'created' | 'updated' | 'deleted';
  /** A workflow update asked for its tasks to be routed again (`ReEvaluateTasks`). */
  readonly reEvaluate?: boolean;
}

/**
 * Reacts to changes. The REST layer calls `onChange` after every successful mutation; the
 * routing engine plugs in here to reserve workers, move tasks and deliver callbacks.
 */
export interface ChangeListener {
  /** A new task is stored; called before `task.created` is recorded, to place it in a queue. */
  beforeTaskCreated(workspace: WorkspaceState, task: TaskRecord): void;
  /** A committed change; the listener may change more state in response. */
  onChange(workspace: WorkspaceState, change: StateChange): void;
  /** A reservation changed status, in the middle of a transition: note it, act later. */
  reservationChanged(workspace: WorkspaceState, reservation: ReservationRecord): void;
  /** A task became assigned, wrapping, completed or canceled (which decides when TaskRouter deletes it). */
  taskStatusChanged(workspace: WorkspaceState, task: TaskRecord): void;
  /** An event was recorded. */
  onEvent(workspace: WorkspaceState, event: EventRecord): void;
  /**
   * The priority the task's current workflow target sets, if it sets one: TaskRouter keeps it
   * over a priority given in an update.
   */
  targetPriority(workspace: WorkspaceState, task: TaskRecord): number | undefined;
}

const IGNORE_CHANGES: ChangeListener = {
  targetPriority: () => undefined,
  beforeTaskCreated() {},
  onChange() {},
  reservationChanged() {},
  taskStatusChanged() {},
  onEvent() {},
};

/** Where the request that causes a change came from. */
export interface RequestOrigin {
  /** Scheme, host and port the client used; every URL in answers is built on it. */
  readonly origin: string;
  readonly sourceIpAddress: string;
}

/** The whole emulated account. */
export class Store {
  readonly workspaces = new SeqMap<WorkspaceState>();
  private sequence = 0;
  /** Replaced by the routing engine; the REST layer only notifies. */
  listener: ChangeListener = IGNORE_CHANGES;

  constructor(
    readonly accountSid: string,
    readonly clock: VirtualClock,
  ) {}

  nextSeq(): number {
    return ++this.sequence;
  }

  /** The last sequence number handed out. */
  get lastSeq(): number {
    return this.sequence;
  }

  /** Continues the sequence after `last` (restoring a snapshot). */
  continueSequenceAfter(last: number): void {
    this.sequence = last;
  }

  /** Drops every workspace and pending timer. */
  clear(): void {
    this.workspaces.clear();
    this.clock.clearTimers();
  }
}

/** Whether a task still needs routing or work (not completed nor canceled). */
export function isActiveTask(task: TaskRecord): boolean {
  return task.assignmentStatus !== 'completed' && task.assignmentStatus !== 'canceled';
}

/** Marks a record as changed now. */
export function touch(context: { store: Store }, record: BaseRecord | VersionedRecord): void {
  record.updated = context.store.clock.nowMs();
  if ('version' in record) record.version++;
}
