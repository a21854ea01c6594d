import {
  assertSid,
  formatTwilioDate,
  isSid,
  type SidPrefix,
  TaskRouterError,
  TaskRouterValidationError,
} from '@taskrouter/core';
import { dateTimeResponseFields, requiredBodyFields, sidFieldPrefixes } from '@taskrouter/core/facts';
import type { JsonSerializable } from './types.js';

/** Response fields holding an ISO-8601 timestamp: those the spec gives `format: date-time`. */
const DATE_FIELDS: ReadonlySet<string> = new Set(dateTimeResponseFields);

/** Response fields holding a JSON document stored as text. */
const JSON_TEXT_FIELDS: ReadonlySet<string> = new Set(['attributes', 'configuration', 'addons']);

/** Response fields returned exactly as sent: relation names of `links`, the free-form `event_data`. */
const PASSED_THROUGH_FIELDS: ReadonlySet<string> = new Set(['links', 'event_data']);

/** Request parameters that take a JSON object, given as an object or as JSON text. */
const JSON_PARAMS: ReadonlySet<string> = new Set(['attributes', 'configuration', 'evaluateWorkerAttributes']);

/** Request parameters sent as one comma-separated value. */
const COMMA_LIST_PARAMS: ReadonlySet<string> = new Set(['splitByWaitTime', 'eventsFilter']);

/** The camelCase name of a TaskRouter parameter (`FriendlyName` → `friendlyName`). */
function paramName(wireName: string): string {
  return wireName.charAt(0).toLowerCase() + wireName.slice(1);
}

/** Request parameters that must hold a SID of one kind, by camelCase name, as the spec's patterns say. */
const SID_PARAMS: ReadonlyMap<string, SidPrefix> = new Map(
  Object.entries(sidFieldPrefixes).map(([name, prefix]) => [paramName(name), prefix]),
);

/** A task may be routed straight to a worker, a queue or a workflow. */
const ROUTING_TARGET_PREFIXES: readonly SidPrefix[] = ['WK', 'WQ', 'WW'];

interface KeyPlan {
  /** The snake_case name. */
  readonly key: string;
  /** The camelCase name. */
  readonly name: string;
  /** How {@link fromWire} converts the value. */
  readonly kind: 'nested' | 'date' | 'json' | 'raw';
}

// Response documents repeat the same few dozen keys; planning each key once keeps list walks cheap.
const keyPlans = new Map<string, KeyPlan>();

function planFor(key: string): KeyPlan {
  let plan = keyPlans.get(key);
  if (plan === undefined) {
    plan = {
      key,
      name: key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      kind: DATE_FIELDS.has(key)
        ? 'date'
        : JSON_TEXT_FIELDS.has(key)
          ? 'json'
          : PASSED_THROUGH_FIELDS.has(key)
            ? 'raw'
            : 'nested',
    };
    // Keys come from the service; cap the cache so an unusual document cannot grow it without bound.
    if (keyPlans.size < 1024) keyPlans.set(key, plan);
  }
  return plan;
}

function convertField({ key, kind }: KeyPlan, field: unknown): unknown {
  if (kind === 'raw') return field;
  if (typeof field === 'string') {
    return kind === 'date' ? parseTimestamp(field) : kind === 'json' ? parseJsonText(key, field) : field;
  }
  return fromWire(field);
}

/** The view of a document; the plans of its keys are added to `seen` when given. */
function convertObject(source: object, seen?: KeyPlan[]): object {
  const view: Record<string, unknown> = {};
  for (const key in source) {
    const plan = planFor(key);
    seen?.push(plan);
    view[plan.name] = convertField(plan, (source as Record<string, unknown>)[key]);
  }
  return view;
}

/** Converts a response document to its camelCase view, as {@link fromWire} does. */
export type Converter = <T>(value: unknown) => T;

/**
 * Converts response documents to their camelCase views (see {@link fromWire}), learning the key
 * order of the top-level documents: members of one collection share it, and a document with exactly
 * those keys is converted by copying a view that already has them and filling in the values, which
 * V8 does in under half the time of adding each key to an empty object.
 */
export function createConverter(): Converter {
  let plans: KeyPlan[] = [];
  let blank: object | undefined;
  function convertDocument(source: object): object {
    if (blank !== undefined) {
      const view: Record<string, unknown> = { ...blank };
      let index = 0;
      for (const key in source) {
        const plan = plans[index];
        if (key !== plan?.key) {
          index = -1;
          break;
        }
        view[plan.name] = convertField(plan, (source as Record<string, unknown>)[key]);
        index += 1;
      }
      if (index === plans.length) return view;
    }
    // Another layout: learn it.
    plans = [];
    const view = convertObject(source, plans);
    // Made by JSON.parse, the blank view has V8's fast fixed layout, and so have its copies. No key
    // camelCases to `__proto__`; a name two keys share keeps the first one's place, as in convertObject.
    blank = JSON.parse(JSON.stringify(Object.fromEntries(plans.map(({ name }) => [name, null]))));
    return view;
  }
  return function convert<T>(value: unknown): T {
    if (Array.isArray(value)) return value.map(convert) as T;
    if (value === null || typeof value !== 'object') return value as T;
    return convertDocument(value) as T;
  };
}

/**
 * Converts a snake_case response document to its camelCase view: keys camelCased at every level,
 * timestamps parsed to `Date`, JSON text fields parsed, `links` and `event_data` left untouched.
 */
export function fromWire<T>(value: unknown): T {
  if (Array.isArray(value)) return value.map(fromWire) as T;
  if (value === null || typeof value !== 'object') return value as T;
  return convertObject(value) as T;
}

/**
 * The `Date` of a timestamp, as `new Date(text)` gives it. TaskRouter's own format,
 * `YYYY-MM-DDTHH:mm:ssZ`, is read here directly in under half the time; anything else goes to
 * `Date`'s parser.
 */
export function parseTimestamp(text: string): Date {
  // A resource's timestamps often repeat (a new task's creation, update and queue entry): each text
  // is read once.
  if (text !== lastTimestamp) {
    lastTimestamp = text;
    lastTime = epochMsOf(text);
  }
  return new Date(lastTime);
}

let lastTimestamp = '';
let lastTime = Number.NaN;

function epochMsOf(text: string): number {
  if (
    text.length === 20 &&
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 90 // Z
  ) {
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 7);
    const day = digitsAt(text, 8, 10);
    const hour = digitsAt(text, 11, 13);
    const minute = digitsAt(text, 14, 16);
    const second = digitsAt(text, 17, 19);
    // Date.UTC reads years before 100 as 19xx; a day past the 28th may not be in its month.
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59
    )
      return Date.UTC(year, month - 1, day, hour, minute, second);
  }
  return Date.parse(text);
}

/** The number written in decimal digits from `start` to `end`; NaN, which fails every range check, when a character is no digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** Parses a JSON document the service returned as text; a malformed one is the server's fault. */
function parseJsonText(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TaskRouterError(`The answer's "${key}" field is not valid JSON text`);
  }
}

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Serialises a JSON-document parameter, rejecting what JSON cannot represent. */
function jsonText(field: string, value: unknown): string {
  const document =
    typeof (value as Partial<JsonSerializable>)?.toJSON === 'function'
      ? (value as JsonSerializable).toJSON()
      : value;
  if (typeof document === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(document);
    } catch {
      throw new TaskRouterValidationError(field, 'is not valid JSON text');
    }
    if (!isPlainObject(parsed)) throw new TaskRouterValidationError(field, 'must be a JSON object');
    return document;
  }
  if (!isPlainObject(document)) throw new TaskRouterValidationError(field, 'must be a JSON object');
  try {
    return JSON.stringify(document, (key, inner: unknown) => {
      const kind = typeof inner;
      if (kind === 'function' || kind === 'symbol' || kind === 'bigint') {
        throw new TaskRouterValidationError(
          field,
          `is not JSON-serialisable: ${key ? `"${key}" holds` : 'it is'} a ${kind}`,
        );
      }
      return inner;
    });
  } catch (error) {
    if (error instanceof TaskRouterValidationError) throw error;
    // JSON.stringify throws a TypeError for circular structures.
    throw new TaskRouterValidationError(field, `is not JSON-serialisable: ${(error as Error).message}`);
  }
}

function toWireValue(field: string, value: unknown): unknown {
  if (JSON_PARAMS.has(field)) return jsonText(field, value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TaskRouterValidationError(field, 'is an invalid Date');
    return formatTwilioDate(value);
  }
  if (COMMA_LIST_PARAMS.has(field) && Array.isArray(value)) return value.join(',');
  const prefix = SID_PARAMS.get(field);
  if (prefix) assertSid(value, prefix, field);
  if (field === 'routingTarget' && !ROUTING_TARGET_PREFIXES.some((kind) => isSid(value, kind))) {
    throw new TaskRouterValidationError(field, 'expected a Worker (WK), TaskQueue (WQ) or Workflow (WW) SID');
  }
  return value;
}

/**
 * Converts camelCase parameters to the PascalCase names TaskRouter expects, validating and
 * encoding the values that need it (JSON documents, dates, SIDs, comma lists). `undefined`
 * values are left out.
 */
export function toWire(params: object | undefined): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(params ?? {})) {
    // Assigning `__proto__` would replace the prototype instead of adding a field.
    if (!PARAMETER_NAME.test(field)) {
      throw new TaskRouterValidationError(
        field,
        'is not a parameter name: names are camelCase letters and digits',
      );
    }
    if (value !== undefined) wire[field.charAt(0).toUpperCase() + field.slice(1)] = toWireValue(field, value);
  }
  return wire;
}

/** What a camelCase parameter name looks like (the spec's PascalCase names with a lower-case first letter). */
const PARAMETER_NAME = /^[a-z][A-Za-z0-9]*$/;

/** The camelCase parameters an operation requires in its body, as the spec lists them. */
export function requiredParamsOf(operation: keyof typeof requiredBodyFields): string[] {
  return requiredBodyFields[operation].map(paramName);
}

/** Throws unless every listed parameter is present and, when text, not blank. */
export function requireParams(params: object | undefined, fields: readonly string[]): void {
  for (const field of fields) {
    // Only own fields are sent, so only own fields count (nothing inherited from Object.prototype).
    const value: unknown =
      params !== undefined && Object.hasOwn(params, field)
        ? (params as Record<string, unknown>)[field]
        : undefined;
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      throw new TaskRouterValidationError(field, 'is required and must not be empty');
    }
  }
}

/** Checks an identifier: a SID of the given kind, or (without a kind) any non-blank name or SID. */
export function requireId(value: unknown, prefix: SidPrefix | undefined, field: string): string {
  if (prefix) assertSid(value, prefix, field);
  else if (typeof value !== 'string' || value.trim() === '') {
    throw new TaskRouterValidationError(field, 'must be a SID or unique name, not empty');
  }
  return value;
}
