import { isSid, type SidPrefix, TaskRouterValidationError } from '@taskrouter/core';

/** Turns a camelCase string literal into snake_case: `postWorkActivitySid` → `post_work_activity_sid`. */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/**
 * The JSON TaskRouter reads from an assignment callback's answer for instruction `Name` whose
 * options are `Options`: snake_case keys, lists sent as comma-separated text.
 */
export type InstructionOf<Name extends string, Options> = { readonly instruction: Name } & {
  readonly [K in keyof Options as SnakeCase<K & string>]: Options[K] extends readonly unknown[] | undefined
    ? string
    : Exclude<Options[K], undefined>;
};

/** Call progress events a status callback can report. */
export type CallStatusEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
/** Conference events a conference status callback can report. */
export type ConferenceEvent = 'start' | 'end' | 'join' | 'leave' | 'mute' | 'hold' | 'speaker';
/** HTTP methods a callback can be requested with. */
export type CallbackMethod = 'GET' | 'POST';

/** Options of {@link instruction}`.reject`. */
export interface RejectOptions {
  /** Activity (`WA…`) to move the worker to, usually an unavailable one, so the task goes to someone else. */
  activitySid?: string | undefined;
}

/** Options of {@link instruction}`.dequeue`: connects the caller waiting in `<Enqueue>` to the worker. */
export interface DequeueOptions {
  /** Caller ID of the call to the worker (a Twilio number of the account). */
  from: string;
  /** Where to call the worker; defaults to the worker's `contact_uri` attribute. */
  to?: string | undefined;
  /** Activity (`WA…`) the worker moves to when the call ends. */
  postWorkActivitySid?: string | undefined;
  /** Whether to record the call. */
  record?: 'record-from-answer' | 'do-not-record' | undefined;
  /** Seconds to let the worker's phone ring, 1 to 999 (TaskRouter's default is 60). */
  timeout?: number | undefined;
  /** URL that receives the call's progress events. */
  statusCallbackUrl?: string | undefined;
  /** The events sent to `statusCallbackUrl`. */
  statusCallbackEvents?: readonly CallStatusEvent[] | undefined;
}

/** Options of {@link instruction}`.call`: calls the worker and plays the TwiML at `url`. */
export interface CallOptions {
  /** Caller ID of the call to the worker. */
  from: string;
  /** Where to call the worker; defaults to the worker's `contact_uri` attribute. */
  to?: string | undefined;
  /** URL of the TwiML to run when the worker answers. */
  url: string;
  /** Whether the reservation is accepted as the call is placed (TaskRouter's default is `false`). */
  accept?: boolean | undefined;
  /** Whether to record the call. */
  record?: boolean | undefined;
  /** Seconds to let the worker's phone ring. */
  timeout?: number | undefined;
  /** URL that receives the call's progress events. */
  statusCallbackUrl?: string | undefined;
}

/** Options of {@link instruction}`.redirect`: moves a live call to new TwiML. */
export interface RedirectOptions {
  /** The call to move (`CA…`). */
  callSid: string;
  /** URL of the TwiML the call continues with. */
  url: string;
  /** Whether the reservation is accepted as the call is redirected (TaskRouter's default is `false`). */
  accept?: boolean | undefined;
}

/**
 * Options of {@link instruction}`.conference`: dials the worker into a conference named after the
 * task and moves the caller in; the reservation is accepted when both are connected.
 */
export interface ConferenceOptions {
  /** Caller ID of the call to the worker. */
  from?: string | undefined;
  /** Where to call the worker; defaults to the worker's `contact_uri` attribute. */
  to?: string | undefined;
  /** Activity (`WA…`) the worker moves to when the conference ends. */
  postWorkActivitySid?: string | undefined;
  /** Seconds to let the worker's phone ring. */
  timeout?: number | undefined;
  /** Whether to record the worker's leg. */
  record?: boolean | undefined;
  /** Whether the worker joins muted. */
  muted?: boolean | undefined;
  /** When to beep: `true`, `false`, `onEnter` or `onExit`. */
  beep?: 'true' | 'false' | 'onEnter' | 'onExit' | undefined;
  /** Whether the conference starts when the worker joins. */
  startConferenceOnEnter?: boolean | undefined;
  /** Whether the conference ends when the worker leaves. */
  endConferenceOnExit?: boolean | undefined;
  /** Whether the conference ends when the customer leaves. */
  endConferenceOnCustomerExit?: boolean | undefined;
  /** Whether to beep when the customer joins. */
  beepOnCustomerEntrance?: boolean | undefined;
  /** URL of the hold music TwiML. */
  waitUrl?: string | undefined;
  /** Method of `waitUrl`. */
  waitMethod?: CallbackMethod | undefined;
  /** Whether to pass early media (ringing) to the caller. */
  earlyMedia?: boolean | undefined;
  /** Most participants, 2 to 250. */
  maxParticipants?: number | undefined;
  /** URL that receives conference events. */
  conferenceStatusCallback?: string | undefined;
  /** Method of `conferenceStatusCallback`. */
  conferenceStatusCallbackMethod?: CallbackMethod | undefined;
  /** The events sent to `conferenceStatusCallback`. */
  conferenceStatusCallbackEvent?: readonly ConferenceEvent[] | undefined;
  /** Whether to record the conference: `true`, `false`, `record-from-start` or `do-not-record`. */
  conferenceRecord?: 'true' | 'false' | 'record-from-start' | 'do-not-record' | undefined;
  /** Whether to trim silence from the recording: `trim-silence` or `do-not-trim`. */
  conferenceTrim?: 'trim-silence' | 'do-not-trim' | undefined;
  /** `mono` or `dual` channel recording. */
  recordingChannels?: 'mono' | 'dual' | undefined;
  /** URL told when the worker leg's recording is ready. */
  recordingStatusCallback?: string | undefined;
  /** Method of `recordingStatusCallback`. */
  recordingStatusCallbackMethod?: CallbackMethod | undefined;
  /** URL told when the conference recording is ready. */
  conferenceRecordingStatusCallback?: string | undefined;
  /** Method of `conferenceRecordingStatusCallback`. */
  conferenceRecordingStatusCallbackMethod?: CallbackMethod | undefined;
  /** Twilio region the conference is mixed in, such as `us1` or `ie1`. */
  region?: string | undefined;
  /** User name for a SIP `to`; needs `sipAuthPassword`. */
  sipAuthUsername?: string | undefined;
  /** Password for a SIP `to`; needs `sipAuthUsername`. */
  sipAuthPassword?: string | undefined;
  /** URL that receives the worker call's progress events. */
  statusCallback?: string | undefined;
  /** Method of `statusCallback`. */
  statusCallbackMethod?: CallbackMethod | undefined;
  /** The events sent to `statusCallback`. */
  statusCallbackEvent?: readonly CallStatusEvent[] | undefined;
}

/** Accept the reservation. */
export type AcceptInstruction = InstructionOf<'accept', {}>;
/** Reject the reservation, optionally moving the worker to another activity. */
export type RejectInstruction = InstructionOf<'reject', RejectOptions>;
/** Connect the waiting caller to the worker. */
export type DequeueInstruction = InstructionOf<'dequeue', DequeueOptions>;
/** Call the worker with TwiML of your own. */
export type CallInstruction = InstructionOf<'call', CallOptions>;
/** Bring caller and worker into a conference. */
export type ConferenceInstruction = InstructionOf<'conference', ConferenceOptions>;
/** Move a live call to new TwiML. */
export type RedirectInstruction = InstructionOf<'redirect', RedirectOptions>;
/** Every answer TaskRouter accepts from an assignment callback. */
export type AssignmentInstruction =
  | AcceptInstruction
  | RejectInstruction
  | DequeueInstruction
  | CallInstruction
  | ConferenceInstruction
  | RedirectInstruction;

/** How one option is checked; its JSON name is its snake_case name. */
type Check =
  | { kind: 'text' | 'url' | 'boolean' }
  | { kind: 'sid'; prefix: SidPrefix }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'oneOf' | 'list'; values: readonly string[] };

interface InstructionRules {
  readonly options: Readonly<Record<string, Check>>;
  readonly required?: readonly string[];
  /** Options that only make sense together with another one. */
  readonly needs?: Readonly<Record<string, string>>;
}

const text: Check = { kind: 'text' };
const url: Check = { kind: 'url' };
const flag: Check = { kind: 'boolean' };
const method: Check = { kind: 'oneOf', values: ['GET', 'POST'] };
const activity: Check = { kind: 'sid', prefix: 'WA' };
const seconds: Check = { kind: 'integer', min: 1, max: 999 };
const callEvents: Check = { kind: 'list', values: ['initiated', 'ringing', 'answered', 'completed'] };

const RULES = {
  reject: { options: { activitySid: activity } },
  dequeue: {
    options: {
      from: text,
      to: text,
      postWorkActivitySid: activity,
      record: { kind: 'oneOf', values: ['record-from-answer', 'do-not-record'] },
      timeout: seconds,
      statusCallbackUrl: url,
      statusCallbackEvents: callEvents,
    },
    required: ['from'],
    needs: { statusCallbackEvents: 'statusCallbackUrl' },
  },
  call: {
    options: {
      from: text,
      to: text,
      url,
      accept: flag,
      record: flag,
      timeout: seconds,
      statusCallbackUrl: url,
    },
    required: ['from', 'url'],
  },
  redirect: {
    options: { callSid: { kind: 'sid', prefix: 'CA' }, url, accept: flag },
    required: ['callSid', 'url'],
  },
  conference: {
    options: {
      from: text,
      to: text,
      postWorkActivitySid: activity,
      timeout: seconds,
      record: flag,
      muted: flag,
      beep: { kind: 'oneOf', values: ['true', 'false', 'onEnter', 'onExit'] },
      startConferenceOnEnter: flag,
      endConferenceOnExit: flag,
      endConferenceOnCustomerExit: flag,
      beepOnCustomerEntrance: flag,
      waitUrl: url,
      waitMethod: method,
      earlyMedia: flag,
      maxParticipants: { kind: 'integer', min: 2, max: 250 },
      conferenceStatusCallback: url,
      conferenceStatusCallbackMethod: method,
      conferenceStatusCallbackEvent: {
        kind: 'list',
        values: ['start', 'end', 'join', 'leave', 'mute', 'hold', 'speaker'],
      },
      conferenceRecord: { kind: 'oneOf', values: ['true', 'false', 'record-from-start', 'do-not-record'] },
      conferenceTrim: { kind: 'oneOf', values: ['trim-silence', 'do-not-trim'] },
      recordingChannels: { kind: 'oneOf', values: ['mono', 'dual'] },
      recordingStatusCallback: url,
      recordingStatusCallbackMethod: method,
      conferenceRecordingStatusCallback: url,
      conferenceRecordingStatusCallbackMethod: method,
      region: text,
      sipAuthUsername: text,
      sipAuthPassword: text,
      statusCallback: url,
      statusCallbackMethod: method,
      statusCallbackEvent: callEvents,
    },
    needs: {
      waitMethod: 'waitUrl',
      conferenceStatusCallbackMethod: 'conferenceStatusCallback',
      conferenceStatusCallbackEvent: 'conferenceStatusCallback',
      recordingStatusCallbackMethod: 'recordingStatusCallback',
      conferenceRecordingStatusCallbackMethod: 'conferenceRecordingStatusCallback',
      statusCallbackMethod: 'statusCallback',
      statusCallbackEvent: 'statusCallback',
      sipAuthUsername: 'sipAuthPassword',
      sipAuthPassword: 'sipAuthUsername',
    },
  },
} as const satisfies Record<string, InstructionRules>;

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function checked(field: string, value: unknown, check: Check): unknown {
  const fail = (reason: string): never => {
    throw new TaskRouterValidationError(field, reason);
  };
  switch (check.kind) {
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? value : fail('must be non-empty text');
    case 'url': {
      if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
        return fail('must be an absolute http or https URL');
      }
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('must be true or false');
    case 'sid':
      return isSid(value, check.prefix) ? value : fail(`must be a ${check.prefix} SID (34 characters)`);
    case 'integer':
      return Number.isInteger(value) && (value as number) >= check.min && (value as number) <= check.max
        ? value
        : fail(`must be a whole number from ${check.min} to ${check.max}`);
    case 'oneOf':
      return check.values.includes(value as string)
        ? value
        : fail(`must be one of ${check.values.join(', ')}`);
    case 'list': {
      const items = Array.isArray(value) ? (value as unknown[]) : fail('must be a list');
      if (items.length === 0) fail('must not be empty');
      for (const item of items) {
        if (!check.values.includes(item as string)) fail(`may only hold ${check.values.join(', ')}`);
      }
      return items.join(',');
    }
  }
}

function build(name: keyof typeof RULES, options: object | undefined): Record<string, unknown> {
  const rules: InstructionRules = RULES[name];
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TaskRouterValidationError('options', `of the ${name} instruction must be an object`);
  }
  const given = new Map(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
  for (const field of rules.required ?? []) {
    if (!given.has(field))
      throw new TaskRouterValidationError(field, `is required by the ${name} instruction`);
  }
  const answer: Record<string, unknown> = { instruction: name };
  for (const [field, value] of given) {
    const check = Object.hasOwn(rules.options, field) ? rules.options[field] : undefined;
    if (check === undefined) {
      throw new TaskRouterValidationError(field, `is not an option of the ${name} instruction`);
    }
    const partner = rules.needs?.[field];
    if (partner !== undefined && !given.has(partner)) {
      throw new TaskRouterValidationError(field, `needs ${partner} in the ${name} instruction`);
    }
    answer[snakeCase(field)] = checked(field, value, check);
  }
  return answer;
}

/**
 * Builds the answer to an assignment callback: the exact JSON TaskRouter expects (snake_case,
 * lists as comma-separated text), after checking the options. Send it with status 200 and a JSON
 * content type (`Response.json(answer)`).
 *
 * @throws {@link TaskRouterValidationError} naming the option when it is missing, malformed,
 *   unknown to the instruction, or given without the option it depends on.
 * @example
 * ```ts
 * console.log(instruction.accept()); // { instruction: 'accept' }
 * console.log(instruction.reject({ activitySid })); // { instruction: 'reject', activity_sid: 'WA…' }
 * console.log(
 *   instruction.dequeue({ from: '+15550100', statusCallbackUrl: 'https://example.com/calls', statusCallbackEvents: ['answered', 'completed'] }),
 * ); // { instruction: 'dequeue', from: '+15550100', status_callback_url: '…', status_callback_events: 'answered,completed' }
 * ```
 */
export const instruction = {
  /** Accepts the reservation. */
  accept: (): AcceptInstruction => ({ instruction: 'accept' }),
  /** Rejects the reservation; with `activitySid`, the worker moves to that activity. */
  reject: (options?: RejectOptions): RejectInstruction => build('reject', options) as RejectInstruction,
  /** Connects the caller waiting in `<Enqueue>` to the worker; accepts when the worker answers. */
  dequeue: (options: DequeueOptions): DequeueInstruction => build('dequeue', options) as DequeueInstruction,
  /** Calls the worker and runs the TwiML at `url`. */
  call: (options: CallOptions): CallInstruction => build('call', options) as CallInstruction,
  /** Dials the worker into a conference with the caller; accepts when both are in. */
  conference: (options: ConferenceOptions = {}): ConferenceInstruction =>
    build('conference', options) as ConferenceInstruction,
  /** Moves the live call `callSid` to the TwiML at `url`. */
  redirect: (options: RedirectOptions): RedirectInstruction =>
    build('redirect', options) as RedirectInstruction,
};
