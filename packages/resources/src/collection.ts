import {
  type TaskRouterApiClient as ApiClient,
  type ListPath,
  type OperationId,
  type PaginationClient,
  paginate,
  paginatePages,
  type paths,
  type Schemas,
  TaskRouterError,
} from '@taskrouter/core';
import type { requiredBodyFields } from '@taskrouter/core/facts';
import type { CatalogEntry, SpecConsistent, TakesIfMatch } from './catalog.js';
import type {
  ConditionalOptions,
  FiltersOf,
  ItemIterable,
  JsonObject,
  ListOptions,
  Page,
  PageOptions,
  ParamsOf,
  Versioned,
} from './types.js';
import {
  type Converter,
  createConverter,
  fromWire,
  requireId,
  requireParams,
  requiredParamsOf,
  toWire,
} from './wire.js';

type Method = 'GET' | 'POST' | 'DELETE';

/** Path parameters of a request, by their spec names. */
export type PathParams = Record<string, string>;

/** What one call sends besides its method and path template. */
interface Call {
  path: PathParams;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
  ifMatch?: string | undefined;
}

/**
 * The client as this package calls it: paths are chosen at run time, so the per-path generics of
 * openapi-fetch are set aside here; the public types carry the spec's shapes instead.
 */
type DynamicClient = Record<
  Method,
  (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; response: Response }>
>;

/** Sends one request through the core client; non-2xx answers reject with core's typed errors. */
export function send(
  api: ApiClient,
  method: Method,
  path: keyof paths,
  call: Call,
): Promise<{ data?: unknown; response: Response }> {
  return (api as unknown as DynamicClient)[method](path, {
    params: {
      path: call.path,
      query: call.query,
      header: call.ifMatch === undefined ? undefined : { 'If-Match': call.ifMatch },
    },
    body: call.body,
  });
}

/** Converts a response document and attaches the response's version (ETag), when it has one. */
export function fromResponse<T>(data: unknown, response: Response, convert: Converter = fromWire): T {
  const item = convert<T & object>(data);
  const etag = response.headers.get('ETag');
  if (etag !== null) Object.defineProperty(item, 'version', { value: etag, enumerable: false });
  return item;
}

/** Fetches one instance (or statistics document) and converts it. */
export async function fetchOne<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  query?: object,
  convert: Converter = fromWire,
): Promise<T> {
  const { data, response } = await send(api, 'GET', path, { path: params, query: toWire(query) });
  return fromResponse<T>(data, response, convert);
}

type WirePage = Schemas['list_meta'] extends infer Meta ? { meta: Meta } & Record<string, unknown> : never;

/** The cursor in a next page URL; the URL itself is checked by core when it is followed. */
function pageToken(nextPageUrl: string): string | null {
  try {
    return new URL(nextPageUrl).searchParams.get('PageToken');
  } catch {
    throw new TaskRouterError(`The answer's meta.next_page_url is not an absolute URL: ${nextPageUrl}`);
  }
}

/**
 * `api` for core's paging engine, with each page's items converted as the page arrives; core
 * then hands out the views themselves.
 */
function convertingPages(api: ApiClient, convert: Converter): PaginationClient {
  return {
    baseUrl: api.baseUrl,
    async GET(...call: Parameters<ApiClient['GET']>) {
      const answer = await api.GET(...call);
      const page = answer.data as Record<string, unknown> | undefined;
      const key = (page?.meta as WirePage['meta'] | undefined)?.key as string;
      // A page without its items is left to core, which says what is wrong with it.
      if (page && Array.isArray(page[key])) page[key] = convert(page[key]);
      return answer;
    },
  } as PaginationClient;
}

/** Reads the next (converted) page core's paging engine yields, as a {@link Page} whose `next()` continues it. */
async function readPage<T>(pages: AsyncGenerator<unknown>): Promise<Page<T> | null> {
  const { value, done } = await pages.next();
  if (done) return null;
  const { meta, ...rest } = value as WirePage;
  const nextPageUrl = meta.next_page_url || null;
  let following: Promise<Page<T> | null> | undefined;
  return {
    items: rest[meta.key] as T[],
    page: meta.page,
    pageSize: meta.page_size,
    url: meta.url,
    nextPageUrl,
    nextPageToken: nextPageUrl === null ? null : pageToken(nextPageUrl),
    next() {
      following ??= nextPageUrl === null ? Promise.resolve(null) : readPage<T>(pages);
      return following;
    },
  };
}

/**
 * Fetches one page of a list with the caller's camelCase filters, through core's `paginatePages`
 * (its checks on `pageSize`, next page URLs and page shapes apply).
 */
export async function listPage<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  options: PageOptions & object = {},
  convert: Converter = fromWire,
): Promise<Page<T>> {
  const { pageSize, pageToken: token, ...filters } = options;
  const query = { ...toWire(filters), PageToken: token };
  const pages = paginatePages(
    convertingPages(api, convert),
    path as ListPath,
    { params: { path: params, query } } as never,
    { pageSize },
  );
  return (await readPage<T>(pages)) as Page<T>;
}

/**
 * Iterates over the items of a list through core's `paginate`, fetching pages lazily; `break`
 * stops fetching. Pages are converted as they arrive (see {@link convertingPages}): one
 * asynchronous step per item. Options are checked by the first `next()`.
 */
export function listItems<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  options: ListOptions & object = {},
  convert: Converter = fromWire,
): ItemIterable<T> {
  const { limit, pageSize, ...filters } = options;
  const converting = convertingPages(api, convert);
  const iterable: ItemIterable<T> = {
    [Symbol.asyncIterator]() {
      let items: AsyncGenerator<T> | undefined;
      return {
        next() {
          try {
            items ??= paginate(
              converting,
              path as ListPath,
              { params: { path: params, query: toWire(filters) } } as never,
              { limit, pageSize },
            ) as AsyncGenerator<T>;
            return items.next();
          } catch (error) {
            return Promise.reject(error);
          }
        },
        return(value?: unknown) {
          // Closing a walk that has not started leaves it finished, as a generator would be.
          items ??= (async function* () {})();
          return items.return(value as never);
        },
      };
    },
    async toArray() {
      const all: T[] = [];
      for await (const item of iterable) all.push(item);
      return all;
    },
  };
  return iterable;
}

/**
 * `create`: a new member of the collection from camelCase parameters. Parameters the spec
 * requires are checked before anything is sent.
 */
export interface Creatable<Params, Result> {
  /**
   * Creates a member of the collection. Required parameters, SIDs and JSON documents are checked
   * before anything is sent; `attributes` and `configuration` take objects.
   *
   * @example
   * ```ts
   * const queue = await client.taskQueues(workspaceSid).create({ friendlyName: 'Spanish', targetWorkers: "languages HAS 'es'" });
   * const task = await client.tasks(workspaceSid).create({ workflowSid, attributes: { type: 'support' }, priority: 5 });
   * console.log(queue.sid, task.assignmentStatus);
   * ```
   */
  create(params: Params): Promise<Result>;
}

/** `get`: one member by SID (or by unique name, for channels). */
export interface Fetchable<Result> {
  /**
   * Fetches a member by its SID; task channels and worker channels also take their unique name.
   *
   * @example
   * ```ts
   * const task = await client.tasks(workspaceSid).get(taskSid);
   * const voice = await client.taskChannels(workspaceSid).get('voice');
   * console.log(task.assignmentStatus, voice.sid);
   * ```
   */
  get(sid: string): Promise<Result>;
}

/** `list` and `page`: every member, or one page of them, with the list's filters. */
export interface Listable<Filters, Item> {
  /**
   * Iterates over the members matching the filters, fetching pages as the loop needs them;
   * `break` stops fetching, `limit` caps the items, `toArray()` collects them.
   *
   * @example
   * ```ts
   * for await (const worker of client.workers(workspaceSid).list({ available: true, limit: 100 })) {
   *   console.log(worker.friendlyName);
   * }
   * const waiting = await client.tasks(workspaceSid).list({ assignmentStatus: ['pending'] }).toArray();
   * console.log(waiting.length);
   * ```
   */
  list(params?: Filters & ListOptions): ItemIterable<Item>;
  /**
   * Fetches one page of members with its cursor (`nextPageToken`) and `next()`.
   *
   * @example
   * ```ts
   * const first = await client.activities(workspaceSid).page({ pageSize: 2 });
   * const second = await first.next(); // null after the last page
   * console.log(first.items.length, second?.items.length ?? 0);
   * ```
   */
  page(params?: Filters & PageOptions): Promise<Page<Item>>;
}

/** `update` of a resource without versions. */
export interface Updatable<Params, Result> {
  /**
   * Changes a member; only the parameters given are sent.
   *
   * @example
   * ```ts
   * await client.activities(workspaceSid).update(activitySid, { friendlyName: 'On a break' });
   * ```
   */
  update(sid: string, params: Params): Promise<Result>;
}

/** `update` of a versioned resource (tasks, workers, reservations). */
export interface ConditionallyUpdatable<Params, Result> {
  /**
   * Changes a member; with `ifMatch`, only if it still has that version (otherwise the service
   * answers 412 and changes nothing).
   *
   * @example
   * ```ts
   * const tasks = client.tasks(workspaceSid);
   * const task = await tasks.get(taskSid);
   * await tasks.update(taskSid, { priority: task.priority + 1 }, { ifMatch: task.version });
   * ```
   */
  update(sid: string, params: Params, options?: ConditionalOptions): Promise<Result>;
}

/** `delete` of a resource without versions. */
export interface Deletable {
  /**
   * Deletes a member.
   *
   * @example
   * ```ts
   * const lunch = await client.activities(workspaceSid).create({ friendlyName: 'Lunch' });
   * await client.activities(workspaceSid).delete(lunch.sid);
   * ```
   */
  delete(sid: string): Promise<void>;
}

/** `delete` of a versioned resource (tasks, workers). */
export interface ConditionallyDeletable {
  /**
   * Deletes a member; with `ifMatch`, only if it still has that version.
   *
   * @example
   * ```ts
   * const bob = await client.workers(workspaceSid).create({ friendlyName: 'Bob' });
   * await client.workers(workspaceSid).delete(bob.sid, { ifMatch: bob.version });
   * ```
   */
  delete(sid: string, options?: ConditionalOptions): Promise<void>;
}

/** The operation id an entry names for one method kind (`never` when the collection has no such method). */
export type OperationOf<E extends CatalogEntry, Kind extends keyof CatalogEntry['operations']> = Extract<
  E['operations'][Kind],
  OperationId
>;

/** A single member as `create`, `get` and `update` return it: with its version where it has one. */
export type MemberResult<E extends CatalogEntry, Item> =
  OperationOf<E, 'update'> extends never
    ? Item
    : TakesIfMatch<OperationOf<E, 'update'>> extends true
      ? Item & Versioned
      : Item;

/**
 * The methods of a collection of the catalog, exactly those whose operation the spec has:
 * `create`, `get`, `list` and `page`, `update` and `delete`, typed from the operations named by
 * the entry. `Item` is the camelCase member, `Attributes` the shape of its attributes.
 */
export type Collection<E extends CatalogEntry, Item, Attributes = JsonObject> = (OperationOf<
  E,
  'create'
> extends never
  ? unknown
  : Creatable<ParamsOf<OperationOf<E, 'create'>, Attributes>, MemberResult<E, Item>>) &
  (OperationOf<E, 'fetch'> extends never ? unknown : Fetchable<MemberResult<E, Item>>) &
  (OperationOf<E, 'list'> extends never ? unknown : Listable<FiltersOf<OperationOf<E, 'list'>>, Item>) &
  (OperationOf<E, 'update'> extends never
    ? unknown
    : TakesIfMatch<OperationOf<E, 'update'>> extends true
      ? ConditionallyUpdatable<ParamsOf<OperationOf<E, 'update'>, Attributes>, MemberResult<E, Item>>
      : Updatable<ParamsOf<OperationOf<E, 'update'>, Attributes>, MemberResult<E, Item>>) &
  (OperationOf<E, 'delete'> extends never
    ? unknown
    : TakesIfMatch<OperationOf<E, 'delete'>> extends true
      ? ConditionallyDeletable
      : Deletable);

/**
 * Builds the collection a catalog entry describes, with exactly the methods its operations allow,
 * in the enclosing resources given by `scope`. An entry that disagrees with the spec (path, SID
 * prefix) does not compile here; `create` checks the body fields the spec requires.
 */
export function collection<E extends CatalogEntry, Item, Attributes = JsonObject>(
  api: ApiClient,
  entry: E & SpecConsistent<E>,
  scope: PathParams,
): Collection<E, Item, Attributes> {
  const { path, sidPrefix, operations } = entry as CatalogEntry & { path: keyof paths };
  const instancePath = `${path}/{Sid}` as keyof paths;
  const member = (sid: unknown): PathParams => ({
    ...scope,
    Sid: requireId(sid, sidPrefix as Parameters<typeof requireId>[1], 'sid'),
  });
  const convert = converterOf(path);
  const methods: Record<string, unknown> = {};
  const create = operations.create as keyof typeof requiredBodyFields | undefined;
  if (create) {
    const required = requiredParamsOf(create);
    methods.create = async (params?: object) => {
      requireParams(params, required);
      const { data, response } = await send(api, 'POST', path, { path: scope, body: toWire(params) });
      return fromResponse(data, response, convert);
    };
  }
  if (operations.fetch)
    methods.get = async (sid: string) => fetchOne(api, instancePath, member(sid), undefined, convert);
  if (operations.list) {
    methods.list = (options?: object) => listItems(api, path, scope, options, convert);
    methods.page = (options?: object) => listPage(api, path, scope, options, convert);
  }
  if (operations.update) {
    methods.update = async (sid: string, params?: object, options: ConditionalOptions = {}) => {
      const call = { path: member(sid), body: toWire(params), ifMatch: options.ifMatch };
      const { data, response } = await send(api, 'POST', instancePath, call);
      return fromResponse(data, response, convert);
    };
  }
  if (operations.delete) {
    methods.delete = async (sid: string, options: ConditionalOptions = {}) => {
      await send(api, 'DELETE', instancePath, { path: member(sid), ifMatch: options.ifMatch });
    };
  }
  return methods as Collection<E, Item, Attributes>;
}

/** One converter per collection path, shared by every client: its members have one layout. */
const converters = new Map<string, Converter>();

function converterOf(path: string): Converter {
  let convert = converters.get(path);
  if (convert === undefined) {
    convert = createConverter();
    converters.set(path, convert);
  }
  return convert;
}

/** Path parameters of a resource inside a workspace, after checking the workspace SID. */
export const inWorkspace = (workspaceSid: string): PathParams => ({
  WorkspaceSid: requireId(workspaceSid, 'WS', 'workspaceSid'),
});
