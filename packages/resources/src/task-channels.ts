import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';

/** A kind of work (voice, chat, ...) with its own capacity per worker. */
export type TaskChannel = FromWire<components['schemas']['taskrouter.v1.workspace.task_channel']>;
/** Parameters of {@link TaskChannelsApi.create}. */
export type TaskChannelCreateParams = ParamsOf<'CreateTaskChannel'>;
/** Parameters of {@link TaskChannelsApi.update}. */
export type TaskChannelUpdateParams = ParamsOf<'UpdateTaskChannel'>;
/** Filters of {@link TaskChannelsApi.list} and {@link TaskChannelsApi.page}. */
export type TaskChannelFilters = FiltersOf<'ListTaskChannel'>;

/**
 * Create, read, update, delete and list the task channels of a workspace. A channel is named by
 * its SID (`TC…`) or its unique name (`voice`, `chat`, ...).
 */
export interface TaskChannelsApi {
  /**
   * Creates a task channel.
   *
   * @example
   * ```ts
   * const email = await client.taskChannels(workspaceSid).create({ friendlyName: 'Email', uniqueName: 'email' });
   * console.log(email.sid, email.uniqueName);
   * ```
   */
  create(params: TaskChannelCreateParams): Promise<TaskChannel>;
  /**
   * Fetches a task channel by SID or unique name.
   *
   * @example
   * ```ts
   * const voice = await client.taskChannels(workspaceSid).get('voice');
   * console.log(voice.sid, voice.channelOptimizedRouting);
   * ```
   */
  get(sidOrUniqueName: string): Promise<TaskChannel>;
  /**
   * Iterates over the task channels, fetching pages as needed.
   *
   * @example
   * ```ts
   * for await (const channel of client.taskChannels(workspaceSid).list()) console.log(channel.uniqueName);
   * ```
   */
  list(params?: TaskChannelFilters & ListOptions): ItemIterable<TaskChannel>;
  /**
   * Fetches one page of task channels.
   *
   * @example
   * ```ts
   * const page = await client.taskChannels(workspaceSid).page({ pageSize: 5 });
   * console.log(page.items.map((channel) => channel.uniqueName));
   * ```
   */
  page(params?: TaskChannelFilters & PageOptions): Promise<Page<TaskChannel>>;
  /**
   * Changes a task channel.
   *
   * @example
   * ```ts
   * await client.taskChannels(workspaceSid).update('chat', { channelOptimizedRouting: true });
   * ```
   */
  update(sidOrUniqueName: string, params: TaskChannelUpdateParams): Promise<TaskChannel>;
  /**
   * Deletes a task channel.
   *
   * @example
   * ```ts
   * await client.taskChannels(workspaceSid).create({ friendlyName: 'Fax', uniqueName: 'fax' });
   * await client.taskChannels(workspaceSid).delete('fax');
   * ```
   */
  delete(sidOrUniqueName: string): Promise<void>;
}

/**
 * The task channels of a workspace, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const channels = await taskChannels(api, workspaceSid).list().toArray();
 * console.log(channels.map((channel) => channel.uniqueName));
 * ```
 */
export function taskChannels(api: ApiClient, workspaceSid: string): TaskChannelsApi {
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/TaskChannels',
    scope: inWorkspace(workspaceSid),
    create: 'CreateTaskChannel',
  }) as TaskChannelsApi;
}
