import { newSid } from './sid.js';
import type {
  EventActor,
  EventRecord,
  ReservationRecord,
  Store,
  TaskRecord,
  WorkerRecord,
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
  readonly description: string;
  readonly resourceType: string;
  readonly resourceSid: string;
  readonly resourcePath: string;
  readonly data?: Record<string, unknown>;
  readonly actor?: EventActor;
  readonly taskSid?: string | null;
  readonly workerSid?: string | null;
  readonly taskQueueSid?: string | null;
  readonly workflowSid?: string | null;
  readonly reservationSid?: string | null;
  readonly taskChannelSid?: string | null;
}

/** Appends an event to the workspace's log (the Events API lists it). */
export function recordEvent(source: EventSource, workspace: WorkspaceState, event: NewEvent): EventRecord {
  const now = source.store.clock.nowMs();
  const record: EventRecord = {
    sid: newSid('EV'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    eventType: event.eventType,
    description: event.description,
    resourceType: event.resourceType,
    resourceSid: event.resourceSid,
    resourcePath: event.resourcePath,
    actor: event.actor ?? { type: 'workspace', sid: workspace.sid, path: workspace.path },
    source: source.system ? 'SYSTEM' : 'API',
    sourceIpAddress: source.sourceIpAddress,
    data: {
      workspace_sid: workspace.sid,
      workspace_name: workspace.record.friendlyName,
      ...event.data,
    },
    taskSid: event.taskSid ?? null,
    workerSid: event.workerSid ?? null,
    taskQueueSid: event.taskQueueSid ?? null,
    workflowSid: event.workflowSid ?? null,
    reservationSid: event.reservationSid ?? null,
    taskChannelSid: event.taskChannelSid ?? null,
  };
  workspace.events.set(record.sid, record);
  source.store.listener.onEvent(workspace, record);
  return record;
}

/** Snake_case fields describing a task at the moment of an event. */
export function taskEventData(
  store: Store,
  workspace: WorkspaceState,
  task: TaskRecord,
): Record<string, unknown> {
  const queue = task.taskQueueSid ? workspace.taskQueues.get(task.taskQueueSid) : undefined;
  const workflow = task.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
  const channel = workspace.taskChannels.get(task.taskChannelSid);
  const now = store.clock.nowMs();
  return {
    task_sid: task.sid,
    task_attributes: task.attributes,
    task_age: Math.floor((now - task.created) / 1000),
    task_age_ms: now - task.created,
    task_priority: task.priority,
    task_assignment_status: task.assignmentStatus,
    task_version: task.version,
    task_date_created: Math.floor(task.created / 1000),
    task_queue_sid: task.taskQueueSid,
    task_queue_name: queue?.friendlyName ?? null,
    task_queue_entered_date:
      task.taskQueueEnteredAt === null ? null : Math.floor(task.taskQueueEnteredAt / 1000),
    workflow_sid: task.workflowSid,
    workflow_name: workflow?.friendlyName ?? null,
    task_channel_sid: task.taskChannelSid,
    task_channel_unique_name: channel?.uniqueName ?? null,
    ...(task.assignmentStatus === 'canceled' ? { task_canceled_reason: task.reason } : {}),
    ...(task.assignmentStatus === 'completed' ? { task_completed_reason: task.reason } : {}),
  };
}

/** Snake_case fields describing a worker at the moment of an event. */
export function workerEventData(workspace: WorkspaceState, worker: WorkerRecord): Record<string, unknown> {
  return {
    worker_sid: worker.sid,
    worker_name: worker.friendlyName,
    worker_attributes: worker.attributes,
    worker_activity_sid: worker.activitySid,
    worker_activity_name: workspace.activities.get(worker.activitySid)?.friendlyName ?? null,
    worker_version: worker.version,
  };
}

/** Records a reservation event with the task and worker details TaskRouter attaches. */
export function recordReservationEvent(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  eventType: string,
  description: string,
): void {
  const task = workspace.tasks.get(reservation.taskSid);
  const worker = workspace.workers.get(reservation.workerSid);
  recordEvent(source, workspace, {
    eventType,
    description,
    resourceType: 'reservation',
    resourceSid: reservation.sid,
    resourcePath: `${workspace.path}/Tasks/${reservation.taskSid}/Reservations/${reservation.sid}`,
    data: {
      reservation_sid: reservation.sid,
      ...(task ? taskEventData(source.store, workspace, task) : {}),
      ...(worker ? workerEventData(workspace, worker) : {}),
    },
    taskSid: reservation.taskSid,
    workerSid: reservation.workerSid,
    reservationSid: reservation.sid,
    taskQueueSid: task?.taskQueueSid ?? null,
    workflowSid: task?.workflowSid ?? null,
    taskChannelSid: reservation.taskChannelSid,
  });
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
