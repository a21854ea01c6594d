import { decodeForm, TaskRouterValidationError } from '@taskrouter/core';
import type { JsonObject } from './types.js';

/**
 * The form fields of a callback TaskRouter posted: the raw body text, `URLSearchParams`, or the
 * fields a body parser made of it (`decodeForm`, `express.urlencoded()`).
 */
export type CallbackFields =
  | string
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The fields of a callback by name, first value of a repeated name; never reads `Object.prototype`. */
export type FieldMap = ReadonlyMap<string, string>;

/** Reads callback fields into a map (a repeated name keeps its first value). */
export function fieldMap(input: CallbackFields): FieldMap {
  const map = new Map<string, string>();
  const add = (name: string, value: unknown) => {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && !map.has(name)) map.set(name, first);
  };
  if (typeof input === 'string')
    for (const [name, value] of Object.entries(decodeForm(input))) add(name, value);
  else if (input instanceof URLSearchParams) for (const [name, value] of input) add(name, value);
  else if (typeof input === 'object' && input !== null) {
    for (const [name, value] of Object.entries(input)) add(name, value);
  } else {
    throw new TaskRouterValidationError(
      'fields',
      'must be form text, URLSearchParams or an object of fields',
    );
  }
  return map;
}

/** Reads a callback given as fields, or as a web `Request` whose body is read first. */
export function readCallback<T>(
  input: Request | CallbackFields,
  parse: (fields: FieldMap) => T,
): T | Promise<T> {
  if (typeof Request !== 'undefined' && input instanceof Request) {
    return input.text().then((body) => parse(fieldMap(body)));
  }
  return parse(fieldMap(input as CallbackFields));
}

/** A field the callback must carry. */
export function requiredText(fields: FieldMap, name: string): string {
  const value = fields.get(name);
  if (value === undefined || value === '')
    throw new TaskRouterValidationError(name, 'is missing from the callback');
  return value;
}

/** A whole number sent as text; `undefined` when absent. */
export function numberField(fields: FieldMap, name: string): number | undefined {
  const value = fields.get(name);
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number))
    throw new TaskRouterValidationError(name, `is not a number: ${JSON.stringify(value)}`);
  return number;
}

/** `true` or `false` sent as text; `undefined` when absent. */
export function booleanField(fields: FieldMap, name: string): boolean | undefined {
  const value = fields.get(name)?.toLowerCase();
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new TaskRouterValidationError(name, `is not true or false: ${JSON.stringify(value)}`);
}

/** A JSON object sent as text (task or worker attributes); `undefined` when absent. */
export function jsonField<T = JsonObject>(fields: FieldMap, name: string): T | undefined {
  const value = fields.get(name);
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new TaskRouterValidationError(name, 'is not valid JSON text');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TaskRouterValidationError(name, 'is not a JSON object');
  }
  return parsed as T;
}

/**
 * When the callback was sent: `TimestampMs` when present, else `Timestamp` (seconds since the
 * epoch, or an ISO-8601 date).
 */
export function timestampField(fields: FieldMap): Date {
  const millis = numberField(fields, 'TimestampMs');
  if (millis !== undefined) return new Date(millis);
  const text = requiredText(fields, 'Timestamp');
  const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new TaskRouterValidationError('Timestamp', `is not a date: ${JSON.stringify(text)}`);
  }
  return date;
}

/** The fields as a plain object without a prototype, for what the typed view leaves out. */
export function rawFields(fields: FieldMap): Readonly<Record<string, string>> {
  return Object.freeze(
    Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(fields)),
  );
}
