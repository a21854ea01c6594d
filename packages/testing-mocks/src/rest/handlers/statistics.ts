import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { invalidParameter } from '../../domain/errors.js';
import { listPage } from '../paging.js';
import { isSid } from '@taskrouter/core';
import type { TaskQueueRecord, WorkerRecord } from '../../domain/state.js';
import {
  renderTaskQueueBulkRealTimeStatistics,
  renderTaskQueueCumulativeStatistics,
  renderTaskQueueRealTimeStatistics,
  renderTaskQueuesStatisticsEntry,
  renderTaskQueueStatistics,
  renderWorkerInstanceStatistics,
  renderWorkersCumulativeStatistics,
  renderWorkerStatistics,
  renderWorkersRealTimeStatistics,
  renderWorkflowCumulativeStatistics,
  renderWorkflowRealTimeStatistics,
  renderWorkflowStatistics,
  renderWorkspaceCumulativeStatistics,
  renderWorkspaceRealTimeStatistics,
  renderWorkspaceStatistics,
  type StatisticsScope,
} from '../../render/statistics.js';
import { readTimeWindow } from './events.js';
import { taskChannelParameter } from './task-channels.js';
import { isQueueMember } from '../../domain/workers.js';

const MAX_BULK_QUEUES = 50;

function scopeOf(context: RequestContext): StatisticsScope {
  const workspace = workspaceOf(context);
  return {
    workspace,
    now: context.store.clock.nowMs(),
    channelSid: taskChannelParameter(context, workspace),
  };
}

function readSplitByWaitTime(context: RequestContext): number[] {
  const raw = context.params.string('SplitByWaitTime');
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (!/^\d+$/.test(part.trim()) || value <= 0) {
      throw invalidParameter(
        'SplitByWaitTime',
        `must be a comma-separated list of positive seconds, got '${raw}'`,
      );
    }
    return value;
  });
}

function filteredWorkers(context: RequestContext, scope: StatisticsScope): WorkerRecord[] {
  const queueSid = context.params.string('TaskQueueSid');
  const queueName = context.params.string('TaskQueueName');
  const name = context.params.string('FriendlyName');
  const queues = [...scope.workspace.taskQueues.values()].filter(
    (queue) =>
      (queueSid === undefined || queue.sid === queueSid) &&
      (queueName === undefined || queue.friendlyName === queueName),
  );
  const byQueue = queueSid !== undefined || queueName !== undefined;
  return [...scope.workspace.workers.values()].filter(
    (worker) =>
      (name === undefined || worker.friendlyName === name) &&
      (!byQueue || queues.some((queue) => isQueueMember(scope.workspace, queue, worker))),
  );
}

function queueOf(context: RequestContext, scope: StatisticsScope): TaskQueueRecord {
  return found(scope.workspace.taskQueues, context.path.TaskQueueSid, context);
}

function workflowSidOf(context: RequestContext, scope: StatisticsScope): string {
  return found(scope.workspace.workflows, context.path.WorkflowSid, context).sid;
}

function readQueueSids(json: unknown): string[] {
  const body = (json ?? {}) as Record<string, unknown>;
  const sids = body.QueueSids ?? body.queueSids;
  if (sids === undefined) throw invalidParameter('QueueSids', 'is required: a JSON array of task queue SIDs');
  if (!Array.isArray(sids) || sids.length < 1 || sids.length > MAX_BULK_QUEUES) {
    throw invalidParameter('QueueSids', `must be an array of 1 to ${MAX_BULK_QUEUES} task queue SIDs`);
  }
  for (const sid of sids) {
    if (typeof sid !== 'string' || !isSid(sid, 'WQ')) {
      throw invalidParameter('QueueSids', `${JSON.stringify(sid)} is not a task queue SID`);
    }
  }
  return sids as string[];
}

export const statisticsHandlers = {
  FetchWorkspaceRealTimeStatistics(context) {
    const scope = scopeOf(context);
    return { status: 200, body: renderWorkspaceRealTimeStatistics(scope, context.origin) };
  },

  FetchWorkspaceCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return { status: 200, body: renderWorkspaceCumulativeStatistics(scope, context.origin, window, splits) };
  },

  FetchWorkspaceStatistics(context) {
    const scope = scopeOf(context);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return { status: 200, body: renderWorkspaceStatistics(scope, context.origin, window, splits) };
  },

  FetchTaskQueueRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    return { status: 200, body: renderTaskQueueRealTimeStatistics(scope, context.origin, queue) };
  },

  FetchTaskQueueCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return {
      status: 200,
      body: renderTaskQueueCumulativeStatistics(scope, context.origin, queue, window, splits),
    };
  },

  FetchTaskQueueStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return { status: 200, body: renderTaskQueueStatistics(scope, context.origin, queue, window, splits) };
  },

  ListTaskQueuesStatistics(context) {
    const scope = scopeOf(context);
    const name = context.params.string('FriendlyName');
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return listPage(context, {
      items: scope.workspace.taskQueues.ordered,
      matches: name === undefined ? undefined : (queue) => queue.friendlyName === name,
      key: 'task_queues_statistics',
      render: (queue) => renderTaskQueuesStatisticsEntry(scope, queue, window, splits),
    });
  },

  CreateTaskQueueBulkRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const sids = readQueueSids(context.json);
    return { status: 200, body: renderTaskQueueBulkRealTimeStatistics(scope, context.origin, sids) };
  },

  FetchWorkersRealTimeStatistics(context) {
    const scope = scopeOf(context);
    return { status: 200, body: renderWorkersRealTimeStatistics(scope, context.origin) };
  },

  FetchWorkersCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const workers = [...scope.workspace.workers.values()];
    const window = readTimeWindow(context);
    return { status: 200, body: renderWorkersCumulativeStatistics(scope, context.origin, workers, window) };
  },

  FetchWorkerStatistics(context) {
    const scope = scopeOf(context);
    const workers = filteredWorkers(context, scope);
    const window = readTimeWindow(context);
    return { status: 200, body: renderWorkerStatistics(scope, context.origin, workers, window) };
  },

  FetchWorkerInstanceStatistics(context) {
    const scope = scopeOf(context);
    const worker = found(scope.workspace.workers, context.path.WorkerSid, context);
    const window = readTimeWindow(context);
    return { status: 200, body: renderWorkerInstanceStatistics(scope, context.origin, worker, window) };
  },

  FetchWorkflowRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    return { status: 200, body: renderWorkflowRealTimeStatistics(scope, context.origin, sid) };
  },

  FetchWorkflowCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return {
      status: 200,
      body: renderWorkflowCumulativeStatistics(scope, context.origin, sid, window, splits),
    };
  },

  FetchWorkflowStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    const window = readTimeWindow(context);
    const splits = readSplitByWaitTime(context);
    return { status: 200, body: renderWorkflowStatistics(scope, context.origin, sid, window, splits) };
  },
} satisfies Record<string, OperationHandler>;
