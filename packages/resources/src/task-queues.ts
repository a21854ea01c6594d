import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';

/** A queue of tasks waiting for the workers its `targetWorkers` expression selects. */
export type TaskQueue = FromWire<components['schemas']['taskrouter.v1.workspace.task_queue']>;
/** Parameters of {@link TaskQueuesApi.create}. */
export type TaskQueueCreateParams = ParamsOf<'CreateTaskQueue'>;
/** Parameters of {@link TaskQueuesApi.update}. */
export type TaskQueueUpdateParams = ParamsOf<'UpdateTaskQueue'>;
/** Filters of {@link TaskQueuesApi.list} and {@link TaskQueuesApi.page}. */
export type TaskQueueFilters = FiltersOf<'ListTaskQueue'>;

/** Create, read, update, delete and list the task queues of a workspace. */
export interface TaskQueuesApi {
  /**
   * Creates a task queue.
   *
   * @example
   * ```ts
   * const queue = await client.taskQueues(workspaceSid).create({
   *   friendlyName: 'Spanish',
   *   targetWorkers: "languages HAS 'es'",
   *   maxReservedWorkers: 2,
   * });
   * console.log(queue.sid, queue.taskOrder);
   * ```
   */
  create(params: TaskQueueCreateParams): Promise<TaskQueue>;
  /**
   * Fetches a task queue by SID.
   *
   * @example
   * ```ts
   * const queue = await client.taskQueues(workspaceSid).get(taskQueueSid);
   * console.log(queue.friendlyName, queue.targetWorkers);
   * ```
   */
  get(sid: string): Promise<TaskQueue>;
  /**
   * Iterates over the task queues, fetching pages as needed.
   *
   * @example
   * ```ts
   * for await (const queue of client.taskQueues(workspaceSid).list({ workerSid })) {
   *   console.log(`${queue.friendlyName} serves the worker`);
   * }
   * ```
   */
  list(params?: TaskQueueFilters & ListOptions): ItemIterable<TaskQueue>;
  /**
   * Fetches one page of task queues.
   *
   * @example
   * ```ts
   * const page = await client.taskQueues(workspaceSid).page({ friendlyName: 'Sample Queue' });
   * console.log(page.items[0]?.sid);
   * ```
   */
  page(params?: TaskQueueFilters & PageOptions): Promise<Page<TaskQueue>>;
  /**
   * Changes a task queue.
   *
   * @example
   * ```ts
   * await client.taskQueues(workspaceSid).update(taskQueueSid, { taskOrder: 'LIFO' });
   * ```
   */
  update(sid: string, params: TaskQueueUpdateParams): Promise<TaskQueue>;
  /**
   * Deletes a task queue.
   *
   * @example
   * ```ts
   * const queue = await client.taskQueues(workspaceSid).create({ friendlyName: 'Temporary' });
   * await client.taskQueues(workspaceSid).delete(queue.sid);
   * ```
   */
  delete(sid: string): Promise<void>;
}

/**
 * The task queues of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const queue = await taskQueues(api, workspaceSid).create({ friendlyName: 'Billing', targetWorkers: '1==1' });
 * console.log(queue.sid);
 * ```
 */
export function taskQueues(api: ApiClient, workspaceSid: string): TaskQueuesApi {
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/TaskQueues',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'WQ',
    create: 'CreateTaskQueue',
  }) as TaskQueuesApi;
}
