import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { workspaceCatalog } from './catalog.js';
import { type Collection, collection } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';

/** A workspace: the container of every other TaskRouter resource. */
export type Workspace = FromWire<components['schemas']['taskrouter.v1.workspace']>;
/** Parameters of `create` on {@link WorkspacesApi}; `template: 'FIFO'` adds a queue and a workflow. */
export type WorkspaceCreateParams = ParamsOf<'CreateWorkspace'>;
/** Parameters of `update` on {@link WorkspacesApi}. */
export type WorkspaceUpdateParams = ParamsOf<'UpdateWorkspace'>;
/** Filters of `list` and `page` on {@link WorkspacesApi}. */
export type WorkspaceFilters = FiltersOf<'ListWorkspace'>;
/** Create, read, update, delete (with everything in them) and list workspaces. */
export type WorkspacesApi = Collection<typeof workspaceCatalog, Workspace>;

/**
 * The workspaces of the account, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const api = createTaskRouterClient({ accountSid, authToken, baseUrl, fetch });
 * const workspace = await workspaces(api).create({ friendlyName: 'Support' });
 * console.log(workspace.sid);
 * ```
 */
export function workspaces(api: ApiClient): WorkspacesApi {
  return collection(api, workspaceCatalog, {});
}
