import type { Reply, RequestContext } from './context.js';
import { invalidParameter } from '../domain/errors.js';
import { seqIndex } from '../domain/seq-map.js';

type KeyValue = number | string;

/** One sort criterion of a list; the creation order always breaks ties. */
export interface SortKey<T> {
  readonly value: (item: T) => KeyValue;
  readonly descending: boolean;
  /** The criterion sorts as the creation order does (`DateCreated`), so pages can seek. */
  readonly creationOrder?: boolean;
}

interface Cursor {
  readonly direction: 'after' | 'before';
  readonly key: KeyValue[];
}

/** What a list request answers with. */
export interface ListRequest<T extends { readonly seq: number }> {
  /** Every candidate, in creation order (increasing sequence numbers). */
  readonly items: readonly T[];
  /** Whether an item passes the request's filters; every item does when left out. */
  readonly matches?: (item: T) => boolean;
  /** Name of the array in the answer (and `meta.key`). */
  readonly key: string;
  readonly render: (item: T) => unknown;
  /** Criteria from `Ordering`; creation order when empty. */
  readonly ordering?: readonly SortKey<T>[];
}

/** One page, and whether items remain on either side of it. */
interface Slice<T> {
  readonly page: T[];
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
}

const PAGING_PARAMS = new Set(['PageSize', 'Page', 'PageToken']);
const DEFAULT_PAGE_SIZE = 50;
const EVERY_ITEM = () => true;

/**
 * Answers a list request with one page and its `meta`. Paging is by key: the token carries the
 * sort key of the item at the page boundary, so items created or deleted between two pages never
 * make another item appear twice or go missing. In creation order (the default, or `DateCreated`)
 * a page starts with a binary search for that key and reads only as far as it needs, so it costs
 * about the page size however long the list; other orders sort the matching items each time.
 */
export function listPage<T extends { readonly seq: number }>(
  context: RequestContext,
  list: ListRequest<T>,
): Reply {
  const { key, render, ordering = [] } = list;
  const pageSize = context.params.integer('PageSize', 1, 1000) ?? DEFAULT_PAGE_SIZE;
  const pageNumber = context.params.integer('Page', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const token = context.params.string('PageToken');
  const cursor = token === undefined || token === '' ? null : decodeCursor(token, ordering.length + 1);
  const keyOf = (item: T): KeyValue[] => [...ordering.map((criterion) => criterion.value(item)), item.seq];
  const { page, hasPrevious, hasNext } = ordering.every((criterion) => criterion.creationOrder)
    ? seekPage(list.items, list.matches ?? EVERY_ITEM, cursor, pageSize, ordering[0]?.descending ?? false)
    : sortedPage(list.items.filter(list.matches ?? EVERY_ITEM), ordering, keyOf, cursor, pageSize);

  const base = new URLSearchParams();
  for (const [name, value] of context.query) if (!PAGING_PARAMS.has(name)) base.append(name, value);
  const urlFor = (number: number, pageCursor: Cursor | null): string => {
    const query = new URLSearchParams(base);
    query.set('PageSize', String(pageSize));
    query.set('Page', String(number));
    if (pageCursor) query.set('PageToken', encodeCursor(pageCursor));
    return `${context.origin}${context.pathname}?${query}`;
  };
  const last = page[page.length - 1];
  const first = page[0];
  return {
    status: 200,
    body: {
      [key]: page.map(render),
      meta: {
        page: pageNumber,
        page_size: pageSize,
        first_page_url: urlFor(0, null),
        previous_page_url:
          hasPrevious && first
            ? urlFor(Math.max(0, pageNumber - 1), { direction: 'before', key: keyOf(first) })
            : null,
        next_page_url:
          hasNext && last ? urlFor(pageNumber + 1, { direction: 'after', key: keyOf(last) }) : null,
        url: urlFor(pageNumber, cursor),
        key,
      },
    },
  };
}

/**
 * A page of a list in creation order (newest first when `descending`): a binary search finds the
 * cursor's place by the sequence number its key ends with, then items are read one way until the
 * page is full and one more match shows whether anything is left.
 */
function seekPage<T extends { readonly seq: number }>(
  items: readonly T[],
  matches: (item: T) => boolean,
  cursor: Cursor | null,
  pageSize: number,
  descending: boolean,
): Slice<T> {
  const forward = descending ? -1 : 1;
  if (cursor === null) {
    const { found, more } = collect(items, matches, descending ? items.length - 1 : 0, forward, pageSize);
    return { page: found, hasPrevious: false, hasNext: more };
  }
  const seq = cursor.key[cursor.key.length - 1] as number;
  // The items after the cursor's key in list order start here (ascending) or end here (descending).
  const after = seqIndex(items, seq + 1);
  const before = seqIndex(items, seq) - 1;
  if (cursor.direction === 'after') {
    const { found, more } = collect(items, matches, descending ? before : after, forward, pageSize);
    return { page: found, hasPrevious: found.length > 0, hasNext: more };
  }
  const { found, more } = collect(items, matches, descending ? after : before, -forward, pageSize);
  return { page: found.reverse(), hasPrevious: more, hasNext: found.length > 0 };
}

/** Up to `limit` matching items from `start` on, one `step` at a time; `more` when another matches. */
function collect<T>(
  items: readonly T[],
  matches: (item: T) => boolean,
  start: number,
  step: number,
  limit: number,
): { found: T[]; more: boolean } {
  const found: T[] = [];
  for (let index = start; index >= 0 && index < items.length; index += step) {
    const item = items[index]!;
    if (!matches(item)) continue;
    if (found.length === limit) return { found, more: true };
    found.push(item);
  }
  return { found, more: false };
}

/** A page of a list in another order: the matching items are sorted, then the cursor is found in them. */
function sortedPage<T>(
  items: T[],
  ordering: readonly SortKey<T>[],
  keyOf: (item: T) => KeyValue[],
  cursor: Cursor | null,
  pageSize: number,
): Slice<T> {
  const compare = (a: KeyValue[], b: KeyValue[]): number => {
    for (let index = 0; index < a.length; index++) {
      const left = a[index]!;
      const right = b[index]!;
      if (left === right) continue;
      const order = left < right ? -1 : 1;
      return ordering[index]?.descending ? -order : order;
    }
    return 0;
  };
  const sorted = items.sort((a, b) => compare(keyOf(a), keyOf(b)));
  let start = 0;
  let end = Math.min(pageSize, sorted.length);
  if (cursor?.direction === 'after') {
    start = firstIndex(sorted, (item) => compare(keyOf(item), cursor.key) > 0);
    end = Math.min(start + pageSize, sorted.length);
  } else if (cursor?.direction === 'before') {
    end = firstIndex(sorted, (item) => compare(keyOf(item), cursor.key) >= 0);
    start = Math.max(0, end - pageSize);
  }
  return { page: sorted.slice(start, end), hasPrevious: start > 0, hasNext: end < sorted.length };
}

/** Index of the first item for which `test` holds, in a list where it holds for a suffix. */
function firstIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (test(items[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function encodeCursor(cursor: Cursor): string {
  return `PT${Buffer.from(JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', ...cursor.key])).toString('base64url')}`;
}

function decodeCursor(token: string, keyLength: number): Cursor {
  const invalid = () =>
    invalidParameter('PageToken', 'is not a token issued by this list; follow next_page_url');
  if (!token.startsWith('PT')) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token.slice(2), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== keyLength + 1) throw invalid();
  const [direction, ...key] = decoded as unknown[];
  if (
    (direction !== 'a' && direction !== 'b') ||
    !key.every((v) => typeof v === 'number' || typeof v === 'string') ||
    !Number.isSafeInteger(key[key.length - 1])
  ) {
    throw invalid();
  }
  return { direction: direction === 'a' ? 'after' : 'before', key: key as KeyValue[] };
}
