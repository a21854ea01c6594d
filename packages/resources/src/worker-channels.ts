import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { workerChannelCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';
import { requireId } from './wire.js';

/** A worker's capacity and availability on one task channel. */
export type WorkerChannel = FromWire<components['schemas']['taskrouter.v1.workspace.worker.worker_channel']>;
/** Parameters of `update` on {@link WorkerChannelsApi}. */
export type WorkerChannelUpdateParams = ParamsOf<'UpdateWorkerChannel'>;
/** Filters of `list` and `page` on {@link WorkerChannelsApi}. */
export type WorkerChannelFilters = FiltersOf<'ListWorkerChannel'>;
/**
 * Read and change one worker's channels. A channel is named by its SID (`WC…`) or by the
 * unique name of its task channel (`voice`, `chat`, ...).
 */
export type WorkerChannelsApi = Collection<typeof workerChannelCatalog, WorkerChannel>;

/**
 * The channels of one worker, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const voice = await workerChannels(api, workspaceSid, workerSid).update('voice', { capacity: 1 });
 * console.log(voice.configuredCapacity);
 * ```
 */
export function workerChannels(api: ApiClient, workspaceSid: string, workerSid: string): WorkerChannelsApi {
  const scope = { ...inWorkspace(workspaceSid), WorkerSid: requireId(workerSid, 'WK', 'workerSid') };
  return collection(api, workerChannelCatalog, scope);
}
