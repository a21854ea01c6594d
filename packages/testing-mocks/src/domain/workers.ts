/** Worker channels and what worker expressions can read about a worker. */
import type { CompiledExpression } from './expressions.js';
import { newSid } from './sid.js';
import type { Store, TaskQueueRecord, WorkerChannelRecord, WorkerRecord, WorkspaceState } from './state.js';

/** Capacity a new worker channel starts with. */
export const DEFAULT_CHANNEL_CAPACITY = 1;

/** Creates the channel a worker has for one task channel. */
export function insertWorkerChannel(
  store: Store,
  workspace: WorkspaceState,
  workerSid: string,
  taskChannelSid: string,
): WorkerChannelRecord {
  const now = store.clock.nowMs();
  const channel: WorkerChannelRecord = {
    sid: newSid('WC'),
    seq: store.nextSeq(),
    created: now,
    updated: now,
    workerSid,
    taskChannelSid,
    capacity: DEFAULT_CHANNEL_CAPACITY,
    available: true,
    reservedTasks: 0,
    assignedTasks: 0,
  };
  let channels = workspace.workerChannels.get(workerSid);
  if (!channels) {
    channels = new Map();
    workspace.workerChannels.set(workerSid, channels);
  }
  channels.set(taskChannelSid, channel);
  workspace.workerChannelsBySid.set(channel.sid, channel);
  return channel;
}

/** `floor((1 - active / capacity) * 100)`, where pending, accepted and wrapping work is active. */
export function availableCapacityPercentage(channel: WorkerChannelRecord): number {
  if (channel.capacity <= 0) return 0;
  const active = channel.reservedTasks + channel.assignedTasks;
  return Math.max(0, Math.floor((1 - active / channel.capacity) * 100));
}

/**
 * Names a worker expression can read besides the worker's attributes: `sid`, `friendly_name`,
 * `activity_sid`, `activity_name` and `channel.<unique_name>.<field>` (built only when read,
 * so always current). They are set on `base`, over any attribute of the same name.
 */
export function workerScopes(
  workspace: WorkspaceState,
  worker: WorkerRecord,
  base: Record<string, unknown> = {},
): Record<string, unknown> {
  base.sid = worker.sid;
  base.friendly_name = worker.friendlyName;
  base.activity_sid = worker.activitySid;
  base.activity_name = workspace.activities.get(worker.activitySid)?.friendlyName ?? null;
  Object.defineProperty(base, 'channel', {
    enumerable: true,
    configurable: true,
    get: () => channelFields(workspace, worker),
  });
  return base;
}

function channelFields(workspace: WorkspaceState, worker: WorkerRecord): Record<string, unknown> {
  const channel: Record<string, unknown> = {};
  for (const workerChannel of workspace.workerChannels.get(worker.sid)?.values() ?? []) {
    const taskChannel = workspace.taskChannels.get(workerChannel.taskChannelSid);
    if (!taskChannel) continue;
    channel[taskChannel.uniqueName] = {
      configured_capacity: workerChannel.capacity,
      assigned_tasks: workerChannel.assignedTasks,
      available_capacity_percentage: availableCapacityPercentage(workerChannel),
    };
  }
  return channel;
}

/** Whether a worker expression (no prefix, as in `target_workers`) selects the worker. */
export function selectsWorker(
  expression: CompiledExpression,
  workspace: WorkspaceState,
  worker: WorkerRecord,
): boolean {
  return expression(worker.attributesValue, workerScopes(workspace, worker));
}

/** Whether the queue's `target_workers` selects the worker. */
export function isQueueMember(
  workspace: WorkspaceState,
  queue: TaskQueueRecord,
  worker: WorkerRecord,
): boolean {
  return selectsWorker(queue.targetWorkersExpression, workspace, worker);
}
