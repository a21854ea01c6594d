/**
 * Override rules: answers chosen by a test for some requests, decided before the stateful
 * handlers run. A rule never changes state; it only replaces, fails or delays an answer.
 */
import type { OperationId, operations } from '@taskrouter/core';
import { EmulatorRequestError } from '../domain/errors.js';

/** Statuses whose answers have no body (a `Response` with a body refuses them). */
export const NO_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/** A value a rule or a matcher compares with a request parameter. */
export type MatchValue =
  | string
  | number
  | boolean
  | Date
  | readonly string[]
  | { readonly [key: string]: unknown };

/**
 * A partial of an operation's parameters: its path parameters, its query parameters (reads and
 * deletes) or its form fields (creates and updates), by their spec names. Object values match a
 * JSON parameter (`Attributes`) that contains them; other values match the parameter's text.
 */
export type OperationMatch<Op extends OperationId> = {
  [Key in
    | (operations[Op] extends { parameters: { path: infer Path } } ? keyof Path : never)
    | (operations[Op] extends { parameters: { query?: infer Query } }
        ? [NonNullable<Query>] extends [never]
          ? never
          : keyof NonNullable<Query>
        : never)
    | (operations[Op] extends {
        requestBody?: { content: { 'application/x-www-form-urlencoded': infer Body } };
      }
        ? keyof Body
        : never)]?: MatchValue;
};

/** A request as a rule sees it. */
export interface RuleRequest {
  readonly operationId: OperationId;
  readonly method: string;
  /** Path of the request, such as `/v1/Workspaces/WS…/Tasks`. */
  readonly path: string;
  /** Path parameters by their spec names. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query parameters (reads, deletes) or form fields (creates, updates); throws a 400 when unreadable. */
  params(): ReadonlyMap<string, readonly string[]>;
}

/** What a rule decided for a request. */
export interface RuleOutcome {
  /** The answer instead of the stateful handler's, or undefined to let the handler answer. */
  readonly answer?: { readonly status: number; readonly body: string | null; readonly retryAfter?: number };
  /** Milliseconds to wait before the answer is sent. */
  readonly delayMs?: number;
}

/** A rule the emulator consults before its handlers; undefined leaves the request to the next one. */
export type Rule = (request: RuleRequest) => RuleOutcome | undefined;

/** The error a rule's `fails` answers with, in TaskRouter's error shape. */
export interface OverrideFailure {
  /** HTTP status, 400 to 599. */
  readonly status: number;
  /** Twilio error code, such as 20001 or 20500. */
  readonly code: number;
  /** The error's message; a generic one naming the operation when omitted. */
  readonly message?: string;
}

/**
 * An override made by {@link Emulator.on}. It applies to every matching request until
 * {@link Emulator.resetOverrides}, or only to the next ones after `once()` or `times(n)`.
 * Calling `replies` or `fails` again replaces the answer; `delays` combines with either.
 */
export interface OverrideRule {
  /**
   * Answers with this status and body (JSON) instead of the emulator's own answer; 204, 205 and
   * 304 answers have no body.
   */
  replies(status: number, body?: unknown): OverrideRule;
  /** Answers with a Twilio-shaped error (`code`, `message`, `more_info`, `status`). */
  fails(failure: OverrideFailure): OverrideRule;
  /**
   * Sends the answer `ms` milliseconds (real time) late. Without `replies` or `fails` the
   * emulator's own answer is delayed; the request is handled when it arrives.
   */
  delays(ms: number): OverrideRule;
  /** Applies to the next matching request only. */
  once(): OverrideRule;
  /** Applies to the next `count` matching requests only. */
  times(count: number): OverrideRule;
  /** How many requests the rule has applied to. */
  readonly uses: number;
}

/** The rules of one emulator: a test's overrides, newest first, then the built-in ones. */
export class OverrideRules {
  private overrides: { readonly rule: Rule; readonly active: () => boolean }[] = [];

  /** @param builtIn - rules that stay after {@link OverrideRules.reset} (the `faults` option). */
  constructor(private readonly builtIn: readonly Rule[] = []) {}

  /** Adds a test's rule for one operation; the newest matching rule wins. */
  add<Op extends OperationId>(operationId: Op, match: OperationMatch<Op> | undefined): OverrideRule {
    const where = `emulator.on('${operationId}')`;
    checkMatch(where, match);
    let answer: RuleOutcome['answer'];
    let delayMs: number | undefined;
    let remaining = Number.POSITIVE_INFINITY;
    let uses = 0;
    const rule: Rule = (request) => {
      if (remaining <= 0 || request.operationId !== operationId) return undefined;
      if (match !== undefined && !paramsMatch(match, request.pathParams, request.params())) return undefined;
      remaining--;
      uses++;
      return {
        ...(answer === undefined ? {} : { answer }),
        ...(delayMs === undefined ? {} : { delayMs }),
      };
    };
    this.overrides.unshift({ rule, active: () => remaining > 0 });
    const built: OverrideRule = {
      replies(status, body) {
        if (!Number.isSafeInteger(status) || status < 200 || status > 599) {
          throw new RangeError(
            `${where}.replies(status): must be a whole number from 200 to 599, got ${status}`,
          );
        }
        const bodiless = NO_BODY_STATUSES.has(status);
        if (bodiless && body !== undefined) {
          throw new TypeError(`${where}.replies(${status}, body): a ${status} answer has no body`);
        }
        const text = bodiless ? null : JSON.stringify(body ?? {});
        answer = { status, body: text };
        return built;
      },
      fails(failure) {
        const { status, code, message } = failure ?? ({} as OverrideFailure);
        if (!Number.isSafeInteger(status) || status < 400 || status > 599) {
          throw new RangeError(
            `${where}.fails({ status }): must be a whole number from 400 to 599, got ${status}`,
          );
        }
        if (!Number.isSafeInteger(code) || code <= 0) {
          throw new RangeError(`${where}.fails({ code }): must be a positive whole number, got ${code}`);
        }
        if (message !== undefined && typeof message !== 'string') {
          throw new TypeError(`${where}.fails({ message }): must be a string`);
        }
        const error = new EmulatorRequestError(status, code, message ?? `${operationId} failed (override)`);
        answer = { status, body: JSON.stringify(error.toJSON()) };
        return built;
      },
      delays(ms) {
        if (!Number.isSafeInteger(ms) || ms < 0) {
          throw new RangeError(`${where}.delays(ms): must be a whole number of 0 or more, got ${ms}`);
        }
        delayMs = ms;
        return built;
      },
      once: () => built.times(1),
      times(count) {
        if (!Number.isSafeInteger(count) || count < 1) {
          throw new RangeError(`${where}.times(count): must be a whole number of at least 1, got ${count}`);
        }
        remaining = count;
        return built;
      },
      get uses() {
        return uses;
      },
    };
    return built;
  }

  /** The outcome of the first rule that takes the request, if any. */
  decide(request: RuleRequest): RuleOutcome | undefined {
    if (this.overrides.length > 0) {
      this.overrides = this.overrides.filter((entry) => entry.active());
      for (const { rule } of this.overrides) {
        const outcome = rule(request);
        if (outcome !== undefined) return outcome;
      }
    }
    for (const rule of this.builtIn) {
      const outcome = rule(request);
      if (outcome !== undefined) return outcome;
    }
    return undefined;
  }

  /** Drops every rule a test added; the built-in ones stay. */
  reset(): void {
    this.overrides = [];
  }
}

function checkMatch(where: string, match: unknown): void {
  if (match === undefined) return;
  if (match === null || typeof match !== 'object' || Array.isArray(match)) {
    throw new TypeError(`${where}: match must be an object of parameters, got ${JSON.stringify(match)}`);
  }
}

/**
 * Whether a request's parameters hold every value of `expected`: path parameters and query or
 * form parameters by name. An object matches a JSON parameter containing it, a list the
 * parameter's values in order, a date the same instant, anything else the parameter's text.
 */
export function paramsMatch(
  expected: { readonly [name: string]: unknown },
  pathParams: Readonly<Record<string, string>>,
  params: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, string | readonly string[]>>,
): boolean {
  const read = (name: string): readonly string[] | undefined => {
    const path = pathParams[name];
    if (path !== undefined) return [path];
    const value = params instanceof Map ? params.get(name) : (params as Record<string, unknown>)[name];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? [value] : (value as readonly string[]);
  };
  return Object.entries(expected).every(([name, wanted]) => {
    if (wanted === undefined) return true;
    const actual = read(name);
    if (actual === undefined) return false;
    return valueMatches(wanted, actual);
  });
}

function valueMatches(wanted: unknown, actual: readonly string[]): boolean {
  const last = actual[actual.length - 1] ?? '';
  if (Array.isArray(wanted)) {
    const values = actual.length === 1 ? last.split(',') : actual;
    return wanted.length === values.length && wanted.every((item, index) => String(item) === values[index]);
  }
  if (wanted instanceof Date) return Date.parse(last) === wanted.getTime();
  if (wanted !== null && typeof wanted === 'object') {
    try {
      return containsJson(wanted, JSON.parse(last));
    } catch {
      return false;
    }
  }
  return String(wanted) === last;
}

/** Whether `actual` holds `wanted`: objects by their keys (recursively), anything else equal. */
function containsJson(wanted: unknown, actual: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return Object.is(wanted, actual);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) &&
      wanted.length === actual.length &&
      wanted.every((item, index) => containsJson(item, actual[index]))
    );
  }
  return Object.entries(wanted).every(([key, value]) =>
    containsJson(value, (actual as Record<string, unknown>)[key]),
  );
}
