import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { invalidParameter } from '../../domain/errors.js';
import { eventWorkerSid, taskAgeAt } from '../../domain/event-log.js';
import { listPage } from '../paging.js';
import { isoDate } from '../../render/format.js';
import { isSid } from '@taskrouter/core';
import type {
  EventRecord,
  TaskQueueRecord,
  TaskRecord,
  TaskStatus,
  WorkerRecord,
  WorkspaceState,
} from '../../domain/state.js';
import { readTimeWindow, type TimeWindow } from './events.js';
import { taskChannelParameter } from './task-channels.js';
import { isQueueMember } from '../../domain/workers.js';

const STATUSES: readonly TaskStatus[] = [
  'pending',
  'reserved',
  'assigned',
  'wrapping',
  'completed',
  'canceled',
];
const MAX_BULK_QUEUES = 50;

interface Scope {
  readonly workspace: WorkspaceState;
  readonly now: number;
  readonly channelSid: string | undefined;
}

function scopeOf(context: RequestContext): Scope {
  const workspace = workspaceOf(context);
  return {
    workspace,
    now: context.store.clock.nowMs(),
    channelSid: taskChannelParameter(context, workspace),
  };
}

function tasksOf(scope: Scope, test: (task: TaskRecord) => boolean): TaskRecord[] {
  return [...scope.workspace.tasks.values()].filter(
    (task) => (scope.channelSid === undefined || task.taskChannelSid === scope.channelSid) && test(task),
  );
}

/** Counts, ages and priorities of a set of tasks, as every real-time statistic reports them. */
function taskFigures(tasks: readonly TaskRecord[], now: number) {
  const byStatus: Record<string, number> = Object.fromEntries(STATUSES.map((status) => [status, 0]));
  const byPriority: Record<string, number> = {};
  let longest: TaskRecord | undefined;
  for (const task of tasks) {
    byStatus[task.assignmentStatus] = (byStatus[task.assignmentStatus] ?? 0) + 1;
    byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
    const waiting = task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved';
    if (waiting && (longest === undefined || task.created < longest.created)) longest = task;
  }
  return {
    longest_task_waiting_age: longest ? Math.floor((now - longest.created) / 1000) : 0,
    longest_task_waiting_sid: longest?.sid ?? null,
    tasks_by_priority: byPriority,
    tasks_by_status: byStatus,
    total_tasks: tasks.length,
  };
}

function activityStatistics(workspace: WorkspaceState, workers: readonly WorkerRecord[]) {
  const counts = new Map<string, number>();
  for (const worker of workers) counts.set(worker.activitySid, (counts.get(worker.activitySid) ?? 0) + 1);
  return [...workspace.activities.values()].map((activity) => ({
    sid: activity.sid,
    friendly_name: activity.friendlyName,
    workers: counts.get(activity.sid) ?? 0,
  }));
}

function durationFigures(values: readonly number[]) {
  if (values.length === 0) return { avg: 0, min: 0, max: 0, total: 0 };
  const total = values.reduce((sum, value) => sum + value, 0);
  return {
    avg: Math.round(total / values.length),
    min: Math.min(...values),
    max: Math.max(...values),
    total,
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

/**
 * Cumulative figures over the events of a window: counts of each kind of event and the waiting
 * times recorded with them.
 */
function cumulativeFigures(
  scope: Scope,
  window: TimeWindow,
  splits: readonly number[],
  include: (event: EventRecord) => boolean,
) {
  const counts = new Map<string, number>();
  const waitUntilAccepted: number[] = [];
  const waitUntilCanceled: number[] = [];
  const waitInQueue: number[] = [];
  for (const event of scope.workspace.events) {
    if (event.created < window.start || event.created > window.end || !include(event)) continue;
    if (scope.channelSid !== undefined && event.taskChannelSid !== scope.channelSid) continue;
    counts.set(event.eventType, (counts.get(event.eventType) ?? 0) + 1);
    const snapshot = event.task;
    if (!snapshot) continue;
    const age = taskAgeAt(snapshot, event.created);
    if (event.eventType === 'reservation.accepted') {
      waitUntilAccepted.push(age);
      const entered = snapshot.queueEnteredAt;
      if (entered !== null) waitInQueue.push(Math.max(0, Math.floor((event.created - entered) / 1000)));
    } else if (event.eventType === 'task.canceled') waitUntilCanceled.push(age);
  }
  const count = (type: string) => counts.get(type) ?? 0;
  const splitByWaitTime: Record<string, unknown> = {};
  for (const threshold of splits) {
    const side = (values: number[], above: boolean) =>
      values.filter((value) => (above ? value > threshold : value <= threshold)).length;
    splitByWaitTime[threshold] = {
      above: {
        tasks_canceled: side(waitUntilCanceled, true),
        reservations_accepted: side(waitUntilAccepted, true),
      },
      below: {
        tasks_canceled: side(waitUntilCanceled, false),
        reservations_accepted: side(waitUntilAccepted, false),
      },
    };
  }
  const accepted = durationFigures(waitUntilAccepted);
  return {
    reservations: {
      reservations_created: count('reservation.created'),
      reservations_accepted: count('reservation.accepted'),
      reservations_rejected: count('reservation.rejected'),
      reservations_timed_out: count('reservation.timeout'),
      reservations_canceled: count('reservation.canceled'),
      reservations_rescinded: count('reservation.rescinded'),
    },
    tasks: {
      avg_task_acceptance_time: accepted.avg,
      split_by_wait_time: splitByWaitTime,
      wait_duration_until_accepted: accepted,
      wait_duration_until_canceled: durationFigures(waitUntilCanceled),
      tasks_canceled: count('task.canceled'),
      tasks_completed: count('task.completed'),
      tasks_deleted: count('task.deleted') + count('task.system-deleted'),
      tasks_moved: count('task-queue.moved'),
    },
    count,
    waitInQueue: durationFigures(waitInQueue),
    window: { start_time: isoDate(window.start), end_time: isoDate(window.end) },
  };
}

/** Seconds each activity was held by the given workers within the window. */
function activityDurations(scope: Scope, window: TimeWindow, workers: readonly WorkerRecord[]) {
  const workerSids = new Set(workers.map((worker) => worker.sid));
  const stints = new Map<string, number[]>();
  const add = (activitySid: string, ms: number) => {
    const list = stints.get(activitySid) ?? [];
    list.push(Math.floor(ms / 1000));
    stints.set(activitySid, list);
  };
  for (const event of scope.workspace.events) {
    if (event.eventType !== 'worker.activity.update' || !workerSids.has(eventWorkerSid(event) ?? ''))
      continue;
    if (event.created < window.start || event.created > window.end) continue;
    const previous = event.data?.worker_previous_activity_sid;
    const elapsed = event.data?.worker_time_in_previous_activity_ms;
    if (typeof previous === 'string' && typeof elapsed === 'number') {
      add(previous, Math.min(elapsed, event.created - window.start));
    }
  }
  const end = Math.min(window.end, scope.now);
  for (const worker of workers) {
    const since = Math.max(worker.dateStatusChanged, window.start);
    if (since <= end) add(worker.activitySid, end - since);
  }
  return [...scope.workspace.activities.values()].map((activity) => ({
    sid: activity.sid,
    friendly_name: activity.friendlyName,
    ...durationFigures(stints.get(activity.sid) ?? []),
  }));
}

function common(scope: Scope, origin: string, path: string) {
  return {
    account_sid: scope.workspace.record.accountSid,
    workspace_sid: scope.workspace.sid,
    url: `${origin}${scope.workspace.path}${path}`,
  };
}

function workspaceRealtime(scope: Scope) {
  const workers = [...scope.workspace.workers.values()];
  return {
    activity_statistics: activityStatistics(scope.workspace, workers),
    ...taskFigures(
      tasksOf(scope, () => true),
      scope.now,
    ),
    total_workers: workers.length,
  };
}

function workspaceCumulative(scope: Scope, window: TimeWindow, splits: readonly number[]) {
  const figures = cumulativeFigures(scope, window, splits, () => true);
  return {
    ...figures.reservations,
    ...figures.tasks,
    tasks_created: figures.count('task.created'),
    tasks_timed_out_in_workflow: figures.count('workflow.timeout'),
    ...figures.window,
  };
}

function queueMembers(scope: Scope, queue: TaskQueueRecord): WorkerRecord[] {
  return [...scope.workspace.workers.values()].filter((worker) =>
    isQueueMember(scope.workspace, queue, worker),
  );
}

function queueRealtime(scope: Scope, queue: TaskQueueRecord) {
  const members = queueMembers(scope, queue);
  const tasks = tasksOf(scope, (task) => task.taskQueueSid === queue.sid);
  let longestInQueue: TaskRecord | undefined;
  for (const task of tasks) {
    if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') continue;
    if (
      longestInQueue === undefined ||
      (task.taskQueueEnteredAt ?? 0) < (longestInQueue.taskQueueEnteredAt ?? 0)
    ) {
      longestInQueue = task;
    }
  }
  return {
    activity_statistics: activityStatistics(scope.workspace, members),
    ...taskFigures(tasks, scope.now),
    longest_relative_task_age_in_queue: longestInQueue
      ? Math.floor((scope.now - (longestInQueue.taskQueueEnteredAt ?? scope.now)) / 1000)
      : 0,
    longest_relative_task_sid_in_queue: longestInQueue?.sid ?? null,
    task_queue_sid: queue.sid,
    total_available_workers: members.filter(
      (worker) => scope.workspace.activities.get(worker.activitySid)?.available,
    ).length,
    total_eligible_workers: members.length,
  };
}

function queueCumulative(
  scope: Scope,
  queue: TaskQueueRecord,
  window: TimeWindow,
  splits: readonly number[],
) {
  const figures = cumulativeFigures(scope, window, splits, (event) => event.taskQueueSid === queue.sid);
  return {
    ...figures.reservations,
    ...figures.tasks,
    tasks_entered: figures.count('task-queue.entered'),
    wait_duration_in_queue_until_accepted: figures.waitInQueue,
    task_queue_sid: queue.sid,
    ...figures.window,
  };
}

function workflowRealtime(scope: Scope, workflowSid: string) {
  return {
    ...taskFigures(
      tasksOf(scope, (task) => task.workflowSid === workflowSid),
      scope.now,
    ),
    workflow_sid: workflowSid,
  };
}

function workflowCumulative(
  scope: Scope,
  workflowSid: string,
  window: TimeWindow,
  splits: readonly number[],
) {
  const figures = cumulativeFigures(scope, window, splits, (event) => event.workflowSid === workflowSid);
  return {
    ...figures.reservations,
    ...figures.tasks,
    tasks_entered: figures.count('workflow.entered'),
    tasks_timed_out_in_workflow: figures.count('workflow.timeout'),
    workflow_sid: workflowSid,
    ...figures.window,
  };
}

function workersCumulative(scope: Scope, workers: readonly WorkerRecord[], window: TimeWindow) {
  const sids = new Set(workers.map((worker) => worker.sid));
  const figures = cumulativeFigures(scope, window, [], (event) => sids.has(eventWorkerSid(event) ?? ''));
  return {
    ...figures.reservations,
    activity_durations: activityDurations(scope, window, workers),
    ...figures.window,
  };
}

function filteredWorkers(context: RequestContext, scope: Scope): WorkerRecord[] {
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

function queueOf(context: RequestContext, scope: Scope): TaskQueueRecord {
  return found(scope.workspace.taskQueues, context.path.TaskQueueSid, context);
}

function workflowSidOf(context: RequestContext, scope: Scope): string {
  return found(scope.workspace.workflows, context.path.WorkflowSid, context).sid;
}

function zeroedQueueRealtime(queueSid: string) {
  return {
    activity_statistics: [],
    longest_task_waiting_age: 0,
    longest_task_waiting_sid: null,
    longest_relative_task_age_in_queue: 0,
    longest_relative_task_sid_in_queue: null,
    task_queue_sid: queueSid,
    tasks_by_priority: {},
    tasks_by_status: Object.fromEntries(STATUSES.map((status) => [status, 0])),
    total_available_workers: 0,
    total_eligible_workers: 0,
    total_tasks: 0,
  };
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
    return {
      status: 200,
      body: { ...common(scope, context.origin, '/RealTimeStatistics'), ...workspaceRealtime(scope) },
    };
  },

  FetchWorkspaceCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const body = workspaceCumulative(scope, readTimeWindow(context), readSplitByWaitTime(context));
    return { status: 200, body: { ...common(scope, context.origin, '/CumulativeStatistics'), ...body } };
  },

  FetchWorkspaceStatistics(context) {
    const scope = scopeOf(context);
    const cumulative = workspaceCumulative(scope, readTimeWindow(context), readSplitByWaitTime(context));
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, '/Statistics'),
        realtime: workspaceRealtime(scope),
        cumulative,
      },
    };
  },

  FetchTaskQueueRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    const path = `/TaskQueues/${queue.sid}/RealTimeStatistics`;
    return { status: 200, body: { ...common(scope, context.origin, path), ...queueRealtime(scope, queue) } };
  },

  FetchTaskQueueCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    const body = queueCumulative(scope, queue, readTimeWindow(context), readSplitByWaitTime(context));
    const path = `/TaskQueues/${queue.sid}/CumulativeStatistics`;
    return { status: 200, body: { ...common(scope, context.origin, path), ...body } };
  },

  FetchTaskQueueStatistics(context) {
    const scope = scopeOf(context);
    const queue = queueOf(context, scope);
    const cumulative = queueCumulative(scope, queue, readTimeWindow(context), readSplitByWaitTime(context));
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, `/TaskQueues/${queue.sid}/Statistics`),
        task_queue_sid: queue.sid,
        realtime: queueRealtime(scope, queue),
        cumulative,
      },
    };
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
      render: (queue) => ({
        account_sid: scope.workspace.record.accountSid,
        workspace_sid: scope.workspace.sid,
        task_queue_sid: queue.sid,
        realtime: queueRealtime(scope, queue),
        cumulative: queueCumulative(scope, queue, window, splits),
      }),
    });
  },

  CreateTaskQueueBulkRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const sids = readQueueSids(context.json);
    const data = sids.map((sid) => {
      const queue = scope.workspace.taskQueues.get(sid);
      return queue ? queueRealtime(scope, queue) : zeroedQueueRealtime(sid);
    });
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, '/TaskQueues/RealTimeStatistics'),
        task_queue_data: data,
        task_queue_response_count: data.length,
      },
    };
  },

  FetchWorkersRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const workers = [...scope.workspace.workers.values()];
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, '/Workers/RealTimeStatistics'),
        activity_statistics: activityStatistics(scope.workspace, workers),
        total_workers: workers.length,
      },
    };
  },

  FetchWorkersCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const workers = [...scope.workspace.workers.values()];
    const body = workersCumulative(scope, workers, readTimeWindow(context));
    return {
      status: 200,
      body: { ...common(scope, context.origin, '/Workers/CumulativeStatistics'), ...body },
    };
  },

  FetchWorkerStatistics(context) {
    const scope = scopeOf(context);
    const workers = filteredWorkers(context, scope);
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, '/Workers/Statistics'),
        realtime: {
          activity_statistics: activityStatistics(scope.workspace, workers),
          total_workers: workers.length,
        },
        cumulative: workersCumulative(scope, workers, readTimeWindow(context)),
      },
    };
  },

  FetchWorkerInstanceStatistics(context) {
    const scope = scopeOf(context);
    const worker = found(scope.workspace.workers, context.path.WorkerSid, context);
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, `/Workers/${worker.sid}/Statistics`),
        worker_sid: worker.sid,
        cumulative: workersCumulative(scope, [worker], readTimeWindow(context)),
      },
    };
  },

  FetchWorkflowRealTimeStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    const path = `/Workflows/${sid}/RealTimeStatistics`;
    return { status: 200, body: { ...common(scope, context.origin, path), ...workflowRealtime(scope, sid) } };
  },

  FetchWorkflowCumulativeStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    const body = workflowCumulative(scope, sid, readTimeWindow(context), readSplitByWaitTime(context));
    return {
      status: 200,
      body: { ...common(scope, context.origin, `/Workflows/${sid}/CumulativeStatistics`), ...body },
    };
  },

  FetchWorkflowStatistics(context) {
    const scope = scopeOf(context);
    const sid = workflowSidOf(context, scope);
    const cumulative = workflowCumulative(scope, sid, readTimeWindow(context), readSplitByWaitTime(context));
    return {
      status: 200,
      body: {
        ...common(scope, context.origin, `/Workflows/${sid}/Statistics`),
        workflow_sid: sid,
        realtime: workflowRealtime(scope, sid),
        cumulative,
      },
    };
  },
} satisfies Record<string, OperationHandler>;
