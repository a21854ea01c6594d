import { invalidParameter, missingParameter } from '../domain/errors.js';
import { isSid, type OperationId, type SidPrefix } from '@taskrouter/core';
import { type OperationSidParameters, sidParameters } from '@taskrouter/core/facts';
import type { JsonObject } from '../domain/state.js';

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const INTEGER = /^-?\d+$/;
/** Two capitals and a run of hex digits: meant as a SID, not as a task channel's unique name. */
const LOOKS_LIKE_SID = /^[A-Z]{2}[0-9a-fA-F]{16,}$/;

/** The SID prefixes each query parameter that filters a read by SID accepts. */
export type SidFilters = ReadonlyMap<string, readonly SidPrefix[]>;

/** A task may be routed to a worker, a queue or a workflow: a filter the spec gives no single prefix. */
const ROUTING_TARGET_FILTER: readonly [string, readonly SidPrefix[]] = ['RoutingTarget', ['WK', 'WQ', 'WW']];

const sidFilterCache = new Map<OperationId, SidFilters>();

/** The SID filters of a read: the query parameters the spec gives a SID pattern, and `RoutingTarget`. */
export function sidFiltersOf(operationId: OperationId): SidFilters {
  let filters = sidFilterCache.get(operationId);
  if (filters === undefined) {
    const { query = {} }: OperationSidParameters = sidParameters[operationId];
    filters = new Map([
      ...Object.entries(query).map(([name, prefix]): [string, readonly SidPrefix[]] => [name, [prefix]]),
      ROUTING_TARGET_FILTER,
    ]);
    sidFilterCache.set(operationId, filters);
  }
  return filters;
}
const TASK_CHANNEL_PREFIX: readonly SidPrefix[] = ['TC'];

/** Decodes an `application/x-www-form-urlencoded` string into repeated-key lists. */
export function decodeParams(encoded: string | URLSearchParams): Map<string, string[]> {
  const source = typeof encoded === 'string' ? new URLSearchParams(encoded) : encoded;
  const values = new Map<string, string[]>();
  for (const [key, value] of source) {
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

/**
 * Typed, validating access to the parameters of one request. Every reader throws a 400 error
 * that names the parameter and the reason, so handlers validate everything before they mutate.
 */
export class Params {
  /** Every parameter with all its values, as decoded. */
  constructor(readonly values: Map<string, string[]>) {}

  /** Every parameter with all its values, in the order received. */
  entries(): IterableIterator<[string, string[]]> {
    return this.values.entries();
  }

  /** Whether the parameter was sent at all (even empty). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The parameter's last value; `required` turns absence into a 400. */
  string(name: string, options: { required: true; maxLength?: number; nonEmpty?: boolean }): string;
  string(
    name: string,
    options?: { required?: false; maxLength?: number; nonEmpty?: boolean },
  ): string | undefined;
  string(
    name: string,
    options: { required?: boolean; maxLength?: number; nonEmpty?: boolean } = {},
  ): string | undefined {
    const list = this.values.get(name);
    const value = list?.[list.length - 1];
    if (value === undefined) {
      if (options.required) throw missingParameter(name);
      return undefined;
    }
    if ((options.required || options.nonEmpty) && value.trim() === '') {
      throw invalidParameter(name, 'must not be empty');
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      throw invalidParameter(name, `must be at most ${options.maxLength} characters long`);
    }
    return value;
  }

  /** Every value of a repeatable parameter; a single comma-joined value is split too. */
  list(name: string): string[] {
    const list = this.values.get(name) ?? [];
    return list
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value !== '');
  }

  /** An integer within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    const value = INTEGER.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(value)) throw invalidParameter(name, `must be an integer, got '${raw}'`);
    if (value < min || value > max) {
      throw invalidParameter(name, `must be between ${min} and ${max}, got ${value}`);
    }
    return value;
  }

  /** A strict boolean: `true` or `false` in any letter case. */
  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const lower = raw.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalidParameter(name, `must be true or false, got '${raw}'`);
  }

  /** A boolean as TaskRouter documents for `Available`: `true`, `1` or `yes` mean true, anything else false. */
  lenientBoolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    return isTruthyFlag(raw);
  }

  /** One of a fixed set of values (exact spelling). */
  enumeration<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw invalidParameter(name, `must be one of ${allowed.join(', ')}, got '${raw}'`);
    }
    return raw as T;
  }

  /** A SID with the given prefix (shape only; existence is the caller's check). */
  sid(name: string, prefix: SidPrefix, options: { required?: boolean } = {}): string | undefined {
    const raw = options.required ? this.string(name, { required: true }) : this.string(name);
    if (raw === undefined) return undefined;
    if (!isSid(raw, prefix)) {
      throw invalidParameter(
        name,
        `must be a ${prefix} SID (${prefix} followed by 32 hex digits), got '${raw}'`,
      );
    }
    return raw;
  }

  /** A JSON object sent as a string, at most `maxLength` characters. */
  jsonObject(name: string, maxLength: number): { text: string; value: JsonObject } | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text.length > maxLength) throw invalidParameter(name, `must be at most ${maxLength} characters long`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw invalidParameter(name, `is not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalidParameter(name, 'must be a JSON object');
    }
    return { text, value: value as JsonObject };
  }

  /** An ISO-8601 date or date-time (UTC unless an offset is given), as epoch milliseconds. */
  date(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = parseIsoDate(raw.trim());
    if (value === undefined) {
      throw invalidParameter(name, `must be an ISO-8601 date such as 2030-01-31T12:00:00Z, got '${raw}'`);
    }
    return value;
  }

  /** An absolute http(s) URL. */
  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return raw;
    if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
      throw invalidParameter(name, `must be an absolute http or https URL, got '${raw}'`);
    }
    return raw;
  }
}

/**
 * Refuses a read whose SID filters are malformed, as TaskRouter does, instead of answering an
 * empty list: every value of a parameter in `filters` must be a SID with one of its prefixes, and
 * a `TaskChannel` that looks like a SID must be a task channel's.
 */
export function checkSidFilters(params: Params, filters: SidFilters): void {
  for (const [name, values] of params.entries()) {
    const isChannel = name === 'TaskChannel';
    const prefixes = isChannel ? TASK_CHANNEL_PREFIX : filters.get(name);
    if (prefixes === undefined) continue;
    for (const value of values) {
      if (prefixes.some((prefix) => isSid(value, prefix)) || (isChannel && !LOOKS_LIKE_SID.test(value))) {
        continue;
      }
      const kinds = prefixes.join(', ').replace(/, (\w+)$/, ' or $1');
      const lead = prefixes.length === 1 ? kinds : 'its prefix';
      const orName = isChannel ? ' or a task channel unique name' : '';
      throw invalidParameter(
        name,
        `must be a ${kinds} SID (${lead} followed by 32 hex digits)${orName}, got '${value}'`,
      );
    }
  }
}

/** `true`, `1` or `yes` (any case) → true. */
export function isTruthyFlag(raw: string): boolean {
  const lower = raw.trim().toLowerCase();
  return lower === 'true' || lower === '1' || lower === 'yes';
}

function parseIsoDate(raw: string): number | undefined {
  const match = ISO_DATE.exec(raw);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const value = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`);
  if (Number.isNaN(value)) return undefined;
  // Date.parse rolls 2030-02-31 over to March; refuse dates that do not exist.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return undefined;
  return value;
}
