/**
 * Resources in the shape the worker SDK reads from the event bridge: flat snapshots whose dates
 * are epoch SECONDS, attributes JSON text, and reservations with their task nested. These are
 * not the REST bodies (no URLs, no ISO dates); the SDK's descriptors throw when a field is absent.
 */
import { availableCapacityPercentage } from '../../domain/workers.js';
import { DEFAULT_TASK_RESERVATION_TIMEOUT } from '../../domain/workflow-configuration.js';
import type {
  ActivityRecord,
  ReservationRecord,
  ReservationStatus,
  TaskRecord,
  WorkerChannelRecord,
  WorkerRecord,
  WorkerSnapshot,
  WorkspaceState,
} from '../../domain/state.js';

/** A JSON object sent to the SDK. */
export type Snapshot = Record<string, unknown>;

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * The worker. `state` overrides the fields that change (from an event's snapshot of the worker
 * as it was), so consecutive events each carry their own activity.
 */
export function workerSnapshot(
  workspace: WorkspaceState,
  worker: WorkerRecord,
  state: Pick<WorkerSnapshot, 'activitySid' | 'attributes' | 'friendlyName' | 'version'> = worker,
): Snapshot {
  const activity = workspace.activities.get(state.activitySid);
  return {
    account_sid: workspace.record.accountSid,
    workspace_sid: workspace.sid,
    sid: worker.sid,
    date_created: seconds(worker.created),
    date_updated: seconds(worker.updated),
    attributes: state.attributes,
    friendly_name: state.friendlyName,
    available: activity?.available ?? false,
    activity_sid: state.activitySid,
    activity_name: activity?.friendlyName ?? null,
    date_status_changed: seconds(worker.dateStatusChanged),
    version: state.version,
  };
}

/** An activity. */
export function activitySnapshot(workspace: WorkspaceState, activity: ActivityRecord): Snapshot {
  return {
    account_sid: workspace.record.accountSid,
    workspace_sid: workspace.sid,
    sid: activity.sid,
    date_created: seconds(activity.created),
    date_updated: seconds(activity.updated),
    friendly_name: activity.friendlyName,
    available: activity.available,
  };
}

/** A worker channel; `available` is 1 or 0 and `last_reserved_time` in milliseconds, as the SDK reads them. */
export function workerChannelSnapshot(workspace: WorkspaceState, channel: WorkerChannelRecord): Snapshot {
  let lastReserved: number | null = null;
  for (const reservation of workspace.reservationsByWorker.get(channel.workerSid) ?? []) {
    if (reservation.taskChannelSid === channel.taskChannelSid) {
      lastReserved = Math.max(lastReserved ?? 0, reservation.created);
    }
  }
  return {
    account_sid: workspace.record.accountSid,
    workspace_sid: workspace.sid,
    sid: channel.sid,
    worker_sid: channel.workerSid,
    task_channel_sid: channel.taskChannelSid,
    task_channel_unique_name: workspace.taskChannels.get(channel.taskChannelSid)?.uniqueName ?? null,
    configured_capacity: channel.capacity,
    available: channel.available ? 1 : 0,
    assigned_tasks: channel.assignedTasks,
    available_capacity_percentage: availableCapacityPercentage(channel),
    date_created: seconds(channel.created),
    date_updated: seconds(channel.updated),
    last_reserved_time: lastReserved,
  };
}

/** A task, its age counted at `now`. */
export function taskSnapshot(workspace: WorkspaceState, task: TaskRecord, now: number): Snapshot {
  const queue = task.taskQueueSid === null ? undefined : workspace.taskQueues.get(task.taskQueueSid);
  const workflow = task.workflowSid === null ? undefined : workspace.workflows.get(task.workflowSid);
  return {
    account_sid: workspace.record.accountSid,
    workspace_sid: workspace.sid,
    sid: task.sid,
    date_created: seconds(task.created),
    date_updated: seconds(task.updated),
    attributes: task.attributes,
    assignment_status: task.assignmentStatus,
    workflow_sid: task.workflowSid,
    workflow_name: workflow?.friendlyName ?? null,
    queue_sid: task.taskQueueSid,
    queue_name: queue?.friendlyName ?? null,
    priority: task.priority,
    reason: task.reason,
    timeout: task.timeout,
    task_channel_sid: task.taskChannelSid,
    task_channel_unique_name: workspace.taskChannels.get(task.taskChannelSid)?.uniqueName ?? null,
    age: Math.max(0, seconds(now - task.created)),
    addons: task.addons,
    routing_target: task.routingTarget,
    version: task.version,
    virtual_start_time: seconds(task.virtualStartTime),
  };
}

/**
 * A reservation with its task nested. `status` overrides the stored one: an event says which
 * transition it reports even when a later one in the same request already happened.
 */
export function reservationSnapshot(
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  task: TaskRecord | undefined,
  now: number,
  status: ReservationStatus = reservation.status,
): Snapshot {
  const workflow = task?.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
  return {
    account_sid: workspace.record.accountSid,
    workspace_sid: workspace.sid,
    sid: reservation.sid,
    date_created: seconds(reservation.created),
    date_updated: seconds(reservation.updated),
    task_sid: reservation.taskSid,
    worker_sid: reservation.workerSid,
    worker_name: workspace.workers.get(reservation.workerSid)?.friendlyName ?? null,
    task_channel_sid: reservation.taskChannelSid,
    reservation_status: status,
    reservation_timeout: workflow?.taskReservationTimeout ?? DEFAULT_TASK_RESERVATION_TIMEOUT,
    worker_previous_activity_sid: reservation.activityBeforeReservation ?? null,
    version: reservation.version,
    task: task === undefined ? null : taskSnapshot(workspace, task, now),
  };
}
