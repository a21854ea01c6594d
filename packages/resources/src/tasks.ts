import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { taskCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { AlwaysSetField, FiltersOf, FromWire, JsonObject, ParamsOf } from './types.js';

/** A unit of work routed to workers. `Attributes` is the shape of its parsed `attributes` document. */
export type Task<Attributes = JsonObject> = FromWire<
  components['schemas']['taskrouter.v1.workspace.task'],
  Attributes,
  // A task always has attributes (`{}` unless given).
  AlwaysSetField | 'attributes'
>;
/**
 * Parameters of `create` on {@link TasksApi}. `attributes` may be an object or JSON text,
 * `virtualStartTime` a `Date`.
 */
export type TaskCreateParams<Attributes = JsonObject> = ParamsOf<'CreateTask', Attributes>;
/**
 * Parameters of `update` on {@link TasksApi}. The service wants a status change (to `wrapping`
 * or `completed`) and an attributes change in separate requests.
 */
export type TaskUpdateParams<Attributes = JsonObject> = ParamsOf<'UpdateTask', Attributes>;
/** Filters of `list` and `page` on {@link TasksApi}. */
export type TaskFilters = FiltersOf<'ListTask'>;
/** Create, read, update, delete and list the tasks of a workspace; writes may be conditional (`ifMatch`). */
export type TasksApi<Attributes = JsonObject> = Collection<typeof taskCatalog, Task<Attributes>, Attributes>;

/**
 * The tasks of a workspace, on a client from `createTaskRouterClient`. The type parameter
 * describes the tasks' attributes.
 * @example
 * ```ts
 * interface Call { type: 'call'; from: string }
 * const calls = tasks<Call>(api, workspaceSid);
 * const task = await calls.create({ workflowSid, attributes: { type: 'call', from: '+15550100' } });
 * console.log(task.attributes.from);
 * ```
 */
export function tasks<Attributes = JsonObject>(api: ApiClient, workspaceSid: string): TasksApi<Attributes> {
  return collection<typeof taskCatalog, Task<Attributes>, Attributes>(
    api,
    taskCatalog,
    inWorkspace(workspaceSid),
  );
}
