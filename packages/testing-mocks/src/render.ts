/** `2030-01-31T12:00:00Z`: ISO-8601 in UTC without milliseconds, as TaskRouter writes dates. */
export function isoDate(ms: number): string {
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 19)}Z`;
}

/** Absolute URLs keyed by relation, each `base` + suffix. */
export function links(base: string, suffixes: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, suffix] of Object.entries(suffixes)) result[name] = base + suffix;
  return result;
}
