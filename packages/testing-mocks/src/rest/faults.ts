import type { OperationId } from '@taskrouter/core';
import { EmulatorRequestError } from '../domain/errors.js';
import type { Rule, RuleOutcome } from './overrides.js';

/** A request that reached an operation, as a fault rule sees it. */
export interface FaultRequest {
  readonly method: string;
  /** Path of the request, such as `/v1/Workspaces/WS…/Tasks`. */
  readonly path: string;
  /** The operation the request asks for, such as `CreateTask`. */
  readonly operationId: OperationId;
}

/**
 * Failures the emulator injects on purpose, so a client's handling of them can be tested. Only
 * authenticated requests to a known operation count; a refused request changes nothing, as
 * TaskRouter's own 429 answers promise.
 */
export interface EmulatorFaults {
  /** Answers every n-th request (the n-th, the 2n-th…) with `429`/`20429`. */
  rateLimitEvery?: number;
  /** Answers the requests it returns true for with `429`/`20429`. */
  rateLimit?: (request: FaultRequest) => boolean;
  /** Seconds sent in the `Retry-After` header of those answers; defaults to 1. */
  retryAfterSeconds?: number;
}

/**
 * The faults as built-in override rules: one answering every n-th request with `429`, one
 * answering the requests `rateLimit` picks. They run after a test's own overrides.
 */
export function faultRules(faults: EmulatorFaults = {}): Rule[] {
  const { rateLimitEvery, rateLimit, retryAfterSeconds = 1 } = faults;
  if (rateLimitEvery !== undefined && (!Number.isSafeInteger(rateLimitEvery) || rateLimitEvery < 1)) {
    throw new TypeError(
      `createEmulator: faults.rateLimitEvery must be a whole number of at least 1, got ${rateLimitEvery}`,
    );
  }
  if (rateLimit !== undefined && typeof rateLimit !== 'function') {
    throw new TypeError('createEmulator: faults.rateLimit must be a function');
  }
  if (!Number.isSafeInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
    throw new TypeError(
      `createEmulator: faults.retryAfterSeconds must be a whole number of 0 or more, got ${retryAfterSeconds}`,
    );
  }
  const error = new EmulatorRequestError(
    429,
    20429,
    `Too Many Requests: the request was not processed; retry after ${retryAfterSeconds} seconds`,
  );
  const refused: RuleOutcome = {
    answer: { status: 429, body: JSON.stringify(error.toJSON()), retryAfter: retryAfterSeconds },
  };
  const rules: Rule[] = [];
  if (rateLimitEvery !== undefined) {
    let count = 0;
    rules.push(() => (++count % rateLimitEvery === 0 ? refused : undefined));
  }
  if (rateLimit !== undefined) {
    rules.push(({ method, path, operationId }) =>
      rateLimit({ method, path, operationId }) ? refused : undefined,
    );
  }
  return rules;
}
