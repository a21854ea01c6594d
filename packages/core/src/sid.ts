import { TaskRouterValidationError } from './errors.js';
import type { SpecSidPrefix } from './generated/facts.js';

/**
 * Two-letter prefix of a SID, naming the kind of resource it identifies: every prefix the spec's
 * patterns name, and `SK` for API keys.
 */
export type SidPrefix = SpecSidPrefix | 'SK';

/** Resource kind of each SID prefix, for error messages. */
const sidKinds: Readonly<Record<SidPrefix, string>> = {
  AC: 'an Account',
  WS: 'a Workspace',
  WW: 'a Workflow',
  WA: 'an Activity',
  WK: 'a Worker',
  WQ: 'a TaskQueue',
  WT: 'a Task',
  WR: 'a Reservation',
  TC: 'a TaskChannel',
  WC: 'a WorkerChannel',
  EV: 'an Event',
  CA: 'a Call',
  SK: 'an API key',
};

const SID_LENGTH = 34;
const ANY_SID = /^[A-Za-z]{2}[0-9a-fA-F]{32}$/;
const HEX_BODY = /^[0-9a-fA-F]{32}$/;

/**
 * Tells whether a value is a SID: 34 characters, a two-letter prefix and 32 hexadecimal digits.
 *
 * @param prefix - When given, the SID must start with exactly this prefix.
 * @example
 * ```ts
 * isSid('WS0123456789abcdef0123456789abcdef', 'WS'); // true
 * isSid('WS0123456789abcdef0123456789abcdef', 'WK'); // false
 * ```
 */
export function isSid(value: unknown, prefix?: SidPrefix): value is string {
  if (typeof value !== 'string') return false;
  if (prefix === undefined) return ANY_SID.test(value);
  return value.startsWith(prefix) && HEX_BODY.test(value.slice(2));
}

/**
 * Throws a {@link TaskRouterValidationError} naming `field` unless `value` is a SID with
 * the given prefix. The message describes the problem without echoing the value.
 *
 * @example
 * ```ts
 * assertSid(input.workspaceSid, 'WS', 'workspaceSid');
 * // input.workspaceSid is a string from here on
 * ```
 */
export function assertSid(value: unknown, prefix: SidPrefix, field: string): asserts value is string {
  if (isSid(value, prefix)) return;
  const expected = `${sidKinds[prefix]} SID (${prefix} followed by 32 hexadecimal digits)`;
  let reason: string;
  if (typeof value !== 'string')
    reason = `expected ${expected}, got ${value === null ? 'null' : typeof value}`;
  else if (value.length !== SID_LENGTH)
    reason = `expected ${expected}, got ${value.length} characters instead of ${SID_LENGTH}`;
  else if (!value.startsWith(prefix))
    reason = `expected ${expected}, got a value starting with "${value.slice(0, 2)}"`;
  else reason = `expected ${expected}, got characters that are not hexadecimal digits`;
  throw new TaskRouterValidationError(field, reason);
}
