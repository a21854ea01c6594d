import { formatTwilioDate } from '@taskrouter/core';

/** `2030-01-31T12:00:00Z`: ISO-8601 in UTC without milliseconds, as TaskRouter writes dates. */
export function isoDate(ms: number): string {
  return formatTwilioDate(new Date(ms));
}

/** Absolute URLs keyed by relation, each `base` + suffix. */
export function links(base: string, suffixes: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, suffix] of Object.entries(suffixes)) result[name] = base + suffix;
  return result;
}
