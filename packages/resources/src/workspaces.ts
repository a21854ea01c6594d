import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';

/** A workspace: the container of every other TaskRouter resource. */
export type Workspace = FromWire<components['schemas']['taskrouter.v1.workspace']>;
/** Parameters of {@link WorkspacesApi.create}. */
export type WorkspaceCreateParams = ParamsOf<'CreateWorkspace'>;
/** Parameters of {@link WorkspacesApi.update}. */
export type WorkspaceUpdateParams = ParamsOf<'UpdateWorkspace'>;
/** Filters of {@link WorkspacesApi.list} and {@link WorkspacesApi.page}. */
export type WorkspaceFilters = FiltersOf<'ListWorkspace'>;

/** Create, read, update, delete and list workspaces. */
export interface WorkspacesApi {
  /**
   * Creates a workspace. With `template: 'FIFO'` it also gets a queue and a workflow that sends
   * every task to it.
   *
   * @example
   * ```ts
   * const workspace = await client.workspaces.create({ friendlyName: 'Customer Support', template: 'FIFO' });
   * console.log(workspace.sid, workspace.defaultActivityName);
   * ```
   */
  create(params: WorkspaceCreateParams): Promise<Workspace>;
  /**
   * Fetches a workspace by SID.
   *
   * @example
   * ```ts
   * const workspace = await client.workspaces.get(workspaceSid);
   * console.log(workspace.friendlyName, workspace.dateCreated.toISOString());
   * ```
   */
  get(sid: string): Promise<Workspace>;
  /**
   * Iterates over the workspaces, fetching pages as needed.
   *
   * @example
   * ```ts
   * for await (const workspace of client.workspaces.list({ friendlyName: 'Customer Support' })) {
   *   console.log(workspace.sid);
   * }
   * ```
   */
  list(params?: WorkspaceFilters & ListOptions): ItemIterable<Workspace>;
  /**
   * Fetches one page of workspaces.
   *
   * @example
   * ```ts
   * const first = await client.workspaces.page({ pageSize: 20 });
   * const second = await first.next(); // null on the last page
   * console.log(first.items.length, second?.items.length ?? 0);
   * ```
   */
  page(params?: WorkspaceFilters & PageOptions): Promise<Page<Workspace>>;
  /**
   * Changes a workspace.
   *
   * @example
   * ```ts
   * await client.workspaces.update(workspaceSid, {
   *   friendlyName: 'Test Workspace',
   *   eventCallbackUrl: 'https://example.com/taskrouter/events',
   * });
   * ```
   */
  update(sid: string, params: WorkspaceUpdateParams): Promise<Workspace>;
  /**
   * Deletes a workspace and everything in it.
   *
   * @example
   * ```ts
   * await client.workspaces.delete(workspaceSid);
   * ```
   */
  delete(sid: string): Promise<void>;
}

/**
 * The workspaces of the account, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const api = createTaskRouterClient({ accountSid, authToken, baseUrl, fetch });
 * const workspace = await workspaces(api).create({ friendlyName: 'Support' });
 * console.log(workspace.sid);
 * ```
 */
export function workspaces(api: ApiClient): WorkspacesApi {
  return collection(api, {
    path: '/v1/Workspaces',
    scope: {},
    sidPrefix: 'WS',
    create: 'CreateWorkspace',
  }) as WorkspacesApi;
}
