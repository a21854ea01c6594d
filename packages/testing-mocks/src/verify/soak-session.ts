/**
 * What every part of a soak run shares: the seeded random choices, the emulator, and requests to
 * it with their counts and the violations seen so far.
 */
import { createEmulator } from '../emulator.js';
import type { Emulator } from '../emulator/types.js';
import type { InvariantViolation } from './invariants.js';

/** An answer of the emulator, its body parsed. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are arbitrary TaskRouter JSON
  body: any;
}

/** Seeded pseudo-random choices. */
export interface Random {
  /** An integer in `[0, below)`. */
  int(below: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One of the items, or undefined when there are none. */
  pick<T>(items: readonly T[]): T | undefined;
}

/** A small, fast, seedable pseudo-random generator (mulberry32). */
export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (below) => Math.floor(next() * below),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** One soak run's emulator, requests and findings. */
export class SoakSession {
  readonly rng: Random;
  readonly emulator: Emulator;
  readonly violations: (InvariantViolation & { step: number })[] = [];
  requests = 0;
  refused = 0;
  listWalks = 0;
  /** Operations issued so far, across all clients. */
  step = 0;
  private readonly authorization: string;

  constructor(seed: number) {
    const rng = random(seed);
    this.rng = rng;
    // Assignment callbacks answer at random too: accept, reject, leave pending, or fail.
    this.emulator = createEmulator({
      startTime: new Date('2030-01-01T00:00:00Z'),
      clock: 'virtual',
      callbackFetch: async () => {
        const roll = rng.int(4);
        if (roll === 0) return Response.json({ instruction: 'accept' });
        if (roll === 1) return Response.json({ instruction: 'reject' });
        if (roll === 2) return new Response(null, { status: 204 });
        return new Response('unavailable', { status: 503 });
      },
    });
    const { accountSid, authToken } = this.emulator.credentials;
    this.authorization = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
  }

  /** Sends a request as a client would; a 5xx answer is a violation, a 4xx a refusal. */
  async call(
    method: string,
    target: string,
    params: Record<string, string | number | boolean> = {},
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const emulator = this.emulator;
    const url = target.startsWith('http') ? new URL(target) : new URL(`${emulator.baseUrl}${target}`);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) form.set(key, String(value));
    const init: RequestInit = { method, headers: { authorization: this.authorization, ...headers } };
    if (method === 'POST') init.body = form;
    else for (const [key, value] of form) url.searchParams.set(key, value);
    this.requests++;
    const response = await emulator.fetch(url, init);
    const text = await response.text();
    const answer: Answer = { status: response.status, body: text === '' ? null : JSON.parse(text) };
    if (answer.status >= 500) {
      this.violations.push({
        invariant: 'no-server-error',
        message: `${method} ${url.pathname} answered ${text}`,
        step: this.step,
      });
    } else if (answer.status >= 400) this.refused++;
    return answer;
  }

  /**
   * Walks a paged list while others change the state: no item twice, and none of those present
   * throughout missed.
   */
  async walk(
    path: string,
    key: string,
    query: Record<string, string | number>,
    current: () => Set<string>,
  ): Promise<void> {
    this.listWalks++;
    const before = current();
    const seen = new Map<string, number>();
    // Small pages now and then: more page boundaries for the others' changes to fall between.
    const pageSize = this.rng.chance(0.25) ? 1 + this.rng.int(5) : 10 + this.rng.int(40);
    let page = await this.call('GET', path, { ...query, PageSize: pageSize });
    for (;;) {
      for (const item of page.body[key] as { sid: string }[])
        seen.set(item.sid, (seen.get(item.sid) ?? 0) + 1);
      const next = page.body.meta.next_page_url as string | null;
      if (!next) break;
      page = await this.call('GET', next);
      if (page.status !== 200) return;
    }
    const after = current();
    for (const [sid, count] of seen) {
      if (count > 1)
        this.violations.push({
          invariant: 'paging',
          message: `list ${path} returned ${sid} ${count} times`,
          step: this.step,
        });
    }
    for (const sid of before) {
      if (after.has(sid) && !seen.has(sid)) {
        this.violations.push({ invariant: 'paging', message: `list ${path} missed ${sid}`, step: this.step });
      }
    }
  }
}
