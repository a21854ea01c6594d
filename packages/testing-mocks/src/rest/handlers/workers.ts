import { checkIfMatch, found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest, invalidParameter, notFound } from '../../domain/errors.js';
import { type EventSource, recordEvent } from '../../domain/event-log.js';
import { expressionParameter } from '../../domain/expressions.js';
import { changeWorkerActivity, endPendingReservation } from '../../domain/lifecycle.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import type { WorkerChannelRecord, WorkerRecord, WorkspaceState } from '../../domain/state.js';
import { activityParameter, orderingParameter } from './shared.js';
import { insertWorkerChannel, isQueueMember, selectsWorker } from '../../domain/workers.js';
import { touch } from '../../domain/state.js';
import { renderWorker, renderWorkerChannel } from '../../render/workers.js';

/** Longest `Attributes` document TaskRouter accepts, in characters. */
export const MAX_ATTRIBUTES_LENGTH = 4096;

/** Stores a validated worker with a channel per task channel, and records `worker.created`. */
export function insertWorker(
  source: EventSource,
  workspace: WorkspaceState,
  input: Pick<WorkerRecord, 'friendlyName' | 'activitySid' | 'attributes' | 'attributesValue'>,
): WorkerRecord {
  const now = source.store.clock.nowMs();
  const worker: WorkerRecord = {
    sid: newSid('WK'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    version: 0,
    dateStatusChanged: now,
    snapshot: undefined,
    ...input,
  };
  workspace.workers.set(worker.sid, worker);
  workspace.workerNames.set(worker.friendlyName.toLowerCase(), worker.sid);
  for (const channel of workspace.taskChannels.values()) {
    insertWorkerChannel(source.store, workspace, worker.sid, channel.sid);
  }
  recordWorkerEvent(source, workspace, worker, 'worker.created', `Worker ${worker.friendlyName} created`);
  source.store.listener.onChange(workspace, { kind: 'worker', sid: worker.sid, action: 'created' });
  return worker;
}

function recordWorkerEvent(
  source: EventSource,
  workspace: WorkspaceState,
  worker: WorkerRecord,
  eventType: string,
  description: string,
  extra?: Record<string, unknown>,
): void {
  recordEvent(source, workspace, {
    eventType,
    description,
    resourceType: 'worker',
    resourceSid: worker.sid,
    worker,
    ...(extra ? { data: extra } : {}),
  });
}

function workerOf(context: RequestContext, name = 'Sid'): [WorkspaceState, WorkerRecord] {
  const workspace = workspaceOf(context);
  return [workspace, found(workspace.workers, context.path[name], context)];
}

function readFriendlyName(
  context: RequestContext,
  workspace: WorkspaceState,
  required: boolean,
  self?: WorkerRecord,
): string | undefined {
  const name = required
    ? context.params.string('FriendlyName', { required: true, maxLength: 64 })
    : context.params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
  if (name === undefined) return undefined;
  const holder = workspace.workerNames.get(name.toLowerCase());
  if (holder !== undefined && holder !== self?.sid) {
    throw invalidParameter('FriendlyName', `a worker named '${name}' already exists in this workspace`);
  }
  return name;
}

function hasActiveReservations(workspace: WorkspaceState, workerSid: string): boolean {
  return (workspace.reservationsByWorker.get(workerSid) ?? []).some(
    (reservation) =>
      reservation.status === 'pending' ||
      reservation.status === 'accepted' ||
      reservation.status === 'wrapping',
  );
}

function workerChannelOf(context: RequestContext): [WorkspaceState, WorkerChannelRecord] {
  const [workspace, worker] = workerOf(context, 'WorkerSid');
  const key = context.path.Sid ?? '';
  let channel = workspace.workerChannelsBySid.get(key);
  if (channel?.workerSid !== worker.sid) {
    const taskChannel = workspace.taskChannels.get(key) ?? workspace.taskChannelsByUniqueName.get(key);
    channel = taskChannel && workspace.workerChannels.get(worker.sid)?.get(taskChannel.sid);
  }
  if (!channel) throw notFound(context.pathname);
  return [workspace, channel];
}

export const workerHandlers = {
  ListWorker(context) {
    const workspace = workspaceOf(context);
    const params = context.params;
    const activityName = params.string('ActivityName');
    const activitySid = params.string('ActivitySid');
    const available = params.lenientBoolean('Available');
    const friendlyName = params.string('FriendlyName');
    const expressionText = params.string('TargetWorkersExpression');
    const expression = expressionText
      ? expressionParameter('TargetWorkersExpression', expressionText)
      : undefined;
    const queueName = params.string('TaskQueueName');
    const queueSid = params.string('TaskQueueSid');
    const ordering = orderingParameter<WorkerRecord>(params, {
      DateCreated: (worker) => worker.created,
      DateUpdated: (worker) => worker.updated,
      DateStatusChanged: (worker) => worker.dateStatusChanged,
      FriendlyName: (worker) => worker.friendlyName,
    });
    const queues = [...workspace.taskQueues.values()].filter(
      (queue) =>
        (queueSid === undefined || queue.sid === queueSid) &&
        (queueName === undefined || queue.friendlyName === queueName),
    );
    const byQueue = queueSid !== undefined || queueName !== undefined;
    return listPage(context, {
      items: workspace.workers.ordered,
      matches: (worker) => {
        const activity = workspace.activities.get(worker.activitySid);
        return (
          (activityName === undefined || activity?.friendlyName === activityName) &&
          (activitySid === undefined || worker.activitySid === activitySid) &&
          (available === undefined || (activity?.available ?? false) === available) &&
          (friendlyName === undefined || worker.friendlyName === friendlyName) &&
          (expression === undefined || selectsWorker(expression, workspace, worker)) &&
          (!byQueue || queues.some((queue) => isQueueMember(workspace, queue, worker)))
        );
      },
      key: 'workers',
      render: (worker) => renderWorker(workspace, worker, context.origin),
      ordering,
    });
  },

  CreateWorker(context) {
    const workspace = workspaceOf(context);
    const friendlyName = readFriendlyName(context, workspace, true)!;
    const activitySid =
      activityParameter(workspace, context.params, 'ActivitySid') ?? workspace.record.defaultActivitySid;
    const attributes = context.params.jsonObject('Attributes', MAX_ATTRIBUTES_LENGTH) ?? {
      text: '{}',
      value: {},
    };
    const worker = insertWorker(context, workspace, {
      friendlyName,
      activitySid,
      attributes: attributes.text,
      attributesValue: attributes.value,
    });
    return {
      status: 201,
      body: renderWorker(workspace, worker, context.origin),
      etag: String(worker.version),
    };
  },

  FetchWorker(context) {
    const [workspace, worker] = workerOf(context);
    return {
      status: 200,
      body: renderWorker(workspace, worker, context.origin),
      etag: String(worker.version),
    };
  },

  UpdateWorker(context) {
    const [workspace, worker] = workerOf(context);
    checkIfMatch(context, worker);
    const friendlyName = readFriendlyName(context, workspace, false, worker);
    const activitySid = activityParameter(workspace, context.params, 'ActivitySid');
    const attributes = context.params.jsonObject('Attributes', MAX_ATTRIBUTES_LENGTH);
    const rejectPending = context.params.boolean('RejectPendingReservations') ?? false;
    if (rejectPending && (activitySid === undefined || workspace.activities.get(activitySid)?.available)) {
      throw invalidParameter(
        'RejectPendingReservations',
        'is only allowed together with an ActivitySid of an unavailable activity',
      );
    }
    if (friendlyName !== undefined && friendlyName !== worker.friendlyName) {
      workspace.workerNames.delete(worker.friendlyName.toLowerCase());
      workspace.workerNames.set(friendlyName.toLowerCase(), worker.sid);
      worker.friendlyName = friendlyName;
      touch(context, worker);
    }
    if (attributes !== undefined) {
      worker.attributes = attributes.text;
      worker.attributesValue = attributes.value;
      touch(context, worker);
      recordWorkerEvent(
        context,
        workspace,
        worker,
        'worker.attributes.update',
        `Worker ${worker.friendlyName} attributes updated`,
      );
    }
    if (rejectPending) {
      for (const reservation of workspace.reservationsByWorker.get(worker.sid) ?? []) {
        if (reservation.status === 'pending')
          endPendingReservation(context, workspace, reservation, 'rejected');
      }
    }
    if (activitySid !== undefined) changeWorkerActivity(context, workspace, worker, activitySid);
    context.store.listener.onChange(workspace, { kind: 'worker', sid: worker.sid, action: 'updated' });
    return {
      status: 200,
      body: renderWorker(workspace, worker, context.origin),
      etag: String(worker.version),
    };
  },

  DeleteWorker(context) {
    const [workspace, worker] = workerOf(context);
    checkIfMatch(context, worker);
    if (hasActiveReservations(workspace, worker.sid)) {
      throw badRequest(
        `Worker ${worker.sid} cannot be deleted while it holds pending or accepted reservations`,
      );
    }
    workspace.workers.delete(worker.sid);
    workspace.workerNames.delete(worker.friendlyName.toLowerCase());
    for (const channel of workspace.workerChannels.get(worker.sid)?.values() ?? []) {
      workspace.workerChannelsBySid.delete(channel.sid);
    }
    workspace.workerChannels.delete(worker.sid);
    recordWorkerEvent(context, workspace, worker, 'worker.deleted', `Worker ${worker.friendlyName} deleted`);
    context.store.listener.onChange(workspace, { kind: 'worker', sid: worker.sid, action: 'deleted' });
    return { status: 204 };
  },

  ListWorkerChannel(context) {
    const [workspace, worker] = workerOf(context, 'WorkerSid');
    return listPage(context, {
      items: [...(workspace.workerChannels.get(worker.sid)?.values() ?? [])],
      key: 'channels',
      render: (channel) => renderWorkerChannel(workspace, channel, context.origin),
    });
  },

  FetchWorkerChannel(context) {
    const [workspace, channel] = workerChannelOf(context);
    return { status: 200, body: renderWorkerChannel(workspace, channel, context.origin) };
  },

  UpdateWorkerChannel(context) {
    const [workspace, channel] = workerChannelOf(context);
    const capacity = context.params.integer('Capacity', 0, 50);
    const available = context.params.boolean('Available');
    const worker = workspace.workers.get(channel.workerSid)!;
    const taskChannel = workspace.taskChannels.get(channel.taskChannelSid);
    const channelData = () => ({
      task_channel_sid: channel.taskChannelSid,
      task_channel_unique_name: taskChannel?.uniqueName ?? null,
      worker_channel_available: channel.available,
      worker_channel_available_capacity: channel.capacity,
      worker_channel_task_count: channel.reservedTasks + channel.assignedTasks,
    });
    if (capacity !== undefined && capacity !== channel.capacity) {
      const previous = channel.capacity;
      channel.capacity = capacity;
      touch(context, channel);
      recordWorkerEvent(
        context,
        workspace,
        worker,
        'worker.capacity.update',
        `Worker ${worker.friendlyName} capacity updated`,
        {
          ...channelData(),
          worker_channel_previous_capacity: previous,
        },
      );
    }
    if (available !== undefined && available !== channel.available) {
      channel.available = available;
      touch(context, channel);
      recordWorkerEvent(
        context,
        workspace,
        worker,
        'worker.channel.availability.update',
        `Worker ${worker.friendlyName} channel availability updated`,
        channelData(),
      );
    }
    context.store.listener.onChange(workspace, {
      kind: 'worker-channel',
      sid: channel.sid,
      action: 'updated',
    });
    return { status: 200, body: renderWorkerChannel(workspace, channel, context.origin) };
  },
} satisfies Record<string, OperationHandler>;
