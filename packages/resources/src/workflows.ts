import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { workflowCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';

/** The routing rules that move tasks into queues; `configuration` comes back parsed. */
export type Workflow = FromWire<components['schemas']['taskrouter.v1.workspace.workflow']>;
/** Parameters of `create` on {@link WorkflowsApi}; `configuration` takes JSON text, an object or a builder. */
export type WorkflowCreateParams = ParamsOf<'CreateWorkflow'>;
/** Parameters of `update` on {@link WorkflowsApi}; `reEvaluateTasks: true` re-routes the tasks already in it. */
export type WorkflowUpdateParams = ParamsOf<'UpdateWorkflow'>;
/** Filters of `list` and `page` on {@link WorkflowsApi}. */
export type WorkflowFilters = FiltersOf<'ListWorkflow'>;
/** Create, read, update, delete and list the workflows of a workspace. */
export type WorkflowsApi = Collection<typeof workflowCatalog, Workflow>;

/**
 * The workflows of a workspace, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const workflow = await workflows(api, workspaceSid).get(workflowSid);
 * console.log(workflow.configuration);
 * ```
 */
export function workflows(api: ApiClient, workspaceSid: string): WorkflowsApi {
  return collection(api, workflowCatalog, inWorkspace(workspaceSid));
}
