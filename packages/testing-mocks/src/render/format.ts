import { formatTwilioDate } from '@taskrouter/core';

/** `2030-01-31T12:00:00Z`: ISO-8601 in UTC without milliseconds, as TaskRouter writes dates. */
export function isoDate(ms: number): string {
  // Records share few distinct timestamps (the virtual clock moves in steps), so formatting is cached.
  let text = formattedDates.get(ms);
  if (text === undefined) {
    if (formattedDates.size >= DATE_CACHE_LIMIT) formattedDates.clear();
    text = formatTwilioDate(new Date(ms));
    formattedDates.set(ms, text);
  }
  return text;
}

const formattedDates = new Map<number, string>();
const DATE_CACHE_LIMIT = 10_000;

/** Absolute URLs keyed by relation, each `base` + suffix. */
export function links(base: string, suffixes: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, suffix] of Object.entries(suffixes)) result[name] = base + suffix;
  return result;
}
