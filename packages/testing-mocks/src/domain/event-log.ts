/**
 * The event log. Events are stored compactly, since a busy workspace records many per task:
 * snapshots of the task and the worker (shared by consecutive events while they do not change)
 * plus a few extra fields. The SID, URLs, description and `event_data` are derived on reading.
 */
import type {
  EventActor,
  EventRecord,
  EventResourceType,
  ReservationRecord,
  Store,
  TaskRecord,
  TaskSnapshot,
  WorkerRecord,
  WorkerSnapshot,
  WorkspaceState,
} from './state.js';

/** Who records events: the store, plus where the triggering request came from. */
export interface EventSource {
  readonly store: Store;
  readonly sourceIpAddress: string;
  /** True when the emulator acts on its own (timers, routing) rather than for a REST call. */
  readonly system?: boolean;
}

/** What to record. */
export interface NewEvent {
  readonly eventType: string;
  readonly resourceType: EventResourceType;
  readonly resourceSid: string;
  /** Overrides the description derived from the type and the resource. */
  readonly description?: string;
  /** The task the event is about; its state now becomes part of `event_data`. */
  readonly task?: TaskRecord;
  /** The worker the event is about; its state now becomes part of `event_data`. */
  readonly worker?: WorkerRecord;
  /** More `event_data` fields. */
  readonly data?: Record<string, unknown>;
  readonly actor?: EventActor;
  /** Defaults to the task's current queue. */
  readonly taskQueueSid?: string | null;
  /** Defaults to the task's workflow. */
  readonly workflowSid?: string | null;
  readonly reservationSid?: string | null;
  /** Defaults to the task's channel. */
  readonly taskChannelSid?: string | null;
}

/** Appends an event to the workspace's log (the Events API lists it). */
export function recordEvent(source: EventSource, workspace: WorkspaceState, event: NewEvent): EventRecord {
  const { task, worker } = event;
  const record: EventRecord = {
    seq: source.store.nextSeq(),
    created: source.store.clock.nowMs(),
    eventType: event.eventType,
    resourceType: event.resourceType,
    resourceSid: event.resourceSid,
    description: event.description,
    actor: event.actor,
    system: source.system ?? false,
    sourceIpAddress: source.sourceIpAddress,
    task: task && snapshotTask(task),
    worker: worker && snapshotWorker(worker),
    data: event.data,
    taskQueueSid: event.taskQueueSid !== undefined ? event.taskQueueSid : (task?.taskQueueSid ?? null),
    workflowSid: event.workflowSid !== undefined ? event.workflowSid : (task?.workflowSid ?? null),
    reservationSid: event.reservationSid ?? null,
    taskChannelSid:
      event.taskChannelSid !== undefined ? event.taskChannelSid : (task?.taskChannelSid ?? null),
  };
  workspace.events.push(record);
  source.store.listener.onEvent(workspace, record);
  return record;
}

function snapshotTask(task: TaskRecord): TaskSnapshot {
  const last = task.snapshot;
  if (
    last?.version === task.version &&
    last.status === task.assignmentStatus &&
    last.queueSid === task.taskQueueSid &&
    last.queueEnteredAt === task.taskQueueEnteredAt &&
    last.priority === task.priority &&
    last.attributes === task.attributes &&
    last.channelSid === task.taskChannelSid &&
    last.reason === task.reason
  ) {
    return last;
  }
  task.snapshot = {
    task,
    attributes: task.attributes,
    status: task.assignmentStatus,
    priority: task.priority,
    version: task.version,
    queueSid: task.taskQueueSid,
    queueEnteredAt: task.taskQueueEnteredAt,
    channelSid: task.taskChannelSid,
    reason: task.reason,
  };
  return task.snapshot;
}

function snapshotWorker(worker: WorkerRecord): WorkerSnapshot {
  const last = worker.snapshot;
  if (
    last?.version === worker.version &&
    last.activitySid === worker.activitySid &&
    last.attributes === worker.attributes &&
    last.friendlyName === worker.friendlyName
  ) {
    return last;
  }
  worker.snapshot = {
    worker,
    friendlyName: worker.friendlyName,
    attributes: worker.attributes,
    activitySid: worker.activitySid,
    version: worker.version,
  };
  return worker.snapshot;
}

/** Records a reservation event with the task and worker details TaskRouter attaches. */
export function recordReservationEvent(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  eventType: string,
  data?: Record<string, unknown>,
): void {
  const task = workspace.tasks.get(reservation.taskSid);
  const worker = workspace.workers.get(reservation.workerSid);
  recordEvent(source, workspace, {
    eventType,
    resourceType: 'reservation',
    resourceSid: reservation.sid,
    ...(task ? { task } : {}),
    ...(worker ? { worker } : {}),
    ...(data ? { data } : {}),
    reservationSid: reservation.sid,
    taskChannelSid: reservation.taskChannelSid,
  });
}

/** The SID of the task an event is about, if any. */
export function eventTaskSid(event: EventRecord): string | null {
  return event.task?.task.sid ?? null;
}

/** The SID of the worker an event is about, if any. */
export function eventWorkerSid(event: EventRecord): string | null {
  return event.worker?.worker.sid ?? null;
}

/**
 * The event's SID: `EV`, 16 hex digits of its workspace's SID, its sequence number in 16 hex
 * digits. Unique within an emulator, and found again by {@link findEvent}.
 */
export function eventSid(workspace: WorkspaceState, event: EventRecord): string {
  return `EV${workspace.sid.slice(2, 18)}${event.seq.toString(16).padStart(16, '0')}`;
}

/** The workspace's event with this SID, if any. */
export function findEvent(workspace: WorkspaceState, sid: string): EventRecord | undefined {
  if (!/^EV[0-9a-f]{32}$/.test(sid) || sid.slice(2, 18) !== workspace.sid.slice(2, 18)) return undefined;
  const seq = Number.parseInt(sid.slice(18), 16);
  const { events } = workspace;
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (events[middle]!.seq < seq) low = middle + 1;
    else high = middle;
  }
  return events[low]?.seq === seq ? events[low] : undefined;
}

const RESOURCE_PATHS: Readonly<Record<Exclude<EventResourceType, 'workspace' | 'reservation'>, string>> = {
  activity: 'Activities',
  task_channel: 'TaskChannels',
  task_queue: 'TaskQueues',
  worker: 'Workers',
  workflow: 'Workflows',
  task: 'Tasks',
};

/** Path of the event's resource below the base URL. */
export function eventResourcePath(workspace: WorkspaceState, event: EventRecord): string {
  const type = event.resourceType;
  if (type === 'workspace') return workspace.path;
  if (type === 'reservation') {
    return `${workspace.path}/Tasks/${eventTaskSid(event)}/Reservations/${event.resourceSid}`;
  }
  return `${workspace.path}/${RESOURCE_PATHS[type]}/${event.resourceSid}`;
}

/** What a task or reservation event says, when no description was given. */
const PHRASES: Readonly<Record<string, string>> = {
  'task.wrapup': 'wrapping up',
  'task-queue.entered': 'entered TaskQueue',
  'task-queue.moved': 'moved to TaskQueue',
  'task-queue.timeout': 'timed out of TaskQueue',
  'workflow.entered': 'entered Workflow',
  'workflow.target-matched': 'matched a target of Workflow',
  'workflow.timeout': 'timed out of Workflow',
  'workflow.skipped': 'skipped out of Workflow',
  'reservation.timeout': 'timed out',
  'reservation.wrapup': 'wrapping up',
};

/** The event's description: the given one, else one made of its type and resource. */
export function eventDescription(workspace: WorkspaceState, event: EventRecord): string {
  if (event.description !== undefined) return event.description;
  const subject = event.resourceType === 'reservation' ? 'Reservation' : 'Task';
  const phrase = PHRASES[event.eventType] ?? event.eventType.slice(event.eventType.indexOf('.') + 1);
  let object = '';
  if (event.eventType.startsWith('task-queue.')) {
    object = ` ${workspace.taskQueues.get(event.task?.queueSid ?? '')?.friendlyName ?? event.task?.queueSid}`;
  } else if (event.eventType.startsWith('workflow.') && event.workflowSid) {
    object = ` ${workspace.workflows.get(event.workflowSid)?.friendlyName ?? event.workflowSid}`;
  }
  return `${subject} ${event.resourceSid} ${phrase}${object}`;
}

/** The event's `event_data`: workspace, task and worker fields as they were, then the extra fields. */
export function eventData(workspace: WorkspaceState, event: EventRecord): Record<string, unknown> {
  return {
    workspace_sid: workspace.sid,
    workspace_name: workspace.record.friendlyName,
    ...(event.task ? taskFields(workspace, event.task, event.created) : {}),
    ...(event.worker ? workerFields(workspace, event.worker) : {}),
    ...(event.resourceType === 'reservation' ? { reservation_sid: event.resourceSid } : {}),
    ...event.data,
  };
}

/** Seconds a task had waited when the event happened. */
export function taskAgeAt(snapshot: TaskSnapshot, at: number): number {
  return Math.floor((at - snapshot.task.created) / 1000);
}

function taskFields(workspace: WorkspaceState, snapshot: TaskSnapshot, at: number): Record<string, unknown> {
  const { task } = snapshot;
  const queueName = snapshot.queueSid ? workspace.taskQueues.get(snapshot.queueSid)?.friendlyName : undefined;
  const workflowName = task.workflowSid ? workspace.workflows.get(task.workflowSid)?.friendlyName : undefined;
  return {
    task_sid: task.sid,
    task_attributes: snapshot.attributes,
    task_age: taskAgeAt(snapshot, at),
    task_age_ms: at - task.created,
    task_priority: snapshot.priority,
    task_assignment_status: snapshot.status,
    task_version: snapshot.version,
    task_date_created: Math.floor(task.created / 1000),
    task_queue_sid: snapshot.queueSid,
    task_queue_name: queueName ?? null,
    task_queue_entered_date:
      snapshot.queueEnteredAt === null ? null : Math.floor(snapshot.queueEnteredAt / 1000),
    workflow_sid: task.workflowSid,
    workflow_name: workflowName ?? null,
    task_channel_sid: snapshot.channelSid,
    task_channel_unique_name: workspace.taskChannels.get(snapshot.channelSid)?.uniqueName ?? null,
    ...(snapshot.status === 'canceled' ? { task_canceled_reason: snapshot.reason } : {}),
    ...(snapshot.status === 'completed' ? { task_completed_reason: snapshot.reason } : {}),
  };
}

function workerFields(workspace: WorkspaceState, snapshot: WorkerSnapshot): Record<string, unknown> {
  return {
    worker_sid: snapshot.worker.sid,
    worker_name: snapshot.friendlyName,
    worker_attributes: snapshot.attributes,
    worker_activity_sid: snapshot.activitySid,
    worker_activity_name: workspace.activities.get(snapshot.activitySid)?.friendlyName ?? null,
    worker_version: snapshot.version,
  };
}

/** Every event type TaskRouter documents; `EventsFilter` may name only these. */
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'activity.created',
  'activity.updated',
  'activity.deleted',
  'reservation.created',
  'reservation.accepted',
  'reservation.rejected',
  'reservation.timeout',
  'reservation.canceled',
  'reservation.rescinded',
  'reservation.completed',
  'reservation.failed',
  'reservation.wrapup',
  'task.created',
  'task.updated',
  'task.canceled',
  'task.wrapup',
  'task.completed',
  'task.deleted',
  'task.system-deleted',
  'task.transfer-initiated',
  'task.transfer-attempt-failed',
  'task.transfer-failed',
  'task.transfer-canceled',
  'task.transfer-completed',
  'task-channel.created',
  'task-channel.updated',
  'task-channel.deleted',
  'task-queue.created',
  'task-queue.deleted',
  'task-queue.entered',
  'task-queue.timeout',
  'task-queue.moved',
  'task-queue.expression.updated',
  'worker.created',
  'worker.activity.update',
  'worker.attributes.update',
  'worker.capacity.update',
  'worker.channel.availability.update',
  'worker.deleted',
  'workflow.created',
  'workflow.updated',
  'workflow.deleted',
  'workflow.target-matched',
  'workflow.entered',
  'workflow.timeout',
  'workflow.skipped',
  'workspace.created',
  'workspace.updated',
  'workspace.deleted',
]);
