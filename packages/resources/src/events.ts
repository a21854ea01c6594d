import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions } from './types.js';

/**
 * A record of something that happened in a workspace. `eventData` is passed through as the
 * service sent it (snake_case keys).
 */
export type TaskRouterEvent = FromWire<components['schemas']['taskrouter.v1.workspace.event']>;
/**
 * Filters of {@link EventsApi.list} and {@link EventsApi.page}. Without a time range the
 * service returns the last 15 minutes; `startDate`/`endDate` accept `Date`.
 */
export type EventFilters = FiltersOf<'ListEvent'>;

/** Read the events of a workspace (kept for 30 days). */
export interface EventsApi {
  /**
   * Fetches an event by SID.
   *
   * @example
   * ```ts
   * const [latest] = await client.events(workspaceSid).list({ limit: 1 }).toArray();
   * if (latest) {
   *   const event = await client.events(workspaceSid).get(latest.sid);
   *   console.log(event.eventType, event.eventDate);
   * }
   * ```
   */
  get(sid: string): Promise<TaskRouterEvent>;
  /**
   * Iterates over the events, fetching pages as needed.
   *
   * @example
   * ```ts
   * const since = new Date(Date.now() - 60 * 60 * 1000);
   * for await (const event of client.events(workspaceSid).list({ startDate: since, taskSid })) {
   *   console.log(event.eventType, event.description);
   * }
   * ```
   */
  list(params?: EventFilters & ListOptions): ItemIterable<TaskRouterEvent>;
  /**
   * Fetches one page of events.
   *
   * @example
   * ```ts
   * const page = await client.events(workspaceSid).page({ eventType: 'task.created', minutes: 60 });
   * console.log(page.items.length);
   * ```
   */
  page(params?: EventFilters & PageOptions): Promise<Page<TaskRouterEvent>>;
}

/**
 * The events of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const created = await events(api, workspaceSid).list({ eventType: 'worker.created', limit: 10 }).toArray();
 * console.log(created.map((event) => event.resourceSid));
 * ```
 */
export function events(api: ApiClient, workspaceSid: string): EventsApi {
  const { get, list, page } = collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Events',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'EV',
  });
  return { get, list, page } as EventsApi;
}
