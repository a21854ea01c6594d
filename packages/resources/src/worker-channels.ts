import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ItemIterable, ListOptions, Page, PageOptions, ParamsOf } from './types.js';
import { requireId } from './wire.js';

/** A worker's capacity and availability on one task channel. */
export type WorkerChannel = FromWire<components['schemas']['taskrouter.v1.workspace.worker.worker_channel']>;
/** Parameters of {@link WorkerChannelsApi.update}. */
export type WorkerChannelUpdateParams = ParamsOf<'UpdateWorkerChannel'>;
/** Filters of {@link WorkerChannelsApi.list} and {@link WorkerChannelsApi.page}. */
export type WorkerChannelFilters = FiltersOf<'ListWorkerChannel'>;

/**
 * Read and change one worker's channels. A channel is named by its SID (`WC…`) or by the
 * unique name of its task channel (`voice`, `chat`, ...).
 */
export interface WorkerChannelsApi {
  /**
   * Fetches one of the worker's channels.
   *
   * @example
   * ```ts
   * const chat = await client.workerChannels(workspaceSid, workerSid).get('chat');
   * console.log(chat.configuredCapacity, chat.availableCapacityPercentage);
   * ```
   */
  get(sidOrUniqueName: string): Promise<WorkerChannel>;
  /**
   * Iterates over the worker's channels.
   *
   * @example
   * ```ts
   * for await (const channel of client.workerChannels(workspaceSid, workerSid).list()) {
   *   console.log(channel.taskChannelUniqueName, channel.available);
   * }
   * ```
   */
  list(params?: WorkerChannelFilters & ListOptions): ItemIterable<WorkerChannel>;
  /**
   * Fetches one page of the worker's channels.
   *
   * @example
   * ```ts
   * const page = await client.workerChannels(workspaceSid, workerSid).page();
   * console.log(page.items.length);
   * ```
   */
  page(params?: WorkerChannelFilters & PageOptions): Promise<Page<WorkerChannel>>;
  /**
   * Changes the worker's capacity or availability on a channel.
   *
   * @example
   * ```ts
   * await client.workerChannels(workspaceSid, workerSid).update('chat', { capacity: 3, available: true });
   * ```
   */
  update(sidOrUniqueName: string, params: WorkerChannelUpdateParams): Promise<WorkerChannel>;
}

/**
 * The channels of one worker, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const voice = await workerChannels(api, workspaceSid, workerSid).update('voice', { capacity: 1 });
 * console.log(voice.configuredCapacity);
 * ```
 */
export function workerChannels(api: ApiClient, workspaceSid: string, workerSid: string): WorkerChannelsApi {
  const { get, list, page, update } = collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels',
    scope: { ...inWorkspace(workspaceSid), WorkerSid: requireId(workerSid, 'WK', 'workerSid') },
  });
  return { get, list, page, update } as WorkerChannelsApi;
}
