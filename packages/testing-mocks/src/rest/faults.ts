import type { OperationId } from '@taskrouter/core';

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

/** Decides whether a request is rate-limited: the seconds to send in `Retry-After`, or undefined. */
export type RateLimiter = (request: FaultRequest) => number | undefined;

/** The rate limiter the faults describe, or undefined when they inject none. */
export function createRateLimiter(faults: EmulatorFaults = {}): RateLimiter | undefined {
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
  if (rateLimitEvery === undefined && rateLimit === undefined) return undefined;
  let count = 0;
  return (request) => {
    const due = rateLimitEvery !== undefined && ++count % rateLimitEvery === 0;
    return due || rateLimit?.(request) ? retryAfterSeconds : undefined;
  };
}
