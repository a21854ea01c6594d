import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RequestContext } from '../src/rest/context.js';
import { listPage } from '../src/rest/paging.js';
import { decodeParams, Params } from '../src/rest/params.js';
import { SeqMap } from '../src/domain/seq-map.js';
import { setup, workspaceWith } from './helpers.js';

interface Item {
  readonly sid: string;
  readonly seq: number;
}

const item = (seq: number): Item => ({ sid: `IT${seq}`, seq });

describe('SeqMap', () => {
  test('keeps its values sorted by sequence number through sets, replacements and deletes', () => {
    const map = new SeqMap<Item>();
    for (const seq of [1, 2, 5, 7]) map.set(`IT${seq}`, item(seq));
    map.set('IT3', item(3));
    map.set('IT5', item(6));
    expect(map.delete('IT2')).toBe(true);
    expect(map.delete('IT2')).toBe(false);
    expect(map.ordered.map((value) => value.seq)).toEqual([1, 3, 6, 7]);
    expect([...map.keys()]).toEqual(['IT1', 'IT5', 'IT7', 'IT3']);
    map.clear();
    expect(map.ordered).toEqual([]);
    expect(map.size).toBe(0);
  });
});

/** A list request's context for `query`, as the dispatcher builds it. */
function contextFor(query: string): RequestContext {
  const search = new URLSearchParams(query);
  return {
    origin: 'https://taskrouter.twilio.com',
    pathname: '/v1/Items',
    query: search,
    params: new Params(decodeParams(search)),
  } as RequestContext;
}

/** Pages through `items` in creation order (or newest first), counting how often the filter runs. */
function walk(items: readonly Item[], query: string, matches: (item: Item) => boolean) {
  let checks = 0;
  const counted = (candidate: Item) => {
    checks++;
    return matches(candidate);
  };
  const ordering = query.includes('DateCreated:desc')
    ? [{ value: (candidate: Item) => candidate.seq, descending: true, creationOrder: true }]
    : [];
  const pages: { sids: string[]; checks: number; previous: string | null }[] = [];
  let url: string | null = `https://taskrouter.twilio.com/v1/Items?${query}`;
  while (url) {
    checks = 0;
    const reply = listPage(contextFor(new URL(url).search), {
      items,
      matches: counted,
      key: 'items',
      render: (candidate) => candidate.sid,
      ordering,
    });
    const body = reply.body as {
      items: string[];
      meta: { next_page_url: string | null; previous_page_url: string | null };
    };
    pages.push({ sids: body.items, checks, previous: body.meta.previous_page_url });
    url = body.meta.next_page_url;
  }
  return pages;
}

describe('page cost', () => {
  const items = Array.from({ length: 20_000 }, (_, index) => item(index * 3 + 1));

  test('a page in creation order reads the page and one item more, wherever it is in the list', () => {
    const pages = walk(items, 'PageSize=50', () => true);
    expect(pages).toHaveLength(400);
    expect(pages.flatMap((page) => page.sids)).toEqual(items.map((candidate) => candidate.sid));
    for (const page of pages.slice(0, -1)) expect(page.checks).toBe(51);
    expect(pages.at(-1)!.checks).toBe(50);
  });

  test('newest first, the same', () => {
    const pages = walk(items, 'PageSize=100&Ordering=DateCreated:desc', () => true);
    expect(pages.flatMap((page) => page.sids)).toEqual(items.map((candidate) => candidate.sid).reverse());
    expect(Math.max(...pages.map((page) => page.checks))).toBe(101);
  });

  test('with a filter every item is checked once over the whole walk, not once per page', () => {
    const pages = walk(items, 'PageSize=20', (candidate) => candidate.seq % 10 === 1);
    expect(pages.flatMap((page) => page.sids)).toEqual(
      items.filter((candidate) => candidate.seq % 10 === 1).map((candidate) => candidate.sid),
    );
    const total = pages.reduce((sum, page) => sum + page.checks, 0);
    // Each page reads on to the next match to know whether there is one: about 10 items more.
    expect(total).toBeLessThan(items.length + pages.length * 10);
  });

  test('a previous page is read backwards from its cursor', () => {
    const [first, second] = walk(items, 'PageSize=30', () => true);
    const back = listPage(contextFor(new URL(second!.previous!).search), {
      items,
      matches: () => true,
      key: 'items',
      render: (candidate) => candidate.sid,
    });
    expect((back.body as { items: string[] }).items).toEqual(first!.sids);
  });
});

describe('paging while the list changes', () => {
  const variants = [
    { name: 'creation order', query: '', order: (sids: string[]) => sids },
    {
      name: 'newest first',
      query: '&Ordering=DateCreated:desc',
      order: (sids: string[]) => [...sids].reverse(),
    },
    {
      name: 'a filter',
      query: '&ActivityName=Available',
      order: (sids: string[]) => sids.filter((_, index) => index % 2 === 0),
    },
  ];

  test.each(variants)(
    '$name: no item twice, none present throughout missed, forward and back',
    async ({ query, order }) => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 1, max: 5 }),
          fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 10 }),
          async (initial, pageSize, changes) => {
            const { api } = setup();
            const ws = await workspaceWith(api);
            const [available] = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Available' })).body
              .activities;
            const sids: string[] = [];
            const create = async (name: string, index: number) =>
              (
                await api.post(`${ws.path}/Workers`, {
                  FriendlyName: name,
                  ...(index % 2 === 0 ? { ActivitySid: available.sid } : {}),
                })
              ).body.sid as string;
            for (let index = 0; index < initial; index++) sids.push(await create(`W${index}`, index));
            const survivors = new Set(sids);
            let step = 0;
            const change = async () => {
              const next = changes[step++];
              if (!next) return;
              const [creates, pick] = next;
              if (creates) await create(`New${step}`, pick);
              else if (sids.length > 0) {
                const victim = sids[pick % sids.length]!;
                if (survivors.delete(victim)) await api.delete(`${ws.path}/Workers/${victim}`);
              }
            };
            const forward: string[] = [];
            let url: string | null = `${ws.path}/Workers?PageSize=${pageSize}${query}`;
            let last: { workers: { sid: string }[]; meta: { previous_page_url: string | null } } | undefined;
            while (url) {
              const page = await api.get(url);
              forward.push(...page.body.workers.map((worker: { sid: string }) => worker.sid));
              await change();
              last = page.body;
              url = page.body.meta.next_page_url;
            }
            expect(new Set(forward).size).toBe(forward.length);
            const kept = order(sids).filter((sid) => survivors.has(sid));
            expect(forward.filter((sid) => kept.includes(sid))).toEqual(kept);

            // From the last page back to the first, through previous_page_url.
            const backward = last!.workers.map((worker) => worker.sid);
            let back = last!.meta.previous_page_url;
            while (back) {
              const page = await api.get(back);
              backward.unshift(...page.body.workers.map((worker: { sid: string }) => worker.sid));
              back = page.body.meta.previous_page_url;
            }
            expect(new Set(backward).size).toBe(backward.length);
            expect(backward.filter((sid) => kept.includes(sid))).toEqual(kept);
          },
        ),
        { numRuns: 30, seed: 4321 },
      );
    },
  );
});
