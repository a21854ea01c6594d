/**
 * A request the emulator refuses, carrying the Twilio error it answers with.
 *
 * Thrown by the seeding helpers too, so code that seeds state sees the same reason an HTTP
 * client would.
 */
export class EmulatorRequestError extends Error {
  /** HTTP status of the answer (400, 401, 404, 405, 408, 410, 412, 413, 429…). */
  readonly status: number;
  /** Twilio error code, such as 20001 or 20404. */
  readonly code: number;
  /** The request parameter at fault, when one is. */
  readonly parameter: string | undefined;

  constructor(status: number, code: number, message: string, parameter?: string) {
    super(message);
    this.name = 'EmulatorRequestError';
    this.status = status;
    this.code = code;
    this.parameter = parameter;
  }

  /** The JSON body TaskRouter sends for this error. */
  toJSON(): TwilioErrorBody {
    const body: TwilioErrorBody = {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
    if (this.parameter !== undefined) body.details = { parameter: this.parameter };
    return body;
  }
}

/** Body of every error answer, shaped as TaskRouter shapes it. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  details?: Record<string, unknown>;
}

/** 400/20001 naming the parameter and what is wrong with it. */
export function invalidParameter(parameter: string, reason: string): EmulatorRequestError {
  return new EmulatorRequestError(400, 20001, `Invalid parameter ${parameter}: ${reason}`, parameter);
}

/** 400/20001 for a parameter the operation requires. */
export function missingParameter(parameter: string): EmulatorRequestError {
  return new EmulatorRequestError(400, 20001, `Missing required parameter ${parameter}`, parameter);
}

/** 400/20001 for a request that is well-formed but not allowed in the current state. */
export function badRequest(message: string, parameter?: string): EmulatorRequestError {
  return new EmulatorRequestError(400, 20001, message, parameter);
}

/** 404/20404 for an unknown path or SID. */
export function notFound(path: string): EmulatorRequestError {
  return new EmulatorRequestError(404, 20404, `The requested resource ${path} was not found`);
}

/**
 * A snapshot the emulator cannot restore: of another format or version, or damaged. `field`
 * names the part at fault.
 */
export class EmulatorSnapshotError extends Error {
  /** The part of the snapshot at fault, such as `version` or `state`. */
  readonly field: string;
  /** Why it cannot be used. */
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`Cannot restore the emulator snapshot: ${field} ${reason}`);
    this.name = 'EmulatorSnapshotError';
    this.field = field;
    this.reason = reason;
  }
}
