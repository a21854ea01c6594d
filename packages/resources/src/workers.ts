import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type {
  ConditionalOptions,
  FiltersOf,
  FromWire,
  ItemIterable,
  JsonObject,
  ListOptions,
  Page,
  PageOptions,
  ParamsOf,
  Versioned,
} from './types.js';

/**
 * A person or process that can be assigned tasks. `Attributes` is the shape of its parsed
 * `attributes` document (the service may leave them `null` in lists).
 */
export type Worker<Attributes = JsonObject> = FromWire<
  components['schemas']['taskrouter.v1.workspace.worker'],
  Attributes
>;
/** Parameters of {@link WorkersApi.create}; `attributes` may be an object or JSON text. */
export type WorkerCreateParams<Attributes = JsonObject> = ParamsOf<'CreateWorker', Attributes>;
/** Parameters of {@link WorkersApi.update}. */
export type WorkerUpdateParams<Attributes = JsonObject> = ParamsOf<'UpdateWorker', Attributes>;
/** Filters of {@link WorkersApi.list} and {@link WorkersApi.page}. */
export type WorkerFilters = FiltersOf<'ListWorker'>;

/** Create, read, update, delete and list the workers of a workspace. */
export interface WorkersApi<Attributes = JsonObject> {
  /**
   * Creates a worker. Its `version` is the one to pass as `ifMatch` to a later write.
   *
   * @example
   * ```ts
   * const alice = await client.workers(workspaceSid).create({
   *   friendlyName: 'Alice',
   *   attributes: { languages: ['en', 'es'], contact_uri: 'client:alice' },
   * });
   * console.log(alice.sid, alice.attributes?.languages, alice.version);
   * ```
   */
  create(params: WorkerCreateParams<Attributes>): Promise<Worker<Attributes> & Versioned>;
  /**
   * Fetches a worker by SID.
   *
   * @example
   * ```ts
   * const worker = await client.workers(workspaceSid).get(workerSid);
   * console.log(worker.activityName, worker.available, worker.dateStatusChanged);
   * ```
   */
  get(sid: string): Promise<Worker<Attributes> & Versioned>;
  /**
   * Iterates over the workers, fetching pages as needed.
   *
   * @example
   * ```ts
   * const available = client.workers(workspaceSid).list({ available: true, limit: 100 });
   * for await (const worker of available) console.log(worker.friendlyName);
   * ```
   */
  list(params?: WorkerFilters & ListOptions): ItemIterable<Worker<Attributes>>;
  /**
   * Fetches one page of workers.
   *
   * @example
   * ```ts
   * const page = await client.workers(workspaceSid).page({ targetWorkersExpression: '1==1', pageSize: 50 });
   * console.log(page.items.length);
   * ```
   */
  page(params?: WorkerFilters & PageOptions): Promise<Page<Worker<Attributes>>>;
  /**
   * Changes a worker; with `ifMatch`, only if it still has that version (else the service answers 412).
   *
   * @example
   * ```ts
   * const workers = client.workers(workspaceSid);
   * const worker = await workers.get(workerSid);
   * await workers.update(workerSid, { attributes: { ...worker.attributes, level: 2 } }, { ifMatch: worker.version });
   * ```
   */
  update(
    sid: string,
    params: WorkerUpdateParams<Attributes>,
    options?: ConditionalOptions,
  ): Promise<Worker<Attributes> & Versioned>;
  /**
   * Deletes a worker; with `ifMatch`, only if it still has that version.
   *
   * @example
   * ```ts
   * const bob = await client.workers(workspaceSid).create({ friendlyName: 'Bob' });
   * await client.workers(workspaceSid).delete(bob.sid, { ifMatch: bob.version });
   * ```
   */
  delete(sid: string, options?: ConditionalOptions): Promise<void>;
}

/**
 * The workers of a workspace, on a client from `createTaskRouterClient`. The type parameter
 * describes the workers' attributes.
 *
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
  return collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Workers',
    scope: inWorkspace(workspaceSid),
    sidPrefix: 'WK',
    create: 'CreateWorker',
  }) as WorkersApi<Attributes>;
}
