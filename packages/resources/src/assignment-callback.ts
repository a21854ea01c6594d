import {
  type CallbackFields,
  type FieldMap,
  jsonField,
  numberField,
  rawFields,
  readCallback,
  requiredText,
  timestampField,
} from './callback-fields.js';
import type { JsonObject } from './types.js';

/**
 * What TaskRouter posts to a workflow's `AssignmentCallbackUrl` when it reserves a worker for a
 * task, in camelCase with the attributes parsed. `TaskAttributes` and `WorkerAttributes` describe
 * the parsed attribute documents.
 */
export interface AssignmentCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject> {
  /** Tells an assignment callback from an event callback. */
  readonly kind: 'assignment';
  /** When TaskRouter sent the callback. */
  readonly timestamp: Date;
  /** The account (`AC…`). */
  readonly accountSid: string;
  /** The workspace (`WS…`). */
  readonly workspaceSid: string;
  /** The workflow that routed the task (`WW…`); `null` when the callback names none. */
  readonly workflowSid: string | null;
  /** The queue the task waited in (`WQ…`); `null` for a task routed straight to the worker. */
  readonly taskQueueSid: string | null;
  /** The task (`WT…`). */
  readonly taskSid: string;
  /** The task's attributes, parsed. */
  readonly taskAttributes: TaskAttributes;
  /** Seconds the task has existed. */
  readonly taskAge: number;
  /** The task's priority. */
  readonly taskPriority: number;
  /** The reserved worker (`WK…`). */
  readonly workerSid: string;
  /** The worker's attributes, parsed. */
  readonly workerAttributes: WorkerAttributes;
  /** The reservation to answer (`WR…`). */
  readonly reservationSid: string;
  /** Every form field as received, including any this view does not name. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Reads an assignment callback: from its form fields, or from a web `Request` (whose body is
 * read). Check the signature first (see `receiveWebhook`, which does both).
 *
 * @throws {@link TaskRouterValidationError} naming the field when one is missing or malformed.
 * @example
 * ```ts
 * interface Ticket { language: string }
 * interface Agent { languages: string[] }
 *
 * const callback = parseAssignmentCallback<Ticket, Agent>(
 *   'AccountSid=AC00000000000000000000000000000000&WorkspaceSid=WS00000000000000000000000000000000' +
 *     '&WorkflowSid=WW00000000000000000000000000000000&TaskQueueSid=WQ00000000000000000000000000000000' +
 *     '&TaskSid=WT00000000000000000000000000000000&ReservationSid=WR00000000000000000000000000000000' +
 *     '&WorkerSid=WK00000000000000000000000000000000&TaskAge=12&TaskPriority=0&Timestamp=1700000000' +
 *     `&TaskAttributes=${encodeURIComponent('{"language":"fr"}')}` +
 *     `&WorkerAttributes=${encodeURIComponent('{"languages":["fr","en"]}')}`,
 * );
 * const answer = callback.workerAttributes.languages.includes(callback.taskAttributes.language)
 *   ? instruction.accept()
 *   : instruction.reject();
 * console.log(answer); // { instruction: 'accept' }
 * ```
 */
export function parseAssignmentCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject>(
  input: Request,
): Promise<AssignmentCallback<TaskAttributes, WorkerAttributes>>;
export function parseAssignmentCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject>(
  input: CallbackFields,
): AssignmentCallback<TaskAttributes, WorkerAttributes>;
export function parseAssignmentCallback(input: Request | CallbackFields): unknown {
  return readCallback(input, assignmentFrom);
}

function assignmentFrom(fields: FieldMap): AssignmentCallback<unknown, unknown> {
  return {
    kind: 'assignment',
    timestamp: timestampField(fields),
    accountSid: requiredText(fields, 'AccountSid'),
    workspaceSid: requiredText(fields, 'WorkspaceSid'),
    workflowSid: fields.get('WorkflowSid') || null,
    taskQueueSid: fields.get('TaskQueueSid') || null,
    taskSid: requiredText(fields, 'TaskSid'),
    taskAttributes: jsonField(fields, 'TaskAttributes') ?? {},
    taskAge: numberField(fields, 'TaskAge') ?? 0,
    taskPriority: numberField(fields, 'TaskPriority') ?? 0,
    workerSid: requiredText(fields, 'WorkerSid'),
    workerAttributes: jsonField(fields, 'WorkerAttributes') ?? {},
    reservationSid: requiredText(fields, 'ReservationSid'),
    fields: rawFields(fields),
  };
}
