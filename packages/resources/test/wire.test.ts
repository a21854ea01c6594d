import { TaskRouterError, TaskRouterValidationError } from '@taskrouter/core';
import { describe, expect, it } from 'vitest';
import { createConverter, fromWire, parseTimestamp, toWire } from '../src/wire.js';
import { wireTask, wireWorkspace } from './helpers.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('timestamps', () => {
  it('reads every timestamp exactly as new Date() does', () => {
    const random = randomSource(14);
    const pick = (below: number) => Math.floor(random() * below);
    const stamps: string[] = [];
    for (let index = 0; index < 5000; index++) {
      // Out-of-range parts (month 13, day 31 of February, hour 24, minute 60) and short years included.
      const year = index % 10 === 0 ? pick(200) : 1900 + pick(300);
      stamps.push(
        `${pad(year, 4)}-${pad(pick(14), 2)}-${pad(pick(33), 2)}T${pad(pick(26), 2)}:${pad(pick(62), 2)}:${pad(pick(62), 2)}Z`,
      );
    }
    stamps.push(
      '2024-03-14T15:09:26Z',
      '2024-02-29T23:59:59Z',
      '2023-02-29T00:00:00Z',
      '2024-03-14T15:09:26.123Z',
      '2024-03-14T15:09:26+01:00',
      '2024-03-14T15:09:26z',
      '2024-03-14 15:09:26Z',
      '2024-03-14T15:09:2aZ',
      '2024-3-14T15:09:26ZZ',
      '0099-12-31T00:00:00Z',
      '0100-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2024-03-14T24:00:00Z',
      '',
      'not a date at all!!Z',
    );
    const disagreements = stamps.filter(
      (stamp) => !Object.is(parseTimestamp(stamp).getTime(), new Date(stamp).getTime()),
    );
    expect(disagreements).toEqual([]);
    // The vectors reach both the direct reading and the fallback, valid and invalid.
    expect(stamps.filter((stamp) => Number.isNaN(new Date(stamp).getTime())).length).toBeGreaterThan(500);
    expect(stamps.filter((stamp) => !Number.isNaN(new Date(stamp).getTime())).length).toBeGreaterThan(2000);
  });
});

describe('timestamps read again', () => {
  it('gives a new Date each time, unaffected by changes to the one given before', () => {
    const first = parseTimestamp('2024-03-14T15:09:26Z');
    const second = parseTimestamp('2024-03-14T15:09:26Z');
    expect(second).not.toBe(first);
    first.setUTCFullYear(1999);
    expect(parseTimestamp('2024-03-14T15:09:26Z').toISOString()).toBe('2024-03-14T15:09:26.000Z');
    expect(second.toISOString()).toBe('2024-03-14T15:09:26.000Z');
    expect(parseTimestamp('2025-01-02T03:04:05Z').toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(Number.isNaN(parseTimestamp('never').getTime())).toBe(true);
    expect(Number.isNaN(parseTimestamp('never').getTime())).toBe(true);
    expect(parseTimestamp('2025-01-02T03:04:05Z').toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });
});

describe('converting documents of a collection', () => {
  it('gives every document its own empty add-ons object', () => {
    const convert = createConverter();
    const [first, second] = convert<{ addons: Record<string, unknown> }[]>([
      wireTask({ addons: '{}' }),
      wireTask({ addons: '{}' }),
    ]);
    expect(first?.addons).toEqual({});
    expect(second?.addons).not.toBe(first?.addons);
    (first as { addons: Record<string, unknown> }).addons.changed = true;
    expect(second?.addons).toEqual({});
    expect(fromWire<{ addons: unknown }>(wireTask({ addons: '{}' })).addons).toEqual({});
  });

  const plain = (value: unknown) => ({
    keys: typeof value === 'object' && value !== null ? Object.keys(value) : [],
    value,
  });

  it('gives the same views as the generic conversion, key order included, whatever the layouts', () => {
    const task = wireTask() as unknown as Record<string, unknown>;
    const { attributes: _, ...withoutAttributes } = task;
    const reordered = Object.fromEntries(Object.entries(task).reverse());
    const documents: unknown[] = [
      task,
      wireTask({ sid: `WT${'1'.repeat(32)}`, date_created: '2024-02-30T10:00:00Z', reason: 'moved' }),
      { ...task, extra_field: { nested_key: [{ inner_value: 1 }] } },
      withoutAttributes,
      reordered,
      { ...task, attributes: null, date_updated: null, links: { task_queue: 'x' } },
      { ...task, event_data: { snake_case: 'kept' }, date_created: 17 },
      JSON.parse(
        '{"__proto__": {"polluted": true}, "account_sid": "AC1", "date_created": "2024-03-01T10:00:00Z"}',
      ),
      wireWorkspace(),
      [task, wireWorkspace(), task],
      task,
      null,
      'text',
    ];
    const convert = createConverter();
    // Several passes: the converter learns and relearns layouts, past its limit of changes.
    for (let pass = 0; pass < 8; pass++) {
      for (const document of documents) {
        expect(plain(convert(document))).toStrictEqual(plain(fromWire(document)));
      }
    }
    expect(Object.getPrototypeOf(convert(documents[7]))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('converts a learnt layout completely: dates, JSON text, nested documents and links', () => {
    const convert = createConverter();
    const first = wireTask();
    convert(first);
    const view = convert<Record<string, unknown>>(
      wireTask({ sid: `WT${'2'.repeat(32)}`, attributes: '{"type":"sales","tags":["a"]}' }),
    );
    expect(view.sid).toBe(`WT${'2'.repeat(32)}`);
    expect(view.attributes).toEqual({ type: 'sales', tags: ['a'] });
    expect(view.dateCreated).toEqual(new Date('2024-03-01T10:00:00Z'));
    expect(view.links).toEqual(first.links);
    expect(Object.keys(view)).toEqual(Object.keys(fromWire(first) as object));
  });

  it('reports malformed JSON text in a learnt layout as the server’s fault', () => {
    const convert = createConverter();
    convert(wireTask());
    expect(() => convert(wireTask({ attributes: '{"type": ' }))).toThrow(TaskRouterError);
    expect(() => convert(wireTask({ attributes: '{"type": ' }))).toThrow(
      `The answer's "attributes" field is not valid JSON text`,
    );
  });
});

describe('JSON document parameters', () => {
  const sent = (attributes: unknown) => toWire({ attributes }).Attributes;

  it('writes plain data exactly as JSON.stringify does', () => {
    const nullPrototype = Object.assign(Object.create(null) as object, { a: 1 });
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 40; level++) deep = { level, inner: deep, list: [level, null, 'x'] };
    const documents = [
      { type: 'support', customer: { tier: 'gold', id: 4711 }, tags: ['a', 'b'], skip: undefined },
      { n: Number.NaN, i: Number.POSITIVE_INFINITY, e: '', u: 'ünïcødé', arr: [undefined, 1] },
      { nullPrototype },
      deep,
    ];
    for (const document of documents) expect(sent(document)).toBe(JSON.stringify(document));
  });

  it('applies toJSON and still rejects what JSON cannot represent, however deep', () => {
    const when = new Date('2024-03-01T10:00:00Z');
    expect(sent({ when, custom: { toJSON: () => ({ made: 1 }) } })).toBe(
      JSON.stringify({ when, custom: { made: 1 } }),
    );
    class Point {
      x = 1;
    }
    expect(sent({ point: new Point() })).toBe('{"point":{"x":1}}');
    expect(() => sent({ list: [{ inner: [() => 1] }] })).toThrow(TaskRouterValidationError);
    expect(() => sent({ list: [{ inner: [Symbol('s')] }] })).toThrow(/holds a symbol/);
    expect(() => sent({ custom: { toJSON: () => ({ bad: 1n }) } })).toThrow(/"bad" holds a bigint/);
  });
});
