import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';

/** A state a worker can be in, available for work or not. */
export type Activity = FromWire<components['schemas']['taskrouter.v1.workspace.activity']>;
/** Parameters of {@link ActivitiesApi.create}. */
export type ActivityCreateParams = ParamsOf<'CreateActivity'>;
/** Parameters of {@link ActivitiesApi.update}; `available` cannot change after creation. */
export type ActivityUpdateParams = ParamsOf<'UpdateActivity'>;
/** Filters of {@link ActivitiesApi.list} and {@link ActivitiesApi.page}. */
export type ActivityFilters = FiltersOf<'ListActivity'>;

/** Create, read, update, delete and list the activities of a workspace. */
export interface ActivitiesApi {
  /**
   * Creates an activity.
   *
   * @example
   * ```ts
   * const lunch = await client.activities(workspaceSid).create({ friendlyName: 'Lunch', available: false });
   * console.log(lunch.sid, lunch.available);
   * ```
   */
  create(params: ActivityCreateParams): Promise<Activity>;
  /**
   * Fetches an activity by SID.
   *
   * @example
   * ```ts
   * const activity = await client.activities(workspaceSid).get(activitySid);
   * console.log(activity.friendlyName);
   * ```
   */
  get(sid: string): Promise<Activity>;
  /**
   * Iterates over the activities, fetching pages as needed.
   *
   * @example
   * ```ts
   * for await (const activity of client.activities(workspaceSid).list({ available: true })) {
   *   console.log(activity.friendlyName);
   * }
   * ```
   */
  list(params?: ActivityFilters & ListOptions): ItemIterable<Activity>;
  /**
   * Fetches one page of activities.
   *
   * @example
   * ```ts
   * const page = await client.activities(workspaceSid).page({ pageSize: 10 });
   * console.log(page.items.map((activity) => activity.friendlyName));
   * ```
   */
  page(params?: ActivityFilters & PageOptions): Promise<Page<Activity>>;
  /**
   * Renames an activity.
   *
   * @example
   * ```ts
   * await client.activities(workspaceSid).update(activitySid, { friendlyName: 'On a break' });
   * ```
   */
  update(sid: string, params: ActivityUpdateParams): Promise<Activity>;
  /**
   * Deletes an activity.
   *
   * @example
   * ```ts
   * const lunch = await client.activities(workspaceSid).create({ friendlyName: 'Lunch' });
   * await client.activities(workspaceSid).delete(lunch.sid);
   * ```
   */
  delete(sid: string): Promise<void>;
}

/**
 * The activities of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const names = (await activities(api, workspaceSid).list().toArray()).map((a) => a.friendlyName);
 * console.log(names);
 * ```
 */
export function activities(api: ApiClient, workspaceSid: string): ActivitiesApi {
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Activities',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'WA',
    create: 'CreateActivity',
  }) as ActivitiesApi;
}
