import { invalidParameter } from '../errors.js';
import {
  type CompiledExpression,
  compileExpression,
  ExpressionSyntaxError,
  type KeyResolver,
  readPath,
} from '../expressions.js';
import type { SortKey } from '../paging.js';
import type { Params } from '../params.js';
import { newSid } from '../sid.js';
import type {
  Store,
  TaskQueueRecord,
  TaskRecord,
  WorkerChannelRecord,
  WorkerRecord,
  WorkspaceState,
} from '../state.js';

/** Capacity a new worker channel starts with. */
export const DEFAULT_CHANNEL_CAPACITY = 1;

/** Whether a task still needs routing or work (not completed nor canceled). */
export function isActiveTask(task: TaskRecord): boolean {
  return task.assignmentStatus !== 'completed' && task.assignmentStatus !== 'canceled';
}

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

const WORKER_FIELDS = new Set(['sid', 'friendly_name', 'activity_sid', 'activity_name', 'channel']);

/**
 * Resolves keys of a worker expression: the worker's attributes first, then `sid`,
 * `friendly_name`, `activity_sid`, `activity_name` and `channel.<unique_name>.<field>`.
 */
export function workerResolver(workspace: WorkspaceState, worker: WorkerRecord): KeyResolver {
  return (path) => {
    const fromAttributes = readPath(worker.attributesValue, path, 0);
    if (fromAttributes !== null || !WORKER_FIELDS.has(String(path[0]))) return fromAttributes;
    return readPath(workerFields(workspace, worker), path, 0);
  };
}

function workerFields(workspace: WorkspaceState, worker: WorkerRecord): Record<string, unknown> {
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
  return {
    sid: worker.sid,
    friendly_name: worker.friendlyName,
    activity_sid: worker.activitySid,
    activity_name: workspace.activities.get(worker.activitySid)?.friendlyName ?? null,
    channel,
  };
}

/** Whether the queue's `target_workers` selects the worker. */
export function isQueueMember(
  workspace: WorkspaceState,
  queue: TaskQueueRecord,
  worker: WorkerRecord,
): boolean {
  return queue.targetWorkersExpression.evaluate(workerResolver(workspace, worker));
}

/** Compiles an expression parameter, turning syntax errors into a 400 on that parameter. */
export function expressionParameter(name: string, text: string): CompiledExpression {
  try {
    return compileExpression(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError)
      throw invalidParameter(name, `is not a valid expression: ${error.message}`);
    throw error;
  }
}

/** Looks up an activity SID parameter that must exist in the workspace. */
export function activityParameter(
  workspace: WorkspaceState,
  params: Params,
  name: string,
): string | undefined {
  const sid = params.sid(name, 'WA');
  if (sid !== undefined && !workspace.activities.has(sid)) {
    throw invalidParameter(name, `activity ${sid} does not exist in this workspace`);
  }
  return sid;
}

/** Parses `Ordering` (`Field:asc,Other:desc`) against the fields a list can sort by. */
export function orderingParameter<T>(
  params: Params,
  fields: Readonly<Record<string, (item: T) => number | string>>,
): SortKey<T>[] {
  const raw = params.string('Ordering');
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((clause) => {
    const [field = '', direction = 'asc', ...rest] = clause.trim().split(':');
    const value = fields[field];
    const lower = direction.toLowerCase();
    if (!value || rest.length > 0 || (lower !== 'asc' && lower !== 'desc')) {
      throw invalidParameter(
        'Ordering',
        `'${clause.trim()}' must be Field:asc or Field:desc with Field one of ${Object.keys(fields).join(', ')}`,
      );
    }
    return { value, descending: lower === 'desc' };
  });
}
