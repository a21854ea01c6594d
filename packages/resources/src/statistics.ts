import {
  type TaskRouterClient as ApiClient,
  assertSid,
  type paths,
  TaskRouterValidationError,
} from '@taskrouter/core';
import {
  fetchOne,
  inWorkspace,
  listItems,
  listPage,
  type PathParams,
  fromResponse,
  send,
} from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ResultOf } from './types.js';
import { requireId } from './wire.js';

/** Real-time and cumulative statistics of a workspace. */
export type WorkspaceStatistics = FromWire<ResultOf<'FetchWorkspaceStatistics'>>;
/** Real-time statistics of a workspace: tasks by status and priority, workers by activity. */
export type WorkspaceRealTimeStatistics = FromWire<ResultOf<'FetchWorkspaceRealTimeStatistics'>>;
/** Cumulative statistics of a workspace over an interval. */
export type WorkspaceCumulativeStatistics = FromWire<ResultOf<'FetchWorkspaceCumulativeStatistics'>>;
/** Real-time and cumulative statistics of one task queue. */
export type TaskQueueStatistics = FromWire<ResultOf<'FetchTaskQueueStatistics'>>;
/** Real-time statistics of one task queue. */
export type TaskQueueRealTimeStatistics = FromWire<ResultOf<'FetchTaskQueueRealTimeStatistics'>>;
/** Cumulative statistics of one task queue over an interval. */
export type TaskQueueCumulativeStatistics = FromWire<ResultOf<'FetchTaskQueueCumulativeStatistics'>>;
/** Statistics of one task queue, as an item of {@link TaskQueuesStatisticsApi.list}. */
export type TaskQueuesStatisticsItem = FromWire<
  ResultOf<'ListTaskQueuesStatistics'>['task_queues_statistics'][number]
>;
/** Real-time statistics of several task queues at once. */
export type TaskQueuesRealTimeStatistics = FromWire<ResultOf<'CreateTaskQueueBulkRealTimeStatistics'>>;
/** Real-time and cumulative statistics of all workers. */
export type WorkersStatistics = FromWire<ResultOf<'FetchWorkerStatistics'>>;
/** Real-time statistics of all workers: how many are in each activity. */
export type WorkersRealTimeStatistics = FromWire<ResultOf<'FetchWorkersRealTimeStatistics'>>;
/** Cumulative statistics of all workers over an interval. */
export type WorkersCumulativeStatistics = FromWire<ResultOf<'FetchWorkersCumulativeStatistics'>>;
/** Cumulative statistics of one worker over an interval. */
export type WorkerStatistics = FromWire<ResultOf<'FetchWorkerInstanceStatistics'>>;
/** Real-time and cumulative statistics of one workflow. */
export type WorkflowStatistics = FromWire<ResultOf<'FetchWorkflowStatistics'>>;
/** Real-time statistics of one workflow. */
export type WorkflowRealTimeStatistics = FromWire<ResultOf<'FetchWorkflowRealTimeStatistics'>>;
/** Cumulative statistics of one workflow over an interval. */
export type WorkflowCumulativeStatistics = FromWire<ResultOf<'FetchWorkflowCumulativeStatistics'>>;

/** Statistics of the workspace as a whole. */
export interface WorkspaceStatisticsApi {
  /**
   * Fetches real-time and cumulative statistics together.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).workspace.get({ minutes: 60 });
   * console.log(stats.realtime, stats.cumulative);
   * ```
   */
  get(params?: FiltersOf<'FetchWorkspaceStatistics'>): Promise<WorkspaceStatistics>;
  /**
   * Fetches the current numbers.
   *
   * @example
   * ```ts
   * const now = await client.statistics(workspaceSid).workspace.realTime();
   * console.log(now.totalTasks, now.tasksByStatus, now.activityStatistics);
   * ```
   */
  realTime(params?: FiltersOf<'FetchWorkspaceRealTimeStatistics'>): Promise<WorkspaceRealTimeStatistics>;
  /**
   * Fetches totals over an interval (the last 15 minutes unless told otherwise).
   *
   * @example
   * ```ts
   * const today = await client.statistics(workspaceSid).workspace.cumulative({
   *   startDate: new Date(Date.now() - 8 * 60 * 60 * 1000),
   *   splitByWaitTime: [30, 60],
   * });
   * console.log(today.tasksCreated, today.reservationsAccepted, today.startTime);
   * ```
   */
  cumulative(
    params?: FiltersOf<'FetchWorkspaceCumulativeStatistics'>,
  ): Promise<WorkspaceCumulativeStatistics>;
}

/** Statistics of one task queue. */
export interface TaskQueueStatisticsApi {
  /**
   * Fetches real-time and cumulative statistics together.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).taskQueue(taskQueueSid).get();
   * console.log(stats.taskQueueSid, stats.realtime);
   * ```
   */
  get(params?: FiltersOf<'FetchTaskQueueStatistics'>): Promise<TaskQueueStatistics>;
  /**
   * Fetches the current numbers.
   *
   * @example
   * ```ts
   * const now = await client.statistics(workspaceSid).taskQueue(taskQueueSid).realTime();
   * console.log(now.totalAvailableWorkers, now.longestTaskWaitingAge);
   * ```
   */
  realTime(params?: FiltersOf<'FetchTaskQueueRealTimeStatistics'>): Promise<TaskQueueRealTimeStatistics>;
  /**
   * Fetches totals over an interval.
   *
   * @example
   * ```ts
   * const hour = await client.statistics(workspaceSid).taskQueue(taskQueueSid).cumulative({ minutes: 60 });
   * console.log(hour.tasksEntered, hour.waitDurationUntilAccepted);
   * ```
   */
  cumulative(
    params?: FiltersOf<'FetchTaskQueueCumulativeStatistics'>,
  ): Promise<TaskQueueCumulativeStatistics>;
}

/** Statistics of many task queues at once. */
export interface TaskQueuesStatisticsApi {
  /**
   * Iterates over the statistics of every task queue.
   *
   * @example
   * ```ts
   * for await (const queue of client.statistics(workspaceSid).taskQueues.list({ minutes: 30 })) {
   *   console.log(queue.taskQueueSid, queue.cumulative);
   * }
   * ```
   */
  list(params?: FiltersOf<'ListTaskQueuesStatistics'> & ListOptions): ItemIterable<TaskQueuesStatisticsItem>;
  /**
   * Fetches one page of task queue statistics.
   *
   * @example
   * ```ts
   * const page = await client.statistics(workspaceSid).taskQueues.page({ friendlyName: 'Sample Queue' });
   * console.log(page.items.length);
   * ```
   */
  page(params?: FiltersOf<'ListTaskQueuesStatistics'> & PageOptions): Promise<Page<TaskQueuesStatisticsItem>>;
  /**
   * Fetches the real-time statistics of 1 to 50 task queues in one request.
   *
   * @example
   * ```ts
   * const bulk = await client.statistics(workspaceSid).taskQueues.realTime([taskQueueSid]);
   * console.log(bulk.taskQueueResponseCount, bulk.taskQueueData);
   * ```
   */
  realTime(taskQueueSids: readonly string[]): Promise<TaskQueuesRealTimeStatistics>;
}

/** Statistics of all the workers of a workspace. */
export interface WorkersStatisticsApi {
  /**
   * Fetches real-time and cumulative statistics together.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).workers.get({ taskQueueSid });
   * console.log(stats.realtime, stats.cumulative);
   * ```
   */
  get(params?: FiltersOf<'FetchWorkerStatistics'>): Promise<WorkersStatistics>;
  /**
   * Fetches how many workers are in each activity now.
   *
   * @example
   * ```ts
   * const now = await client.statistics(workspaceSid).workers.realTime();
   * console.log(now.totalWorkers, now.activityStatistics);
   * ```
   */
  realTime(params?: FiltersOf<'FetchWorkersRealTimeStatistics'>): Promise<WorkersRealTimeStatistics>;
  /**
   * Fetches totals over an interval.
   *
   * @example
   * ```ts
   * const hour = await client.statistics(workspaceSid).workers.cumulative({ minutes: 60 });
   * console.log(hour.reservationsAccepted, hour.activityDurations);
   * ```
   */
  cumulative(params?: FiltersOf<'FetchWorkersCumulativeStatistics'>): Promise<WorkersCumulativeStatistics>;
}

/** Statistics of one worker. */
export interface WorkerStatisticsApi {
  /**
   * Fetches the worker's cumulative statistics.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).worker(workerSid).get({ minutes: 120 });
   * console.log(stats.workerSid, stats.cumulative);
   * ```
   */
  get(params?: FiltersOf<'FetchWorkerInstanceStatistics'>): Promise<WorkerStatistics>;
}

/** Statistics of one workflow. */
export interface WorkflowStatisticsApi {
  /**
   * Fetches real-time and cumulative statistics together.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).workflow(workflowSid).get();
   * console.log(stats.workflowSid, stats.realtime);
   * ```
   */
  get(params?: FiltersOf<'FetchWorkflowStatistics'>): Promise<WorkflowStatistics>;
  /**
   * Fetches the current numbers.
   *
   * @example
   * ```ts
   * const now = await client.statistics(workspaceSid).workflow(workflowSid).realTime();
   * console.log(now.totalTasks, now.tasksByPriority);
   * ```
   */
  realTime(params?: FiltersOf<'FetchWorkflowRealTimeStatistics'>): Promise<WorkflowRealTimeStatistics>;
  /**
   * Fetches totals over an interval.
   *
   * @example
   * ```ts
   * const hour = await client.statistics(workspaceSid).workflow(workflowSid).cumulative({ minutes: 60 });
   * console.log(hour.tasksEntered, hour.tasksTimedOutInWorkflow);
   * ```
   */
  cumulative(params?: FiltersOf<'FetchWorkflowCumulativeStatistics'>): Promise<WorkflowCumulativeStatistics>;
}

/** Every statistics endpoint of a workspace. */
export interface StatisticsApi {
  /** Statistics of the workspace as a whole. */
  readonly workspace: WorkspaceStatisticsApi;
  /** Statistics of many task queues at once. */
  readonly taskQueues: TaskQueuesStatisticsApi;
  /** Statistics of all workers. */
  readonly workers: WorkersStatisticsApi;
  /**
   * Statistics of one task queue.
   *
   * @example
   * ```ts
   * const queueStats = client.statistics(workspaceSid).taskQueue(taskQueueSid);
   * console.log((await queueStats.realTime()).totalTasks);
   * ```
   */
  taskQueue(taskQueueSid: string): TaskQueueStatisticsApi;
  /**
   * Statistics of one worker.
   *
   * @example
   * ```ts
   * const workerStats = client.statistics(workspaceSid).worker(workerSid);
   * console.log((await workerStats.get()).cumulative);
   * ```
   */
  worker(workerSid: string): WorkerStatisticsApi;
  /**
   * Statistics of one workflow.
   *
   * @example
   * ```ts
   * const workflowStats = client.statistics(workspaceSid).workflow(workflowSid);
   * console.log((await workflowStats.cumulative()).tasksCompleted);
   * ```
   */
  workflow(workflowSid: string): WorkflowStatisticsApi;
}

/** A spec path prefix under which `/Statistics`, `/RealTimeStatistics` and `/CumulativeStatistics` all exist. */
type StatisticsBase = {
  [P in keyof paths]: P extends `${infer Base}/Statistics`
    ? [`${Base}/RealTimeStatistics`, `${Base}/CumulativeStatistics`] extends [keyof paths, keyof paths]
      ? Base
      : never
    : never;
}[keyof paths];

/** The three statistics views under one base path. */
function views<B extends StatisticsBase>(api: ApiClient, base: B, params: PathParams) {
  return {
    get: (query?: object) => fetchOne(api, `${base}/Statistics` as keyof paths, params, query),
    realTime: (query?: object) => fetchOne(api, `${base}/RealTimeStatistics` as keyof paths, params, query),
    cumulative: (query?: object) =>
      fetchOne(api, `${base}/CumulativeStatistics` as keyof paths, params, query),
  };
}

/** The bulk real-time statistics call takes 1 to 50 queues. */
const MAX_BULK_QUEUES = 50;

/**
 * Every statistics endpoint of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const stats = statistics(api, workspaceSid);
 * const [workspaceNow, queueNow] = await Promise.all([
 *   stats.workspace.realTime(),
 *   stats.taskQueue(taskQueueSid).realTime(),
 * ]);
 * console.log(workspaceNow.totalTasks, queueNow.totalTasks);
 * ```
 */
export function statistics(api: ApiClient, workspaceSid: string): StatisticsApi {
  const scope = inWorkspace(workspaceSid);
  const queuesPath = '/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics';
  return {
    workspace: views(api, '/v1/Workspaces/{WorkspaceSid}', scope),
    workers: views(api, '/v1/Workspaces/{WorkspaceSid}/Workers', scope),
    taskQueues: {
      list: (options?: object) => listItems(api, queuesPath, scope, options),
      page: (options?: object) => listPage(api, queuesPath, scope, options),
      async realTime(taskQueueSids: readonly string[]) {
        if (
          !Array.isArray(taskQueueSids) ||
          taskQueueSids.length < 1 ||
          taskQueueSids.length > MAX_BULK_QUEUES
        ) {
          throw new TaskRouterValidationError(
            'taskQueueSids',
            `must list 1 to ${MAX_BULK_QUEUES} task queue SIDs`,
          );
        }
        taskQueueSids.forEach((sid, index) => {
          assertSid(sid, 'WQ', `taskQueueSids[${index}]`);
        });
        const { data, response } = await send(
          api,
          'POST',
          '/v1/Workspaces/{WorkspaceSid}/TaskQueues/RealTimeStatistics',
          {
            path: scope,
            body: { QueueSids: taskQueueSids },
          },
        );
        return fromResponse(data, response);
      },
    },
    taskQueue: (taskQueueSid) =>
      views(api, '/v1/Workspaces/{WorkspaceSid}/TaskQueues/{TaskQueueSid}', {
        ...scope,
        TaskQueueSid: requireId(taskQueueSid, 'WQ', 'taskQueueSid'),
      }),
    worker(workerSid) {
      const params = { ...scope, WorkerSid: requireId(workerSid, 'WK', 'workerSid') };
      return {
        get: (query?: object) =>
          fetchOne(api, '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Statistics', params, query),
      };
    },
    workflow: (workflowSid) =>
      views(api, '/v1/Workspaces/{WorkspaceSid}/Workflows/{WorkflowSid}', {
        ...scope,
        WorkflowSid: requireId(workflowSid, 'WW', 'workflowSid'),
      }),
  } as StatisticsApi;
}
