import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { taskChannelCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';

/** A kind of work (voice, chat, ...) with its own capacity per worker. */
export type TaskChannel = FromWire<components['schemas']['taskrouter.v1.workspace.task_channel']>;
/** Parameters of `create` on {@link TaskChannelsApi}. */
export type TaskChannelCreateParams = ParamsOf<'CreateTaskChannel'>;
/** Parameters of `update` on {@link TaskChannelsApi}. */
export type TaskChannelUpdateParams = ParamsOf<'UpdateTaskChannel'>;
/** Filters of `list` and `page` on {@link TaskChannelsApi}. */
export type TaskChannelFilters = FiltersOf<'ListTaskChannel'>;
/** The task channels of a workspace, each named by its SID (`TC…`) or its unique name (`voice`, `chat`). */
export type TaskChannelsApi = Collection<typeof taskChannelCatalog, TaskChannel>;

/**
 * The task channels of a workspace, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const channels = await taskChannels(api, workspaceSid).list().toArray();
 * console.log(channels.map((channel) => channel.uniqueName));
 * ```
 */
export function taskChannels(api: ApiClient, workspaceSid: string): TaskChannelsApi {
  return collection(api, taskChannelCatalog, inWorkspace(workspaceSid));
}
