import {
  type TaskRouterClient as ApiClient,
  TaskRouterError,
  decodeForm,
  type paths,
  type Schemas,
  type SidPrefix,
} from '@taskrouter/core';
import type { requiredBodyFields } from '@taskrouter/core/facts';
import type { ConditionalOptions, ItemIterable, ListOptions, Page, PageOptions } from './types.js';
import { fromWire, requireId, requireParams, requiredParamsOf, toWire } from './wire.js';

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
export async function send(
  api: ApiClient,
  method: Method,
  path: keyof paths,
  call: Call,
): Promise<{ data: unknown; response: Response }> {
  const { data, response } = await (api as unknown as DynamicClient)[method](path, {
    params: {
      path: call.path,
      query: call.query,
      header: call.ifMatch === undefined ? undefined : { 'If-Match': call.ifMatch },
    },
    body: call.body,
  });
  return { data, response };
}

/** Converts a response document and attaches the response's version (ETag), when it has one. */
export function fromResponse<T>(data: unknown, response: Response): T {
  const item = fromWire<T & object>(data);
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
): Promise<T> {
  const { data, response } = await send(api, 'GET', path, { path: params, query: toWire(query) });
  return fromResponse<T>(data, response);
}

interface WireListPage {
  meta: Schemas['list_meta'];
  [key: string]: unknown;
}

function absoluteUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new TaskRouterError(`The answer's meta.next_page_url is not an absolute URL: ${url}`);
  }
}

function asListPage(data: unknown): WireListPage {
  const key = (data as { meta?: { key?: unknown } | null } | null)?.meta?.key;
  if (typeof key !== 'string' || !Array.isArray((data as Record<string, unknown>)[key])) {
    throw new TaskRouterError('The answer is not a list page: it needs meta.key naming an array of items');
  }
  return data as WireListPage;
}

async function fetchPage<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  query: Record<string, unknown>,
): Promise<Page<T>> {
  const { data } = await send(api, 'GET', path, { path: params, query });
  const { meta, ...rest } = asListPage(data);
  const nextPageUrl = meta.next_page_url || null;
  const next = nextPageUrl === null ? null : absoluteUrl(nextPageUrl);
  return {
    items: fromWire<T[]>(rest[meta.key]),
    page: meta.page,
    pageSize: meta.page_size,
    url: meta.url,
    nextPageUrl,
    nextPageToken: next?.searchParams.get('PageToken') ?? null,
    // The next URL carries the cursor and the original filters; follow it as given.
    next: async () => (next ? fetchPage<T>(api, path, params, decodeForm(next.search.slice(1))) : null),
  };
}

/** Fetches one page of a list, with the caller's camelCase filters. */
export function listPage<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  options: PageOptions & object = {},
): Promise<Page<T>> {
  const { pageSize, pageToken, ...filters } = options;
  return fetchPage<T>(api, path, params, { ...toWire(filters), PageSize: pageSize, PageToken: pageToken });
}

const MAX_PAGE_SIZE = 1000;

/** Iterates over the items of a list, fetching pages lazily; `break` stops fetching. */
export function listItems<T>(
  api: ApiClient,
  path: keyof paths,
  params: PathParams,
  options: ListOptions & object = {},
): ItemIterable<T> {
  const { limit, pageSize, ...filters } = options;
  async function* items(): AsyncGenerator<T> {
    if (limit !== undefined && limit <= 0) return;
    const size = pageSize ?? (limit !== undefined && limit < MAX_PAGE_SIZE ? limit : undefined);
    let page: Page<T> | null = await listPage<T>(api, path, params, { ...filters, pageSize: size });
    const seen = new Set<string>();
    let count = 0;
    while (page) {
      seen.add(page.url);
      for (const item of page.items) {
        yield item;
        if (++count === limit) return;
      }
      if (page.nextPageUrl === null) return;
      // A next URL already read (this page's own included) would hand out the same items again,
      // or loop forever: fail loudly rather than return a silently shortened list.
      if (seen.has(page.nextPageUrl)) {
        throw new TaskRouterError(
          `The list's next page URL repeats a page already read: ${page.nextPageUrl}`,
        );
      }
      seen.add(page.nextPageUrl);
      page = await page.next();
    }
  }
  return {
    [Symbol.asyncIterator]: items,
    async toArray() {
      const all: T[] = [];
      for await (const item of items()) all.push(item);
      return all;
    },
  };
}

/** Where a collection lives and how its members are identified. */
export interface CollectionSpec<P extends CollectionPath> {
  /** Spec path of the list; the instance path is this plus `/{Sid}`. */
  path: P;
  /** Path parameters of the enclosing resources. */
  scope: PathParams;
  /** SID prefix of the members; without one, any non-blank name or SID is accepted. */
  sidPrefix?: SidPrefix;
  /** The operation that creates a member; the parameters it requires are the spec's. */
  create?: keyof typeof requiredBodyFields;
}

/** A list path whose instance path `${P}/{Sid}` also exists in the spec. */
export type CollectionPath = {
  [P in keyof paths]: `${P}/{Sid}` extends keyof paths ? P : never;
}[keyof paths];

/**
 * The six standard operations of a collection, untyped; each resource module picks the ones
 * the API has and gives them their public types.
 */
export function collection<P extends CollectionPath>(api: ApiClient, spec: CollectionSpec<P>) {
  const { path, scope, sidPrefix } = spec;
  const instancePath = `${path}/{Sid}` as keyof paths;
  const member = (sid: unknown): PathParams => ({ ...scope, Sid: requireId(sid, sidPrefix, 'sid') });
  return {
    async create(params?: object): Promise<unknown> {
      if (spec.create) requireParams(params, requiredParamsOf(spec.create));
      const { data, response } = await send(api, 'POST', path, { path: scope, body: toWire(params) });
      return fromResponse(data, response);
    },
    async get(sid: string): Promise<unknown> {
      return fetchOne(api, instancePath, member(sid));
    },
    list: (options?: object): ItemIterable<unknown> => listItems(api, path, scope, options),
    page: (options?: object): Promise<Page<unknown>> => listPage(api, path, scope, options),
    async update(sid: string, params?: object, options: ConditionalOptions = {}): Promise<unknown> {
      const call = { path: member(sid), body: toWire(params), ifMatch: options.ifMatch };
      const { data, response } = await send(api, 'POST', instancePath, call);
      return fromResponse(data, response);
    },
    async delete(sid: string, options: ConditionalOptions = {}): Promise<void> {
      await send(api, 'DELETE', instancePath, { path: member(sid), ifMatch: options.ifMatch });
    },
  };
}

/** Path parameters of a resource inside a workspace, after checking the workspace SID. */
export const inWorkspace = (workspaceSid: string): PathParams => ({
  WorkspaceSid: requireId(workspaceSid, 'WS', 'workspaceSid'),
});
