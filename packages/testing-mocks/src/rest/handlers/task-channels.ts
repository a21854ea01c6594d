import { type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest, invalidParameter, notFound } from '../../domain/errors.js';
import { type EventSource, recordEvent } from '../../domain/event-log.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import type { TaskChannelRecord, WorkspaceState } from '../../domain/state.js';
import { insertWorkerChannel } from '../../domain/workers.js';
import { touch, isActiveTask } from '../../domain/state.js';
import { renderTaskChannel } from '../../render/task-channels.js';

/** TaskRouter's cap on task channels per workspace, `default` included. */
const MAX_TASK_CHANNELS = 15;
const UNIQUE_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Stores a validated task channel, gives every worker a channel for it, records the event. */
export function insertTaskChannel(
  source: EventSource,
  workspace: WorkspaceState,
  input: { friendlyName: string; uniqueName: string; channelOptimizedRouting: boolean },
): TaskChannelRecord {
  const now = source.store.clock.nowMs();
  const channel: TaskChannelRecord = {
    sid: newSid('TC'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    ...input,
  };
  workspace.taskChannels.set(channel.sid, channel);
  workspace.taskChannelsByUniqueName.set(channel.uniqueName, channel);
  for (const worker of workspace.workers.values())
    insertWorkerChannel(source.store, workspace, worker.sid, channel.sid);
  recordChannelEvent(source, workspace, channel, 'task-channel.created', 'created');
  return channel;
}

/** A task channel by SID or unique name. */
export function findTaskChannel(workspace: WorkspaceState, sidOrName: string): TaskChannelRecord | undefined {
  return workspace.taskChannels.get(sidOrName) ?? workspace.taskChannelsByUniqueName.get(sidOrName);
}

/** Reads `TaskChannel` (SID or unique name) and returns the channel's SID, if one was given. */
export function taskChannelParameter(context: RequestContext, workspace: WorkspaceState): string | undefined {
  const value = context.params.string('TaskChannel', { nonEmpty: true });
  if (value === undefined) return undefined;
  const channel = findTaskChannel(workspace, value);
  if (!channel) throw invalidParameter('TaskChannel', `no task channel '${value}' exists in this workspace`);
  return channel.sid;
}

function recordChannelEvent(
  source: EventSource,
  workspace: WorkspaceState,
  channel: TaskChannelRecord,
  eventType: string,
  verb: string,
): void {
  recordEvent(source, workspace, {
    eventType,
    description: `Task channel ${channel.uniqueName} ${verb}`,
    resourceType: 'task_channel',
    resourceSid: channel.sid,
    data: {
      task_channel_sid: channel.sid,
      task_channel_name: channel.friendlyName,
      task_channel_unique_name: channel.uniqueName,
      task_channel_optimized_routing: channel.channelOptimizedRouting,
    },
    taskChannelSid: channel.sid,
  });
}

function channelOf(context: RequestContext): [WorkspaceState, TaskChannelRecord] {
  const workspace = workspaceOf(context);
  const channel = findTaskChannel(workspace, context.path.Sid ?? '');
  if (!channel) throw notFound(context.pathname);
  return [workspace, channel];
}

function readFriendlyName(context: RequestContext, required: boolean): string | undefined {
  const name = required
    ? context.params.string('FriendlyName', { required: true, maxLength: 64 })
    : context.params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
  if (name?.includes('-')) throw invalidParameter('FriendlyName', 'must not contain hyphens');
  return name;
}

export const taskChannelHandlers = {
  ListTaskChannel(context) {
    const workspace = workspaceOf(context);
    return listPage(context, {
      items: workspace.taskChannels.ordered,
      key: 'channels',
      render: (channel) => renderTaskChannel(workspace, channel, context.origin),
    });
  },

  CreateTaskChannel(context) {
    const workspace = workspaceOf(context);
    const friendlyName = readFriendlyName(context, true)!;
    const uniqueName = context.params.string('UniqueName', { required: true, maxLength: 64 });
    if (!UNIQUE_NAME.test(uniqueName)) {
      throw invalidParameter(
        'UniqueName',
        'may hold only letters, digits, _ and $, and must not start with a digit',
      );
    }
    const channelOptimizedRouting = context.params.boolean('ChannelOptimizedRouting') ?? false;
    if (workspace.taskChannelsByUniqueName.has(uniqueName)) {
      throw invalidParameter('UniqueName', `a task channel named '${uniqueName}' already exists`);
    }
    if (workspace.taskChannels.size >= MAX_TASK_CHANNELS) {
      throw badRequest(`A workspace holds at most ${MAX_TASK_CHANNELS} task channels`);
    }
    const channel = insertTaskChannel(context, workspace, {
      friendlyName,
      uniqueName,
      channelOptimizedRouting,
    });
    context.store.listener.onChange(workspace, { kind: 'task-channel', sid: channel.sid, action: 'created' });
    return { status: 201, body: renderTaskChannel(workspace, channel, context.origin) };
  },

  FetchTaskChannel(context) {
    const [workspace, channel] = channelOf(context);
    return { status: 200, body: renderTaskChannel(workspace, channel, context.origin) };
  },

  UpdateTaskChannel(context) {
    const [workspace, channel] = channelOf(context);
    const friendlyName = readFriendlyName(context, false);
    const channelOptimizedRouting = context.params.boolean('ChannelOptimizedRouting');
    const reorders =
      channelOptimizedRouting !== undefined && channelOptimizedRouting !== channel.channelOptimizedRouting;
    if (friendlyName !== undefined) channel.friendlyName = friendlyName;
    if (channelOptimizedRouting !== undefined) channel.channelOptimizedRouting = channelOptimizedRouting;
    touch(context, channel);
    recordChannelEvent(context, workspace, channel, 'task-channel.updated', 'updated');
    if (reorders) {
      context.store.listener.onChange(workspace, {
        kind: 'task-channel',
        sid: channel.sid,
        action: 'updated',
      });
    }
    return { status: 200, body: renderTaskChannel(workspace, channel, context.origin) };
  },

  DeleteTaskChannel(context) {
    const [workspace, channel] = channelOf(context);
    for (const task of workspace.tasks.values()) {
      if (task.taskChannelSid === channel.sid && isActiveTask(task)) {
        throw badRequest(
          `Task channel ${channel.sid} cannot be deleted: task ${task.sid} is still active on it`,
        );
      }
    }
    workspace.taskChannels.delete(channel.sid);
    workspace.taskChannelsByUniqueName.delete(channel.uniqueName);
    for (const channels of workspace.workerChannels.values()) {
      const workerChannel = channels.get(channel.sid);
      if (workerChannel === undefined) continue;
      channels.delete(channel.sid);
      workspace.workerChannelsBySid.delete(workerChannel.sid);
    }
    recordChannelEvent(context, workspace, channel, 'task-channel.deleted', 'deleted');
    context.store.listener.onChange(workspace, { kind: 'task-channel', sid: channel.sid, action: 'deleted' });
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;
