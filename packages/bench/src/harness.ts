/**
 * Alternating measurement: every round runs each variant once, in an order that rotates from round
 * to round (and runs backwards every other full rotation) so drift of the machine (other load, thermal state, caches)
 * hits all variants alike. Results are medians, and ratios are paired: the ratio of two variants is
 * the median over rounds of their per-round ratio, which cancels what a round shares.
 */

/** One measurement of one variant: named numbers such as `{ wallMs: 112, maxRssKb: 51234 }`. */
export type Sample = Record<string, number>;

/** Something to measure: a name and a function producing one sample per call. */
export interface Variant {
  name: string;
  measure(): Promise<Sample>;
}

/** Samples of every variant, indexed by round (warm-up rounds excluded). */
export type Series = Map<string, Sample[]>;

/** How many rounds to run, and how many leading rounds to discard as warm-up. */
export interface AlternationPlan {
  rounds: number;
  warmupRounds?: number;
  /** Called after each round, e.g. to print progress. */
  onRound?(round: number): void;
}

/**
 * Order of the variants in a given round: rotated by the round number, and reversed during every
 * other full rotation, so each variant runs in each position and after each other variant alike.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return Math.floor(round / items.length) % 2 === 1 ? rotated.reverse() : rotated;
}

/** Runs the variants in alternation and returns their samples. */
export async function alternate(variants: readonly Variant[], plan: AlternationPlan): Promise<Series> {
  if (!Number.isInteger(plan.rounds) || plan.rounds < 1) {
    throw new RangeError(`rounds must be a positive integer, got ${plan.rounds}`);
  }
  const warmup = plan.warmupRounds ?? 0;
  const series: Series = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < warmup + plan.rounds; round++) {
    for (const variant of roundOrder(variants, round)) {
      const sample = await variant.measure();
      if (round >= warmup) series.get(variant.name)!.push(sample);
    }
    plan.onRound?.(round);
  }
  return series;
}

/** The q-quantile (0..1) of the values, by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** The median of the values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function metricValues(series: Series, variant: string, metric: string): number[] {
  const samples = series.get(variant);
  if (samples === undefined) throw new RangeError(`no variant named ${variant}`);
  return samples.map((sample) => {
    const value = sample[metric];
    if (value === undefined) throw new RangeError(`variant ${variant} has no metric ${metric}`);
    return value;
  });
}

/** Median of one metric of one variant. */
export function medianOf(series: Series, variant: string, metric: string): number {
  return median(metricValues(series, variant, metric));
}

/** Median over rounds of `variant / baseline` for one metric. */
export function pairedRatio(series: Series, variant: string, baseline: string, metric: string): number {
  const values = metricValues(series, variant, metric);
  const base = metricValues(series, baseline, metric);
  return median(values.map((value, round) => value / base[round]!));
}
