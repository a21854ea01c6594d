import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { eventCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire } from './types.js';

/**
 * A record of something that happened in a workspace. `eventData` is passed through as the
 * service sent it (snake_case keys).
 */
export type TaskRouterEvent = FromWire<components['schemas']['taskrouter.v1.workspace.event']>;
/**
 * Filters of `list` and `page` on {@link EventsApi}. Without a time range the service returns
 * the last 15 minutes; `startDate`/`endDate` accept `Date`.
 */
export type EventFilters = FiltersOf<'ListEvent'>;
/** Read the events of a workspace (kept for 30 days). */
export type EventsApi = Collection<typeof eventCatalog, TaskRouterEvent>;

/**
 * The events of a workspace, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const created = await events(api, workspaceSid).list({ eventType: 'worker.created', limit: 10 }).toArray();
 * console.log(created.map((event) => event.resourceSid));
 * ```
 */
export function events(api: ApiClient, workspaceSid: string): EventsApi {
  return collection(api, eventCatalog, inWorkspace(workspaceSid));
}
