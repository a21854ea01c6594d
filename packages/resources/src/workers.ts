import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { workerCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, JsonObject, ParamsOf } from './types.js';

/**
 * A person or process that can be assigned tasks. `Attributes` is the shape of its parsed
 * `attributes` document (the service may leave them `null` in lists).
 */
export type Worker<Attributes = JsonObject> = FromWire<
  components['schemas']['taskrouter.v1.workspace.worker'],
  Attributes
>;
/** Parameters of `create` on {@link WorkersApi}; `attributes` may be an object or JSON text. */
export type WorkerCreateParams<Attributes = JsonObject> = ParamsOf<'CreateWorker', Attributes>;
/** Parameters of `update` on {@link WorkersApi}. */
export type WorkerUpdateParams<Attributes = JsonObject> = ParamsOf<'UpdateWorker', Attributes>;
/** Filters of `list` and `page` on {@link WorkersApi}. */
export type WorkerFilters = FiltersOf<'ListWorker'>;
/** Create, read, update, delete and list the workers of a workspace; writes may be conditional (`ifMatch`). */
export type WorkersApi<Attributes = JsonObject> = Collection<
  typeof workerCatalog,
  Worker<Attributes>,
  Attributes
>;

/**
 * The workers of a workspace, on a client from `createTaskRouterClient`. The type parameter
 * describes the workers' attributes.
 * @example
 * ```ts
 * interface Agent { languages: string[] }
 * const agents = workers<Agent>(api, workspaceSid);
 * const carol = await agents.create({ friendlyName: 'Carol', attributes: { languages: ['fr'] } });
 * console.log(carol.attributes?.languages.join(', '));
 * ```
 */
export function workers<Attributes = JsonObject>(
  api: ApiClient,
  workspaceSid: string,
): WorkersApi<Attributes> {
  return collection<typeof workerCatalog, Worker<Attributes>, Attributes>(
    api,
    workerCatalog,
    inWorkspace(workspaceSid),
  );
}
