import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { taskQueueCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';

/** A queue of tasks waiting for the workers its `targetWorkers` expression selects. */
export type TaskQueue = FromWire<components['schemas']['taskrouter.v1.workspace.task_queue']>;
/** Parameters of `create` on {@link TaskQueuesApi}. */
export type TaskQueueCreateParams = ParamsOf<'CreateTaskQueue'>;
/** Parameters of `update` on {@link TaskQueuesApi}. */
export type TaskQueueUpdateParams = ParamsOf<'UpdateTaskQueue'>;
/** Filters of `list` and `page` on {@link TaskQueuesApi}. */
export type TaskQueueFilters = FiltersOf<'ListTaskQueue'>;
/** Create, read, update, delete and list the task queues of a workspace. */
export type TaskQueuesApi = Collection<typeof taskQueueCatalog, TaskQueue>;

/**
 * The task queues of a workspace, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const queue = await taskQueues(api, workspaceSid).create({ friendlyName: 'Billing', targetWorkers: '1==1' });
 * console.log(queue.sid);
 * ```
 */
export function taskQueues(api: ApiClient, workspaceSid: string): TaskQueuesApi {
  return collection(api, taskQueueCatalog, inWorkspace(workspaceSid));
}
