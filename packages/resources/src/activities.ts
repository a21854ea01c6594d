import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { activityCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';

/** A state a worker can be in, available for work or not. */
export type Activity = FromWire<components['schemas']['taskrouter.v1.workspace.activity']>;
/** Parameters of `create` on {@link ActivitiesApi}. */
export type ActivityCreateParams = ParamsOf<'CreateActivity'>;
/** Parameters of `update` on {@link ActivitiesApi}; `available` cannot change after creation. */
export type ActivityUpdateParams = ParamsOf<'UpdateActivity'>;
/** Filters of `list` and `page` on {@link ActivitiesApi}. */
export type ActivityFilters = FiltersOf<'ListActivity'>;
/** Create, read, update, delete and list the activities of a workspace. */
export type ActivitiesApi = Collection<typeof activityCatalog, Activity>;

/**
 * The activities of a workspace, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const names = (await activities(api, workspaceSid).list().toArray()).map((a) => a.friendlyName);
 * console.log(names);
 * ```
 */
export function activities(api: ApiClient, workspaceSid: string): ActivitiesApi {
  return collection(api, activityCatalog, inWorkspace(workspaceSid));
}
