/** The request log behind `emulator.calls()`. */
import type { OperationId } from '@taskrouter/core';

/**
 * One request the emulator answered, as `emulator.calls()` lists it. A plain JSON value: it can be
 * serialised, compared with `toEqual` or sent over HTTP as it is.
 */
export interface CallRecord {
  /** The operation the request asked for; null when its path or method matched none. */
  readonly operationId: OperationId | null;
  readonly method: string;
  /** Path of the request, such as `/v1/Workspaces/WS…/Tasks`. */
  readonly path: string;
  /** Path parameters by their spec names (`WorkspaceSid`, `Sid`…). */
  readonly pathParams: Readonly<Record<string, string>>;
  /**
   * Query parameters (reads, deletes) or form fields (creates, updates); a repeated parameter
   * holds its values in a list. Empty when the request's parameters could not be read.
   */
  readonly params: Readonly<Record<string, string | readonly string[]>>;
  /** HTTP status of the answer. */
  readonly status: number;
  /** Twilio error code of an error answer, null for a success. */
  readonly code: number | null;
  /** Whether an override rule (`emulator.on`, or the `faults` option) answered or delayed it. */
  readonly overridden: boolean;
  /**
   * The account SID of the caller's credentials (the access token's account for the worker SDK's
   * calls through the event bridge), null when it sent none that could be read.
   */
  readonly accountSid: string | null;
  /** When it was answered: epoch milliseconds of the emulator's clock (an integer). */
  readonly at: number;
}

/** A call as logged, its parameters kept as they were decoded until someone reads them. */
export interface LoggedCall extends Omit<CallRecord, 'params'> {
  readonly params: ReadonlyMap<string, readonly string[]> | undefined;
}

/** Default number of entries a log keeps; older ones are dropped first. */
export const DEFAULT_LOG_LIMIT = 10_000;

/** A list that keeps the latest `limit` entries. */
export class BoundedLog<Entry> {
  private entries: Entry[] = [];

  constructor(private readonly limit: number) {}

  push(entry: Entry): void {
    this.entries.push(entry);
    // Trimming in batches keeps pushes cheap: at most twice the limit is ever held.
    if (this.entries.length >= this.limit * 2) this.entries = this.entries.slice(-this.limit);
  }

  /** The kept entries, oldest first. */
  list(): Entry[] {
    return this.entries.length > this.limit ? this.entries.slice(-this.limit) : [...this.entries];
  }

  /** Drops the entries `dropped` selects, keeping the others in order. */
  drop(dropped: (entry: Entry) => boolean): void {
    this.entries = this.entries.filter((entry) => !dropped(entry));
  }

  clear(): void {
    this.entries = [];
  }
}

/** The plain record of a logged call. */
export function callRecord(call: LoggedCall): CallRecord {
  const params: Record<string, string | readonly string[]> = {};
  for (const [name, values] of call.params ?? []) {
    params[name] = values.length === 1 ? values[0]! : [...values];
  }
  return { ...call, pathParams: { ...call.pathParams }, params };
}
