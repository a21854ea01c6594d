import type { ResourceBody } from './body.js';
import type {
  EventRecord,
  TaskQueueRecord,
  TaskRecord,
  TaskStatus,
  WorkerRecord,
  WorkspaceState,
} from '../domain/state.js';
import { eventWorkerSid, taskAgeAt } from '../domain/event-log.js';
import { isQueueMember } from '../domain/workers.js';
import { isoDate } from './format.js';

const STATUSES: readonly TaskStatus[] = [
  'pending',
  'reserved',
  'assigned',
  'wrapping',
  'completed',
  'canceled',
];

/** What every statistic is computed over: a workspace at an instant, optionally one task channel. */
export interface StatisticsScope {
  readonly workspace: WorkspaceState;
  readonly now: number;
  readonly channelSid: string | undefined;
}

/** The time window of cumulative statistics, in epoch milliseconds, both ends included. */
export interface StatisticsWindow {
  readonly start: number;
  readonly end: number;
}

type CommonField = 'account_sid' | 'workspace_sid' | 'url';

type StatisticsSchema =
  | 'taskrouter.v1.workspace.workspace_real_time_statistics'
  | 'taskrouter.v1.workspace.workspace_cumulative_statistics'
  | 'taskrouter.v1.workspace.task_queue.task_queue_real_time_statistics'
  | 'taskrouter.v1.workspace.task_queue.task_queue_cumulative_statistics'
  | 'taskrouter.v1.workspace.worker.workers_cumulative_statistics'
  | 'taskrouter.v1.workspace.workflow.workflow_real_time_statistics'
  | 'taskrouter.v1.workspace.workflow.workflow_cumulative_statistics';

/**
 * A statistics body without the fields every statistics resource shares: the shape nested under
 * `realtime` and `cumulative`, which the spec types only as open objects.
 */
type Figures<Name extends StatisticsSchema> = Omit<ResourceBody<Name>, CommonField>;

function tasksOf(scope: StatisticsScope, test: (task: TaskRecord) => boolean): TaskRecord[] {
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

/**
 * Cumulative figures over the events of a window: counts of each kind of event and the waiting
 * times recorded with them.
 */
function cumulativeFigures(
  scope: StatisticsScope,
  window: StatisticsWindow,
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
function activityDurations(
  scope: StatisticsScope,
  window: StatisticsWindow,
  workers: readonly WorkerRecord[],
) {
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

function common(scope: StatisticsScope, origin: string, path: string) {
  return {
    account_sid: scope.workspace.record.accountSid,
    workspace_sid: scope.workspace.sid,
    url: `${origin}${scope.workspace.path}${path}`,
  };
}

function workspaceRealtime(
  scope: StatisticsScope,
): Figures<'taskrouter.v1.workspace.workspace_real_time_statistics'> {
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

function workspaceCumulative(
  scope: StatisticsScope,
  window: StatisticsWindow,
  splits: readonly number[],
): Figures<'taskrouter.v1.workspace.workspace_cumulative_statistics'> {
  const figures = cumulativeFigures(scope, window, splits, () => true);
  return {
    ...figures.reservations,
    ...figures.tasks,
    tasks_created: figures.count('task.created'),
    tasks_timed_out_in_workflow: figures.count('workflow.timeout'),
    ...figures.window,
  };
}

function queueMembers(scope: StatisticsScope, queue: TaskQueueRecord): WorkerRecord[] {
  return [...scope.workspace.workers.values()].filter((worker) =>
    isQueueMember(scope.workspace, queue, worker),
  );
}

function queueRealtime(
  scope: StatisticsScope,
  queue: TaskQueueRecord,
): Figures<'taskrouter.v1.workspace.task_queue.task_queue_real_time_statistics'> {
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

/** What the bulk statistics report for a queue SID the workspace does not have. */
function zeroedQueueRealtime(
  queueSid: string,
): Figures<'taskrouter.v1.workspace.task_queue.task_queue_real_time_statistics'> {
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

function queueCumulative(
  scope: StatisticsScope,
  queue: TaskQueueRecord,
  window: StatisticsWindow,
  splits: readonly number[],
): Figures<'taskrouter.v1.workspace.task_queue.task_queue_cumulative_statistics'> {
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

function workflowRealtime(
  scope: StatisticsScope,
  workflowSid: string,
): Figures<'taskrouter.v1.workspace.workflow.workflow_real_time_statistics'> {
  return {
    ...taskFigures(
      tasksOf(scope, (task) => task.workflowSid === workflowSid),
      scope.now,
    ),
    workflow_sid: workflowSid,
  };
}

function workflowCumulative(
  scope: StatisticsScope,
  workflowSid: string,
  window: StatisticsWindow,
  splits: readonly number[],
): Figures<'taskrouter.v1.workspace.workflow.workflow_cumulative_statistics'> {
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

function workersCumulative(
  scope: StatisticsScope,
  workers: readonly WorkerRecord[],
  window: StatisticsWindow,
): Figures<'taskrouter.v1.workspace.worker.workers_cumulative_statistics'> {
  const sids = new Set(workers.map((worker) => worker.sid));
  const figures = cumulativeFigures(scope, window, [], (event) => sids.has(eventWorkerSid(event) ?? ''));
  return {
    ...figures.reservations,
    activity_durations: activityDurations(scope, window, workers),
    ...figures.window,
  };
}

/** The workspace's real-time statistics body. */
export function renderWorkspaceRealTimeStatistics(
  scope: StatisticsScope,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.workspace_real_time_statistics'> {
  return { ...common(scope, origin, '/RealTimeStatistics'), ...workspaceRealtime(scope) };
}

/** The workspace's cumulative statistics body over `window`, split at the `splits` waiting times (seconds). */
export function renderWorkspaceCumulativeStatistics(
  scope: StatisticsScope,
  origin: string,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.workspace_cumulative_statistics'> {
  const body = workspaceCumulative(scope, window, splits);
  return { ...common(scope, origin, '/CumulativeStatistics'), ...body };
}

/** The workspace's statistics body: real-time figures now and cumulative ones over `window`. */
export function renderWorkspaceStatistics(
  scope: StatisticsScope,
  origin: string,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.workspace_statistics'> {
  const cumulative = workspaceCumulative(scope, window, splits);
  return {
    ...common(scope, origin, '/Statistics'),
    realtime: workspaceRealtime(scope),
    cumulative,
  };
}

/** The task queue's real-time statistics body. */
export function renderTaskQueueRealTimeStatistics(
  scope: StatisticsScope,
  origin: string,
  queue: TaskQueueRecord,
): ResourceBody<'taskrouter.v1.workspace.task_queue.task_queue_real_time_statistics'> {
  const path = `/TaskQueues/${queue.sid}/RealTimeStatistics`;
  return { ...common(scope, origin, path), ...queueRealtime(scope, queue) };
}

/** The task queue's cumulative statistics body over `window`. */
export function renderTaskQueueCumulativeStatistics(
  scope: StatisticsScope,
  origin: string,
  queue: TaskQueueRecord,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.task_queue.task_queue_cumulative_statistics'> {
  const body = queueCumulative(scope, queue, window, splits);
  const path = `/TaskQueues/${queue.sid}/CumulativeStatistics`;
  return { ...common(scope, origin, path), ...body };
}

/** The task queue's statistics body: real-time figures now and cumulative ones over `window`. */
export function renderTaskQueueStatistics(
  scope: StatisticsScope,
  origin: string,
  queue: TaskQueueRecord,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.task_queue.task_queue_statistics'> {
  const cumulative = queueCumulative(scope, queue, window, splits);
  return {
    ...common(scope, origin, `/TaskQueues/${queue.sid}/Statistics`),
    task_queue_sid: queue.sid,
    realtime: queueRealtime(scope, queue),
    cumulative,
  };
}

/** One task queue's entry in the list of task queue statistics (entries carry no `url`). */
export function renderTaskQueuesStatisticsEntry(
  scope: StatisticsScope,
  queue: TaskQueueRecord,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.task_queue.task_queues_statistics'> {
  return {
    account_sid: scope.workspace.record.accountSid,
    workspace_sid: scope.workspace.sid,
    task_queue_sid: queue.sid,
    realtime: queueRealtime(scope, queue),
    cumulative: queueCumulative(scope, queue, window, splits),
  };
}

/**
 * The bulk real-time statistics body for `queueSids`, in their order; a SID the workspace does not
 * have gets zeroed figures rather than failing the whole request.
 */
export function renderTaskQueueBulkRealTimeStatistics(
  scope: StatisticsScope,
  origin: string,
  queueSids: readonly string[],
): ResourceBody<'taskrouter.v1.workspace.task_queue.task_queue_bulk_real_time_statistics'> {
  const data = queueSids.map((sid) => {
    const queue = scope.workspace.taskQueues.get(sid);
    return queue ? queueRealtime(scope, queue) : zeroedQueueRealtime(sid);
  });
  return {
    ...common(scope, origin, '/TaskQueues/RealTimeStatistics'),
    task_queue_data: data,
    task_queue_response_count: data.length,
  };
}

/** The real-time statistics body of all the workspace's workers. */
export function renderWorkersRealTimeStatistics(
  scope: StatisticsScope,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.worker.workers_real_time_statistics'> {
  const workers = [...scope.workspace.workers.values()];
  return {
    ...common(scope, origin, '/Workers/RealTimeStatistics'),
    activity_statistics: activityStatistics(scope.workspace, workers),
    total_workers: workers.length,
  };
}

/** The cumulative statistics body of `workers` over `window`. */
export function renderWorkersCumulativeStatistics(
  scope: StatisticsScope,
  origin: string,
  workers: readonly WorkerRecord[],
  window: StatisticsWindow,
): ResourceBody<'taskrouter.v1.workspace.worker.workers_cumulative_statistics'> {
  const body = workersCumulative(scope, workers, window);
  return { ...common(scope, origin, '/Workers/CumulativeStatistics'), ...body };
}

/** The statistics body of `workers`: real-time figures now and cumulative ones over `window`. */
export function renderWorkerStatistics(
  scope: StatisticsScope,
  origin: string,
  workers: readonly WorkerRecord[],
  window: StatisticsWindow,
): ResourceBody<'taskrouter.v1.workspace.worker.worker_statistics'> {
  return {
    ...common(scope, origin, '/Workers/Statistics'),
    realtime: {
      activity_statistics: activityStatistics(scope.workspace, workers),
      total_workers: workers.length,
    },
    cumulative: workersCumulative(scope, workers, window),
  };
}

/** One worker's statistics body: its cumulative figures over `window`. */
export function renderWorkerInstanceStatistics(
  scope: StatisticsScope,
  origin: string,
  worker: WorkerRecord,
  window: StatisticsWindow,
): ResourceBody<'taskrouter.v1.workspace.worker.worker_instance_statistics'> {
  return {
    ...common(scope, origin, `/Workers/${worker.sid}/Statistics`),
    worker_sid: worker.sid,
    cumulative: workersCumulative(scope, [worker], window),
  };
}

/** The workflow's real-time statistics body. */
export function renderWorkflowRealTimeStatistics(
  scope: StatisticsScope,
  origin: string,
  workflowSid: string,
): ResourceBody<'taskrouter.v1.workspace.workflow.workflow_real_time_statistics'> {
  const path = `/Workflows/${workflowSid}/RealTimeStatistics`;
  return { ...common(scope, origin, path), ...workflowRealtime(scope, workflowSid) };
}

/** The workflow's cumulative statistics body over `window`. */
export function renderWorkflowCumulativeStatistics(
  scope: StatisticsScope,
  origin: string,
  workflowSid: string,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.workflow.workflow_cumulative_statistics'> {
  const body = workflowCumulative(scope, workflowSid, window, splits);
  return { ...common(scope, origin, `/Workflows/${workflowSid}/CumulativeStatistics`), ...body };
}

/** The workflow's statistics body: real-time figures now and cumulative ones over `window`. */
export function renderWorkflowStatistics(
  scope: StatisticsScope,
  origin: string,
  workflowSid: string,
  window: StatisticsWindow,
  splits: readonly number[],
): ResourceBody<'taskrouter.v1.workspace.workflow.workflow_statistics'> {
  const cumulative = workflowCumulative(scope, workflowSid, window, splits);
  return {
    ...common(scope, origin, `/Workflows/${workflowSid}/Statistics`),
    workflow_sid: workflowSid,
    realtime: workflowRealtime(scope, workflowSid),
    cumulative,
  };
}
