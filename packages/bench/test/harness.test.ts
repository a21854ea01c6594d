import { describe, expect, test } from 'vitest';
import {
  alternate,
  median,
  medianOf,
  pairedRatio,
  quantile,
  roundOrder,
  type Variant,
} from '../src/harness.js';
import { formatBytes, formatRatio, markdownTable, renderReport } from '../src/report.js';

describe('roundOrder', () => {
  test('rotates every round and runs backwards every other rotation', () => {
    const items = ['a', 'b', 'c'];
    const orders = [0, 1, 2, 3, 4, 5].map((round) => roundOrder(items, round).join(''));
    expect(orders).toEqual(['abc', 'bca', 'cab', 'cba', 'acb', 'bac']);
  });

  test('puts each of two variants first equally often', () => {
    const firsts = [0, 1, 2, 3].map((round) => roundOrder(['a', 'b'], round)[0]);
    expect(firsts).toEqual(['a', 'b', 'b', 'a']);
  });
});

describe('alternate', () => {
  test('interleaves variants, drops warm-up rounds and keeps samples by round', async () => {
    const calls: string[] = [];
    const counters = new Map<string, number>();
    const variant = (name: string): Variant => ({
      name,
      async measure() {
        calls.push(name);
        const count = (counters.get(name) ?? 0) + 1;
        counters.set(name, count);
        return { value: count };
      },
    });
    const series = await alternate([variant('a'), variant('b')], { rounds: 3, warmupRounds: 1 });
    expect(calls).toEqual(['a', 'b', 'b', 'a', 'b', 'a', 'a', 'b']);
    expect(series.get('a')).toEqual([{ value: 2 }, { value: 3 }, { value: 4 }]);
    expect(series.get('b')).toEqual([{ value: 2 }, { value: 3 }, { value: 4 }]);
  });

  test('rejects a plan without rounds', async () => {
    await expect(alternate([], { rounds: 0 })).rejects.toThrow(/rounds must be a positive integer/);
  });
});

describe('statistics', () => {
  test('median and quantiles interpolate between order statistics', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(() => median([])).toThrow(RangeError);
  });

  test('paired ratios divide round by round before taking the median', () => {
    // Round 3 is slow for both variants: a paired ratio ignores it, a ratio of medians would not.
    const series = new Map([
      ['fast', [{ ms: 10 }, { ms: 11 }, { ms: 100 }]],
      ['slow', [{ ms: 20 }, { ms: 22 }, { ms: 200 }]],
    ]);
    expect(pairedRatio(series, 'fast', 'slow', 'ms')).toBe(0.5);
    expect(medianOf(series, 'slow', 'ms')).toBe(22);
    expect(() => pairedRatio(series, 'fast', 'missing', 'ms')).toThrow(/no variant named missing/);
    expect(() => medianOf(series, 'fast', 'cpu')).toThrow(/has no metric cpu/);
  });
});

describe('report', () => {
  test('renders Markdown tables, escaping pipes', () => {
    expect(markdownTable({ columns: ['name', 'value'], rows: [['a|b', '1']] })).toBe(
      '| name | value |\n| --- | ---: |\n| a\\|b | 1 |',
    );
  });

  test('renders goals before sections and marks misses', () => {
    const text = renderReport(
      ['# Title'],
      [
        { goal: 'small', measured: '1 KB', met: true },
        { goal: 'fast', measured: '2x', met: false },
      ],
      [{ title: 'Part', description: 'What.', tables: [], notes: ['careful'] }],
    );
    expect(text).toContain('| small | 1 KB | met |');
    expect(text).toContain('| fast | 2x | **missed** |');
    expect(text.indexOf('## Goals')).toBeLessThan(text.indexOf('## Part'));
    expect(text).toContain('- careful');
  });

  test('formats bytes and ratios', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(8_319)).toBe('8.3 KB');
    expect(formatBytes(3_795_964)).toBe('3.80 MB');
    expect(formatRatio(0.456)).toBe('0.46x');
    expect(formatRatio(54.44)).toBe('54.4x');
  });
});
