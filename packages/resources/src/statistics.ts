import {
  type TaskRouterApiClient as ApiClient,
  assertSid,
  type OperationId,
  type operationTable,
  type paths,
  TaskRouterValidationError,
} from '@taskrouter/core';
import {
  type StatisticsEntry,
  taskQueueStatisticsCatalog,
  workerStatisticsCatalog,
  workersStatisticsCatalog,
  workflowStatisticsCatalog,
  workspaceStatisticsCatalog,
} from './catalog.js';
import {
  fetchOne,
  fromResponse,
  inWorkspace,
  type Listable,
  listItems,
  listPage,
  type PathParams,
  send,
} from './collection.js';
import type { FiltersOf, FromWire, ResultOf } from './types.js';
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
/** Statistics of one task queue, as an item of `list` on {@link TaskQueuesStatisticsApi}. */
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

/**
 * The views of one statistics scope, exactly those the spec has: `get` (real-time and
 * cumulative together), `realTime` and `cumulative`, typed from the operations the catalog names.
 */
export type StatisticsViews<E extends StatisticsEntry> = {
  /**
   * Fetches real-time and cumulative statistics together.
   *
   * @example
   * ```ts
   * const stats = await client.statistics(workspaceSid).workspace.get({ minutes: 60 });
   * console.log(stats.realtime, stats.cumulative);
   * ```
   */
  get(params?: FiltersOf<E['operations']['get']>): Promise<FromWire<ResultOf<E['operations']['get']>>>;
} & (E['operations'] extends { realTime: infer Id extends OperationId }
  ? {
      /**
       * Fetches the current numbers.
       *
       * @example
       * ```ts
       * const now = await client.statistics(workspaceSid).taskQueue(taskQueueSid).realTime();
       * console.log(now.totalAvailableWorkers, now.longestTaskWaitingAge);
       * ```
       */
      realTime(params?: FiltersOf<Id>): Promise<FromWire<ResultOf<Id>>>;
    }
  : unknown) &
  (E['operations'] extends { cumulative: infer Id extends OperationId }
    ? {
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
        cumulative(params?: FiltersOf<Id>): Promise<FromWire<ResultOf<Id>>>;
      }
    : unknown);

/** Statistics of the workspace as a whole. */
export type WorkspaceStatisticsApi = StatisticsViews<typeof workspaceStatisticsCatalog>;
/** Statistics of one task queue. */
export type TaskQueueStatisticsApi = StatisticsViews<typeof taskQueueStatisticsCatalog>;
/** Statistics of all the workers of a workspace. */
export type WorkersStatisticsApi = StatisticsViews<typeof workersStatisticsCatalog>;
/** Statistics of one worker: its cumulative statistics. */
export type WorkerStatisticsApi = StatisticsViews<typeof workerStatisticsCatalog>;
/** Statistics of one workflow. */
export type WorkflowStatisticsApi = StatisticsViews<typeof workflowStatisticsCatalog>;

/** Statistics of many task queues at once. */
export interface TaskQueuesStatisticsApi
  extends Listable<FiltersOf<'ListTaskQueuesStatistics'>, TaskQueuesStatisticsItem> {
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

/** Where each view of a statistics scope lives, after the scope's path. */
const VIEW_SUFFIXES = {
  get: 'Statistics',
  realTime: 'RealTimeStatistics',
  cumulative: 'CumulativeStatistics',
} as const;

/** An entry whose views sit where the spec puts them: its path plus each view's suffix. */
type ViewsConsistent<E extends StatisticsEntry> = {
  readonly path: {
    [View in keyof E['operations'] &
      keyof typeof VIEW_SUFFIXES]: (typeof operationTable)[E['operations'][View] &
      OperationId]['path'] extends `${infer Base}/${(typeof VIEW_SUFFIXES)[View]}`
      ? Base
      : never;
  }[keyof E['operations'] & keyof typeof VIEW_SUFFIXES];
};

/** The views of a statistics scope of the catalog, exactly those it names. */
function views<E extends StatisticsEntry>(
  api: ApiClient,
  entry: E & ViewsConsistent<E>,
  params: PathParams,
): StatisticsViews<E> {
  const methods: Record<string, unknown> = {};
  for (const view of Object.keys(entry.operations) as (keyof typeof VIEW_SUFFIXES)[]) {
    const path = `${entry.path}/${VIEW_SUFFIXES[view]}` as keyof paths;
    methods[view] = (query?: object) => fetchOne(api, path, params, query);
  }
  return methods as StatisticsViews<E>;
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
    workspace: views(api, workspaceStatisticsCatalog, scope),
    workers: views(api, workersStatisticsCatalog, scope),
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
      views(api, taskQueueStatisticsCatalog, {
        ...scope,
        TaskQueueSid: requireId(taskQueueSid, 'WQ', 'taskQueueSid'),
      }),
    worker: (workerSid) =>
      views(api, workerStatisticsCatalog, { ...scope, WorkerSid: requireId(workerSid, 'WK', 'workerSid') }),
    workflow: (workflowSid) =>
      views(api, workflowStatisticsCatalog, {
        ...scope,
        WorkflowSid: requireId(workflowSid, 'WW', 'workflowSid'),
      }),
  };
}
