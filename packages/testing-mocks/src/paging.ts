import type { Reply, RequestContext } from './context.js';
import { invalidParameter } from './errors.js';

type KeyValue = number | string;

/** One sort criterion of a list; the creation order always breaks ties. */
export interface SortKey<T> {
  readonly value: (item: T) => KeyValue;
  readonly descending: boolean;
}

interface Cursor {
  readonly direction: 'after' | 'before';
  readonly key: KeyValue[];
}

const PAGING_PARAMS = new Set(['PageSize', 'Page', 'PageToken']);
const DEFAULT_PAGE_SIZE = 50;

/**
 * Answers a list request with one page and its `meta`. Paging is by key: the token carries the
 * sort key of the item at the page boundary, so items created or deleted between two pages never
 * make another item appear twice or go missing.
 */
export function listPage<T extends { readonly seq: number }>(
  context: RequestContext,
  items: T[],
  key: string,
  render: (item: T) => unknown,
  ordering: readonly SortKey<T>[] = [],
): Reply {
  const pageSize = context.params.integer('PageSize', 1, 1000) ?? DEFAULT_PAGE_SIZE;
  const pageNumber = context.params.integer('Page', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const token = context.params.string('PageToken');
  const cursor = token === undefined || token === '' ? null : decodeCursor(token, ordering.length + 1);
  const keyOf = (item: T): KeyValue[] => [...ordering.map((criterion) => criterion.value(item)), item.seq];
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
  const sorted = ordering.length === 0 ? items : [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));

  let start = 0;
  let end = Math.min(pageSize, sorted.length);
  if (cursor?.direction === 'after') {
    start = firstIndex(sorted, (item) => compare(keyOf(item), cursor.key) > 0);
    end = Math.min(start + pageSize, sorted.length);
  } else if (cursor?.direction === 'before') {
    end = firstIndex(sorted, (item) => compare(keyOf(item), cursor.key) >= 0);
    start = Math.max(0, end - pageSize);
  }
  const page = sorted.slice(start, end);

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
          start > 0 && first
            ? urlFor(Math.max(0, pageNumber - 1), { direction: 'before', key: keyOf(first) })
            : null,
        next_page_url:
          end < sorted.length && last
            ? urlFor(pageNumber + 1, { direction: 'after', key: keyOf(last) })
            : null,
        url: urlFor(pageNumber, cursor),
        key,
      },
    },
  };
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
    !key.every((v) => typeof v === 'number' || typeof v === 'string')
  ) {
    throw invalid();
  }
  return { direction: direction === 'a' ? 'after' : 'before', key: key as KeyValue[] };
}
