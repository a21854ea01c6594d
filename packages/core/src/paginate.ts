import { TaskRouterError, TaskRouterValidationError } from './errors.js';
import type { components, paths } from './generated/taskrouter.js';
import type { OperationAt, RequestInitFor, RequiredKeys, TaskRouterApiClient } from './types.js';

/** The JSON body of a successful GET on `Path` (`never` for paths without GET). */
export type GetResponseBody<Path extends keyof paths> = paths[Path] extends {
  get: { responses: { 200: { content: { 'application/json': infer Body } } } };
}
  ? Body
  : never;

/** Paths of the list operations: those whose answer is a page with `meta`. */
export type ListPath = {
  [Path in keyof paths]: GetResponseBody<Path> extends { meta: components['schemas']['list_meta'] }
    ? Path
    : never;
}[keyof paths];

/** One page of a list operation: the items under their key, plus `meta`. */
export type ListPage<Path extends ListPath> = GetResponseBody<Path>;

/** The item type of a list operation, such as the task schema for `/v1/Workspaces/{WorkspaceSid}/Tasks`. */
export type ListItem<Path extends ListPath> = {
  [Key in keyof ListPage<Path>]: Key extends 'meta'
    ? never
    : ListPage<Path>[Key] extends ReadonlyArray<infer Item>
      ? Item
      : never;
}[keyof ListPage<Path>];

/** What pagination needs from a client; any {@link TaskRouterApiClient} fits. */
export type PaginationClient = Pick<TaskRouterApiClient, 'GET' | 'baseUrl'>;

/** Options of {@link paginatePages}. */
export interface PaginatePagesOptions {
  /** Items per page (1 to 1000), sent as `PageSize` on the first request; later pages keep it. */
  pageSize?: number | undefined;
}

/**
 * @deprecated Use {@link PaginatePagesOptions}; `PageOptions` of `@taskrouter/resources` is the
 * options of one page. This alias goes in the next major release.
 */
export type PageOptions = PaginatePagesOptions;

/** Options of {@link paginate}. */
export interface PaginateOptions extends PaginatePagesOptions {
  /** Stop after this many items. When `pageSize` is not given, pages are sized to fit it. */
  limit?: number | undefined;
}

/** The call options of the first page (`params`, `headers`, `signal`…), then the paging options. */
export type PaginateArguments<Path extends ListPath, Options> =
  RequiredKeys<RequestInitFor<OperationAt<Path, 'get'>>> extends never
    ? [init?: RequestInitFor<OperationAt<Path, 'get'>>, options?: Options]
    : [init: RequestInitFor<OperationAt<Path, 'get'>>, options?: Options];

const MAX_PAGE_SIZE = 1000;

/**
 * Iterates over every item of a list operation, page after page. It follows
 * `meta.next_page_url` exactly as the server gives it (with the same credentials, never to
 * another origin than the client's base URL) and reads the items from the property named by
 * `meta.key`. Leaving the loop early (`break`, `return`, a throw) fetches no further page.
 *
 * @throws {@link TaskRouterValidationError} when `pageSize` or `limit` is invalid.
 * @throws {@link TaskRouterError} during iteration when the server repeats a page URL, points
 *   to another origin or answers with something that is not a page.
 * @example
 * ```ts
 * for await (const task of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
 *   params: { path: { WorkspaceSid }, query: { AssignmentStatus: ['pending', 'reserved'] } },
 * }, { pageSize: 100, limit: 500 })) {
 *   console.log(task.sid, task.age);
 * }
 * ```
 */
export function paginate<Path extends ListPath>(
  client: PaginationClient,
  path: Path,
  ...[init, options = {}]: PaginateArguments<Path, PaginateOptions>
): AsyncGenerator<ListItem<Path>, void, undefined> {
  const { limit } = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new TaskRouterValidationError('limit', 'must be a whole number, 0 or more');
  }
  const pageSize = checkPageSize(options.pageSize) ?? (limit ? Math.min(limit, MAX_PAGE_SIZE) : undefined);
  return items(
    fetchPages(client, path, (init ?? {}) as PageInit, pageSize),
    limit ?? Number.POSITIVE_INFINITY,
  );
}

/**
 * Like {@link paginate}, but yields whole pages (items and `meta`) instead of single items.
 *
 * @example
 * ```ts
 * for await (const page of paginatePages(client, '/v1/Workspaces', undefined, { pageSize: 20 })) {
 *   console.log(page.meta.page, page.workspaces.length);
 * }
 * ```
 */
export function paginatePages<Path extends ListPath>(
  client: PaginationClient,
  path: Path,
  ...[init, options = {}]: PaginateArguments<Path, PaginatePagesOptions>
): AsyncGenerator<ListPage<Path>, void, undefined> {
  return fetchPages(
    client,
    path,
    (init ?? {}) as PageInit,
    checkPageSize(options.pageSize),
  ) as AsyncGenerator<ListPage<Path>, void, undefined>;
}

function checkPageSize(pageSize: number | undefined): number | undefined {
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) {
    throw new TaskRouterValidationError('pageSize', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return pageSize;
}

interface Page {
  meta: { key: string; url?: unknown; next_page_url?: unknown };
  [key: string]: unknown;
}

type PageInit = Record<string, unknown> & { params?: { query?: Record<string, unknown> } };
type UntypedGet = (path: string, init: Record<string, unknown>) => Promise<{ data: unknown }>;

async function* items<Item>(
  pages: AsyncGenerator<Page>,
  limit: number,
): AsyncGenerator<Item, void, undefined> {
  if (limit === 0) return;
  let count = 0;
  for await (const page of pages) {
    for (const item of page[page.meta.key] as Item[]) {
      yield item;
      if (++count >= limit) return;
    }
  }
}

async function* fetchPages(
  client: PaginationClient,
  path: string,
  init: PageInit,
  pageSize: number | undefined,
): AsyncGenerator<Page, void, undefined> {
  const get = client.GET as unknown as UntypedGet;
  const origin = new URL(client.baseUrl).origin;
  const params = init.params ?? {};
  const query = pageSize === undefined ? params.query : { ...params.query, PageSize: pageSize };
  const seen = new Set<string>();
  let { data } = await get(path, { ...init, params: { ...params, query } });

  for (;;) {
    const page = asPage(data);
    yield page;
    const { url, next_page_url: next } = page.meta;
    const pageUrl = typeof url === 'string' ? parseUrl(url) : undefined;
    if (pageUrl !== undefined) seen.add(pageUrl.href);
    if (next === null || next === undefined || next === '') return;
    const nextUrl = typeof next === 'string' ? parseUrl(next) : undefined;
    if (nextUrl === undefined)
      throw new TaskRouterError('The list answer has a meta.next_page_url that is not an absolute URL');
    if (nextUrl.origin !== origin) {
      throw new TaskRouterError(
        `Refusing to follow meta.next_page_url to ${nextUrl.origin}: it is not the origin of the client's base URL (${origin})`,
      );
    }
    if (seen.has(nextUrl.href)) {
      throw new TaskRouterError(
        'The server repeated a page URL in meta.next_page_url; stopping instead of looping',
      );
    }
    seen.add(nextUrl.href);
    const search = nextUrl.search.slice(1);
    ({ data } = await get(nextUrl.pathname, {
      ...init,
      params: {},
      baseUrl: origin,
      querySerializer: () => search,
    }));
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function asPage(data: unknown): Page {
  const meta = (data as { meta?: { key?: unknown } } | null)?.meta;
  const key = meta?.key;
  if (typeof key !== 'string' || !Array.isArray((data as Record<string, unknown>)[key])) {
    throw new TaskRouterError('The answer is not a list page: it needs meta.key naming an array of items');
  }
  return data as Page;
}
