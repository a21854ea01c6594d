import { TaskRouterValidationError } from './errors.js';

/** Fields that carry a JSON document; they may be given as objects and are sent as JSON text. */
export const JSON_FIELDS: ReadonlySet<string> = new Set(['Attributes', 'Configuration']);

/**
 * Formats a date the way TaskRouter expects it: ISO-8601 in UTC without milliseconds,
 * `YYYY-MM-DDTHH:mm:ssZ`.
 *
 * @throws {@link TaskRouterValidationError} when the date is invalid.
 * @example
 * ```ts
 * formatTwilioDate(new Date(Date.UTC(2024, 0, 31, 8, 5, 9, 250))); // '2024-01-31T08:05:09Z'
 * ```
 */
export function formatTwilioDate(date: Date): string {
  return formatDateField(date, 'date');
}

function formatDateField(date: Date, field: string): string {
  if (Number.isNaN(date.getTime())) throw new TaskRouterValidationError(field, 'is an invalid Date');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** With the `u` flag a surrogate pair is one code point, so this only matches a lone half. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function encodeScalar(value: unknown, field: string): string {
  switch (typeof value) {
    case 'string':
      // Sent as is, a lone surrogate would silently become U+FFFD on the wire.
      if (LONE_SURROGATE.test(value)) {
        throw new TaskRouterValidationError(field, 'contains a lone surrogate, which is not valid Unicode');
      }
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TaskRouterValidationError(field, 'must be a finite number');
      return String(value);
  }
  if (value instanceof Date) return formatDateField(value, field);
  throw new TaskRouterValidationError(
    field,
    `must be a string, number, boolean or Date, got ${value === null ? 'null' : typeof value}`,
  );
}

function encodeJson(value: object, field: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TaskRouterValidationError(field, `cannot be converted to JSON (${(error as Error).message})`);
  }
  if (json === undefined) throw new TaskRouterValidationError(field, 'converts to no JSON value');
  return json;
}

/**
 * Encodes request parameters as `application/x-www-form-urlencoded`, following TaskRouter's
 * conventions: keys are kept as given (PascalCase), arrays repeat their key once per element,
 * booleans become `true`/`false`, dates become `YYYY-MM-DDTHH:mm:ssZ`, and objects given for
 * the JSON-valued fields `Attributes` and `Configuration` are sent as JSON text (any object
 * with `toJSON()` works). `undefined` and `null` values are left out.
 *
 * @throws {@link TaskRouterValidationError} naming the field when a value cannot be encoded.
 * @example
 * ```ts
 * encodeForm({ AssignmentStatus: ['pending', 'reserved'], Attributes: { type: 'support' } });
 * // 'AssignmentStatus=pending&AssignmentStatus=reserved&Attributes=%7B%22type%22%3A%22support%22%7D'
 * ```
 */
export function encodeForm(body: Record<string, unknown>): string {
  return encodeFormAt(body, '');
}

/** {@link encodeForm}, with `location` (like `body.`) put before field names in errors. @internal */
export function encodeFormAt(fields: Record<string, unknown>, location: string): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    const field = location + name;
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        form.append(name, encodeScalar(element, `${field}[${index}]`));
      });
    } else if (JSON_FIELDS.has(name) && typeof value === 'object' && !(value instanceof Date)) {
      form.append(name, encodeJson(value, field));
    } else {
      form.append(name, encodeScalar(value, field));
    }
  }
  return form.toString();
}

/**
 * Decodes an `application/x-www-form-urlencoded` body. A key that appears once maps to its
 * string; a repeated key maps to all its values in order.
 *
 * @example
 * ```ts
 * decodeForm('FriendlyName=Alice&Status=a&Status=b'); // { FriendlyName: 'Alice', Status: ['a', 'b'] }
 * ```
 */
export function decodeForm(body: string): Record<string, string | string[]> {
  const decoded = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = decoded.get(name);
    if (previous === undefined) decoded.set(name, value);
    else if (Array.isArray(previous)) previous.push(value);
    else decoded.set(name, [previous, value]);
  }
  return Object.fromEntries(decoded);
}
