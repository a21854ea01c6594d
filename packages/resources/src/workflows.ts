import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';

/** The routing rules that move tasks into queues; `configuration` comes back parsed. */
export type Workflow = FromWire<components['schemas']['taskrouter.v1.workspace.workflow']>;
/**
 * Parameters of {@link WorkflowsApi.create}. `configuration` may be JSON text, a plain object
 * or any object with `toJSON()`, such as a configuration built with `@taskrouter/workflow-builder`.
 */
export type WorkflowCreateParams = ParamsOf<'CreateWorkflow'>;
/** Parameters of {@link WorkflowsApi.update}; `reEvaluateTasks: true` re-routes the tasks already in it. */
export type WorkflowUpdateParams = ParamsOf<'UpdateWorkflow'>;
/** Filters of {@link WorkflowsApi.list} and {@link WorkflowsApi.page}. */
export type WorkflowFilters = FiltersOf<'ListWorkflow'>;

/** Create, read, update, delete and list the workflows of a workspace. */
export interface WorkflowsApi {
  /**
   * Creates a workflow.
   *
   * @example
   * ```ts
   * const workflow = await client.workflows(workspaceSid).create({
   *   friendlyName: 'Sales',
   *   assignmentCallbackUrl: 'https://example.com/assignment',
   *   fallbackAssignmentCallbackUrl: 'https://example.com/fallback',
   *   taskReservationTimeout: 60,
   *   configuration: { task_routing: { default_filter: { queue: taskQueueSid } } },
   * });
   * console.log(workflow.sid, workflow.configuration);
   * ```
   */
  create(params: WorkflowCreateParams): Promise<Workflow>;
  /**
   * Fetches a workflow by SID.
   *
   * @example
   * ```ts
   * const workflow = await client.workflows(workspaceSid).get(workflowSid);
   * console.log(workflow.friendlyName, workflow.taskReservationTimeout);
   * ```
   */
  get(sid: string): Promise<Workflow>;
  /**
   * Iterates over the workflows, fetching pages as needed.
   *
   * @example
   * ```ts
   * for await (const workflow of client.workflows(workspaceSid).list()) {
   *   console.log(workflow.friendlyName);
   * }
   * ```
   */
  list(params?: WorkflowFilters & ListOptions): ItemIterable<Workflow>;
  /**
   * Fetches one page of workflows.
   *
   * @example
   * ```ts
   * const page = await client.workflows(workspaceSid).page({ pageSize: 5 });
   * console.log(page.items.length, page.nextPageToken);
   * ```
   */
  page(params?: WorkflowFilters & PageOptions): Promise<Page<Workflow>>;
  /**
   * Changes a workflow.
   *
   * @example
   * ```ts
   * await client.workflows(workspaceSid).update(workflowSid, {
   *   configuration: JSON.stringify({ task_routing: { default_filter: { queue: taskQueueSid } } }),
   *   reEvaluateTasks: true,
   * });
   * ```
   */
  update(sid: string, params: WorkflowUpdateParams): Promise<Workflow>;
  /**
   * Deletes a workflow.
   *
   * @example
   * ```ts
   * const spare = await client.workflows(workspaceSid).create({
   *   friendlyName: 'Spare',
   *   configuration: { task_routing: { default_filter: { queue: taskQueueSid } } },
   * });
   * await client.workflows(workspaceSid).delete(spare.sid);
   * ```
   */
  delete(sid: string): Promise<void>;
}

/**
 * The workflows of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const workflow = await workflows(api, workspaceSid).get(workflowSid);
 * console.log(workflow.configuration);
 * ```
 */
export function workflows(api: ApiClient, workspaceSid: string): WorkflowsApi {
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Workflows',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'WW',
    create: 'CreateWorkflow',
  }) as WorkflowsApi;
}
