import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type {
  AlwaysSetField,
  ConditionalOptions,
  FiltersOf,
  FromWire,
  ItemIterable,
  JsonObject,
  ListOptions,
  Page,
  PageOptions,
  ParamsOf,
  Versioned,
} from './types.js';

/** A unit of work routed to workers. `Attributes` is the shape of its parsed `attributes` document. */
export type Task<Attributes = JsonObject> = FromWire<
  components['schemas']['taskrouter.v1.workspace.task'],
  Attributes,
  // A task always has attributes (`{}` unless given).
  AlwaysSetField | 'attributes'
>;
/**
 * Parameters of {@link TasksApi.create}. `attributes` may be an object or JSON text,
 * `virtualStartTime` a `Date`.
 */
export type TaskCreateParams<Attributes = JsonObject> = ParamsOf<'CreateTask', Attributes>;
/**
 * Parameters of {@link TasksApi.update}. The service wants a status change (to `wrapping` or
 * `completed`) and an attributes change in separate requests.
 */
export type TaskUpdateParams<Attributes = JsonObject> = ParamsOf<'UpdateTask', Attributes>;
/** Filters of {@link TasksApi.list} and {@link TasksApi.page}. */
export type TaskFilters = FiltersOf<'ListTask'>;

/** Create, read, update, delete and list the tasks of a workspace. */
export interface TasksApi<Attributes = JsonObject> {
  /**
   * Creates a task; the workflow routes it to a queue. Its `version` is the one to pass as
   * `ifMatch` to a later write.
   *
   * @example
   * ```ts
   * const task = await client.tasks(workspaceSid).create({
   *   workflowSid,
   *   attributes: { type: 'support', language: 'en' },
   *   priority: 5,
   *   timeout: 3600,
   * });
   * console.log(task.sid, task.assignmentStatus, task.attributes.type);
   * ```
   */
  create(params: TaskCreateParams<Attributes>): Promise<Task<Attributes> & Versioned>;
  /**
   * Fetches a task by SID.
   *
   * @example
   * ```ts
   * const task = await client.tasks(workspaceSid).get(taskSid);
   * console.log(task.assignmentStatus, task.age, task.taskQueueFriendlyName);
   * ```
   */
  get(sid: string): Promise<Task<Attributes> & Versioned>;
  /**
   * Iterates over the tasks, fetching pages as needed.
   *
   * @example
   * ```ts
   * const waiting = client.tasks(workspaceSid).list({ assignmentStatus: ['pending', 'reserved'], ordering: 'Priority:desc' });
   * for await (const task of waiting) console.log(task.sid, task.priority);
   * ```
   */
  list(params?: TaskFilters & ListOptions): ItemIterable<Task<Attributes>>;
  /**
   * Fetches one page of tasks.
   *
   * @example
   * ```ts
   * const page = await client.tasks(workspaceSid).page({ evaluateTaskAttributes: "type == 'support'", pageSize: 25 });
   * console.log(page.items.length, page.nextPageUrl);
   * ```
   */
  page(params?: TaskFilters & PageOptions): Promise<Page<Task<Attributes>>>;
  /**
   * Changes a task; with `ifMatch`, only if it still has that version (else the service answers 412).
   *
   * @example
   * ```ts
   * const tasks = client.tasks(workspaceSid);
   * const task = await tasks.get(taskSid);
   * const canceled = await tasks.update(
   *   taskSid,
   *   { assignmentStatus: 'canceled', reason: 'Caller hung up' },
   *   { ifMatch: task.version },
   * );
   * console.log(canceled.assignmentStatus, canceled.version);
   * ```
   */
  update(
    sid: string,
    params: TaskUpdateParams<Attributes>,
    options?: ConditionalOptions,
  ): Promise<Task<Attributes> & Versioned>;
  /**
   * Deletes a task; with `ifMatch`, only if it still has that version.
   *
   * @example
   * ```ts
   * await client.tasks(workspaceSid).delete(taskSid);
   * ```
   */
  delete(sid: string, options?: ConditionalOptions): Promise<void>;
}

/**
 * The tasks of a workspace, on a client from `createTaskRouterClient`. The type parameter
 * describes the tasks' attributes.
 *
 * @example
 * ```ts
 * interface Call { type: 'call'; from: string }
 * const calls = tasks<Call>(api, workspaceSid);
 * const task = await calls.create({ workflowSid, attributes: { type: 'call', from: '+15550100' } });
 * console.log(task.attributes.from);
 * ```
 */
export function tasks<Attributes = JsonObject>(api: ApiClient, workspaceSid: string): TasksApi<Attributes> {
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Tasks',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'WT',
  }) as TasksApi<Attributes>;
}
