import { TaskRouterValidationError } from '@taskrouter/core';
import {
  booleanField,
  type CallbackFields,
  type FieldMap,
  jsonField,
  numberField,
  rawFields,
  readCallback,
  requiredText,
  timestampField,
} from './callback-fields.js';
import type { JsonObject, TaskStatus } from './types.js';

/** Every event type TaskRouter documents, by the kind of resource it is about. */
export interface EventTypesByResource {
  /** Events about activities. */
  activity: 'activity.created' | 'activity.updated' | 'activity.deleted';
  /** Events about reservations. */
  reservation:
    | 'reservation.created'
    | 'reservation.accepted'
    | 'reservation.rejected'
    | 'reservation.timeout'
    | 'reservation.canceled'
    | 'reservation.rescinded'
    | 'reservation.completed'
    | 'reservation.failed'
    | 'reservation.wrapup';
  /** Events about tasks. */
  task:
    | 'task.created'
    | 'task.updated'
    | 'task.canceled'
    | 'task.wrapup'
    | 'task.completed'
    | 'task.deleted'
    | 'task.system-deleted'
    | 'task.transfer-initiated'
    | 'task.transfer-attempt-failed'
    | 'task.transfer-failed'
    | 'task.transfer-canceled'
    | 'task.transfer-completed';
  /** Events about task channels. */
  taskChannel: 'task-channel.created' | 'task-channel.updated' | 'task-channel.deleted';
  /** Events about task queues. */
  taskQueue:
    | 'task-queue.created'
    | 'task-queue.deleted'
    | 'task-queue.entered'
    | 'task-queue.timeout'
    | 'task-queue.moved'
    | 'task-queue.expression.updated';
  /** Events about workers. */
  worker:
    | 'worker.created'
    | 'worker.activity.update'
    | 'worker.attributes.update'
    | 'worker.capacity.update'
    | 'worker.channel.availability.update'
    | 'worker.deleted';
  /** Events about workflows. */
  workflow:
    | 'workflow.created'
    | 'workflow.updated'
    | 'workflow.deleted'
    | 'workflow.target-matched'
    | 'workflow.entered'
    | 'workflow.timeout'
    | 'workflow.skipped';
  /** Events about the workspace. */
  workspace: 'workspace.created' | 'workspace.updated' | 'workspace.deleted';
}

/** An event type TaskRouter documents. */
export type KnownEventType = EventTypesByResource[keyof EventTypesByResource];

/** The fields every event callback carries. */
export interface EventCallbackBase {
  /** Tells an event callback from an assignment callback. */
  readonly kind: 'event';
  /** When the event happened. */
  readonly timestamp: Date;
  /** The event's SID (`EV…`), when the callback carries it. */
  readonly sid: string | undefined;
  /** The account (`AC…`). */
  readonly accountSid: string;
  /** The workspace (`WS…`). */
  readonly workspaceSid: string;
  /** The workspace's name. */
  readonly workspaceName: string | undefined;
  /** A sentence describing the event. */
  readonly eventDescription: string | undefined;
  /** The kind of resource the event is about, such as `task` or `worker`. */
  readonly resourceType: string | undefined;
  /** The resource the event is about. */
  readonly resourceSid: string | undefined;
  /** Every form field as received, including any this view does not name. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Fields describing a task, on task, reservation and routing events. */
export interface TaskEventFields<TaskAttributes> {
  /** The task (`WT…`). */
  readonly taskSid: string;
  /** The task's attributes, parsed (`undefined` when not sent). */
  readonly taskAttributes: TaskAttributes | undefined;
  /** Seconds the task had existed. */
  readonly taskAge: number | undefined;
  /** The task's priority. */
  readonly taskPriority: number | undefined;
  /** The task's assignment status after the event. */
  readonly taskAssignmentStatus: TaskStatus | undefined;
  /** Why the task was canceled. */
  readonly taskCanceledReason: string | undefined;
  /** Why the task was completed. */
  readonly taskCompletedReason: string | undefined;
  /** The task's queue (`WQ…`). */
  readonly taskQueueSid: string | undefined;
  /** The task queue's name. */
  readonly taskQueueName: string | undefined;
  /** The task's workflow (`WW…`). */
  readonly workflowSid: string | undefined;
  /** The workflow's name. */
  readonly workflowName: string | undefined;
  /** The task's channel (`TC…`). */
  readonly taskChannelSid: string | undefined;
  /** The task channel's unique name. */
  readonly taskChannelUniqueName: string | undefined;
}

/** Fields describing a worker, on worker and reservation events. */
export interface WorkerEventFields<WorkerAttributes> {
  /** The worker (`WK…`). */
  readonly workerSid: string;
  /** The worker's name. */
  readonly workerName: string | undefined;
  /** The worker's attributes, parsed (`undefined` when not sent). */
  readonly workerAttributes: WorkerAttributes | undefined;
  /** The worker's activity after the event (`WA…`). */
  readonly workerActivitySid: string | undefined;
  /** That activity's name. */
  readonly workerActivityName: string | undefined;
  /** The worker's version after the event. */
  readonly workerVersion: string | undefined;
}

/** Fields of `worker.activity.update`. */
export interface WorkerActivityChangeFields {
  /** Seconds the worker spent in the previous activity. */
  readonly workerTimeInPreviousActivity: number | undefined;
  /** Milliseconds the worker spent in the previous activity. */
  readonly workerTimeInPreviousActivityMs: number | undefined;
  /** The previous activity (`WA…`). */
  readonly workerPreviousActivitySid: string | undefined;
  /** The previous activity's name. */
  readonly workerPreviousActivityName: string | undefined;
}

/** Fields of `worker.capacity.update` and `worker.channel.availability.update`. */
export interface WorkerChannelChangeFields {
  /** The task channel (`TC…`). */
  readonly taskChannelSid: string | undefined;
  /** The task channel's unique name. */
  readonly taskChannelUniqueName: string | undefined;
  /** Whether the worker is available on the channel. */
  readonly workerChannelAvailable: boolean | undefined;
  /** The worker's capacity left on the channel. */
  readonly workerChannelAvailableCapacity: number | undefined;
  /** The worker's capacity on the channel before the change. */
  readonly workerChannelPreviousCapacity: number | undefined;
  /** Tasks the worker has on the channel. */
  readonly workerChannelTaskCount: number | undefined;
}

/** Fields of task channel events. */
export interface TaskChannelEventFields {
  /** The task channel (`TC…`). */
  readonly taskChannelSid: string;
  /** Its name. */
  readonly taskChannelName: string | undefined;
  /** Its unique name. */
  readonly taskChannelUniqueName: string | undefined;
  /** Whether channel-optimised routing is on. */
  readonly taskChannelOptimizedRouting: boolean | undefined;
}

/** Fields of task queue events. */
export interface TaskQueueEventFields {
  /** The task queue (`WQ…`). */
  readonly taskQueueSid: string;
  /** Its name. */
  readonly taskQueueName: string | undefined;
  /** Its `targetWorkers` expression. */
  readonly taskQueueTargetExpression: string | undefined;
}

/** Fields of workflow events. */
export interface WorkflowEventFields {
  /** The workflow (`WW…`). */
  readonly workflowSid: string;
  /** Its name. */
  readonly workflowName: string | undefined;
  /** The filter that matched (`workflow.target-matched`). */
  readonly workflowFilterName: string | undefined;
}

/** Fields of activity events. */
export interface ActivityEventFields {
  /** The activity (`WA…`), the event's resource. */
  readonly activitySid: string | undefined;
}

/**
 * The fields each kind of event adds to {@link EventCallbackBase}. Events about queues and
 * workflows that concern a task (`task-queue.entered`, `workflow.target-matched`…) carry the
 * task's fields too; `taskSid` is then set.
 */
export interface EventFieldsByResource<TaskAttributes, WorkerAttributes> {
  /** Activity events. */
  activity: ActivityEventFields;
  /** Reservation events: the reservation, its task and its worker. */
  reservation: { readonly reservationSid: string } & TaskEventFields<TaskAttributes> &
    WorkerEventFields<WorkerAttributes>;
  /** Task events. */
  task: TaskEventFields<TaskAttributes>;
  /** Task channel events. */
  taskChannel: TaskChannelEventFields;
  /** Task queue events. */
  taskQueue: TaskQueueEventFields & Partial<TaskEventFields<TaskAttributes>>;
  /** Worker events. */
  worker: WorkerEventFields<WorkerAttributes> &
    Partial<WorkerActivityChangeFields> &
    Partial<WorkerChannelChangeFields>;
  /** Workflow events. */
  workflow: WorkflowEventFields &
    Partial<Omit<TaskEventFields<TaskAttributes>, 'workflowSid' | 'workflowName'>>;
  /** Workspace events. */
  workspace: {};
}

/** The resource kind of a known event type. */
export type ResourceOfEvent<Type extends KnownEventType> = {
  [Resource in keyof EventTypesByResource]: Type extends EventTypesByResource[Resource] ? Resource : never;
}[keyof EventTypesByResource];

/** The callback of one known event type, with the fields its kind of event carries. */
export type KnownEventCallback<
  Type extends KnownEventType,
  TaskAttributes = JsonObject,
  WorkerAttributes = JsonObject,
> = EventCallbackBase & {
  /** The event type; `known` tells it from an event type this version does not know. */
  readonly eventType: Type;
  /** `true`: the event type is one this package knows. */
  readonly known: true;
} & EventFieldsByResource<TaskAttributes, WorkerAttributes>[ResourceOfEvent<Type>];

/**
 * An event whose type this version does not know (TaskRouter added one): kept with its common
 * fields and every raw field rather than thrown away.
 */
export interface UnknownEventCallback extends EventCallbackBase {
  /** The event type as TaskRouter sent it. */
  readonly eventType: string;
  /** `false`: read what you need from `fields`. */
  readonly known: false;
}

/**
 * What TaskRouter posts to a workspace's `EventCallbackUrl`: a union discriminated by `known`,
 * then by `eventType`, each member with the fields its event carries.
 *
 * @example
 * ```ts
 * function describe(event: EventCallback): string {
 *   if (!event.known) return `new event type ${event.eventType}`;
 *   switch (event.eventType) {
 *     case 'reservation.accepted':
 *       return `${event.workerName} took ${event.taskSid}`;
 *     case 'worker.activity.update':
 *       return `${event.workerName} is now ${event.workerActivityName}`;
 *     default:
 *       return event.eventType;
 *   }
 * }
 * ```
 */
export type EventCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject> =
  | { [Type in KnownEventType]: KnownEventCallback<Type, TaskAttributes, WorkerAttributes> }[KnownEventType]
  | UnknownEventCallback;

const RESOURCE_OF_PREFIX: ReadonlyMap<string, keyof EventTypesByResource> = new Map([
  ['activity', 'activity'],
  ['reservation', 'reservation'],
  ['task', 'task'],
  ['task-channel', 'taskChannel'],
  ['task-queue', 'taskQueue'],
  ['worker', 'worker'],
  ['workflow', 'workflow'],
  ['workspace', 'workspace'],
]);

/** The documented event names after each resource prefix (`task-queue` + `entered`). */
const EVENT_NAMES: Readonly<Record<string, readonly string[]>> = {
  activity: ['created', 'updated', 'deleted'],
  reservation: [
    'created',
    'accepted',
    'rejected',
    'timeout',
    'canceled',
    'rescinded',
    'completed',
    'failed',
    'wrapup',
  ],
  task: [
    ...['created', 'updated', 'canceled', 'wrapup', 'completed', 'deleted', 'system-deleted'],
    ...['initiated', 'attempt-failed', 'failed', 'canceled', 'completed'].map((step) => `transfer-${step}`),
  ],
  'task-channel': ['created', 'updated', 'deleted'],
  'task-queue': ['created', 'deleted', 'entered', 'timeout', 'moved', 'expression.updated'],
  worker: [
    'created',
    'activity.update',
    'attributes.update',
    'capacity.update',
    'channel.availability.update',
    'deleted',
  ],
  workflow: ['created', 'updated', 'deleted', 'target-matched', 'entered', 'timeout', 'skipped'],
  workspace: ['created', 'updated', 'deleted'],
};

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.entries(EVENT_NAMES).flatMap(([resource, names]) => names.map((name) => `${resource}.${name}`)),
);

type FieldKind = 'text' | 'number' | 'boolean' | 'json';

/** The typed fields an event may carry, by form name; their camelCase name is the form name uncapitalised. */
const EVENT_FIELDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ['ReservationSid', 'text'],
  ['TaskSid', 'text'],
  ['TaskAttributes', 'json'],
  ['TaskAge', 'number'],
  ['TaskPriority', 'number'],
  ['TaskAssignmentStatus', 'text'],
  ['TaskCanceledReason', 'text'],
  ['TaskCompletedReason', 'text'],
  ['TaskQueueSid', 'text'],
  ['TaskQueueName', 'text'],
  ['TaskQueueTargetExpression', 'text'],
  ['WorkflowSid', 'text'],
  ['WorkflowName', 'text'],
  ['WorkflowFilterName', 'text'],
  ['TaskChannelSid', 'text'],
  ['TaskChannelName', 'text'],
  ['TaskChannelUniqueName', 'text'],
  ['TaskChannelOptimizedRouting', 'boolean'],
  ['WorkerSid', 'text'],
  ['WorkerName', 'text'],
  ['WorkerAttributes', 'json'],
  ['WorkerActivitySid', 'text'],
  ['WorkerActivityName', 'text'],
  ['WorkerVersion', 'text'],
  ['WorkerTimeInPreviousActivity', 'number'],
  ['WorkerTimeInPreviousActivityMs', 'number'],
  ['WorkerPreviousActivitySid', 'text'],
  ['WorkerPreviousActivityName', 'text'],
  ['WorkerChannelAvailable', 'boolean'],
  ['WorkerChannelAvailableCapacity', 'number'],
  ['WorkerChannelPreviousCapacity', 'number'],
  ['WorkerChannelTaskCount', 'number'],
]);

/** The form fields each kind of event must carry. */
const REQUIRED_BY_RESOURCE: Readonly<Record<keyof EventTypesByResource, readonly string[]>> = {
  activity: [],
  reservation: ['ReservationSid', 'TaskSid', 'WorkerSid'],
  task: ['TaskSid'],
  taskChannel: ['TaskChannelSid'],
  taskQueue: ['TaskQueueSid'],
  worker: ['WorkerSid'],
  workflow: ['WorkflowSid'],
  workspace: [],
};

function typedField(fields: FieldMap, name: string, kind: FieldKind): unknown {
  switch (kind) {
    case 'number':
      return numberField(fields, name);
    case 'boolean':
      return booleanField(fields, name);
    case 'json':
      return jsonField(fields, name);
    default:
      return fields.get(name) || undefined;
  }
}

const uncapitalize = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Reads an event callback: from its form fields, or from a web `Request` (whose body is read).
 * Check the signature first (see `receiveWebhook`, which does both). An event type this version
 * does not know gives an {@link UnknownEventCallback} rather than an error.
 *
 * @throws {@link TaskRouterValidationError} naming the field when one the event needs is missing
 *   or malformed.
 * @example
 * ```ts
 * const event = parseEventCallback(
 *   'EventType=worker.activity.update&AccountSid=AC00000000000000000000000000000000' +
 *     '&WorkspaceSid=WS00000000000000000000000000000000&Timestamp=1700000000' +
 *     '&WorkerSid=WK00000000000000000000000000000000&WorkerName=Alice&WorkerActivityName=Available',
 * );
 * if (event.known && event.eventType === 'worker.activity.update') {
 *   console.log(event.workerName, event.workerActivityName); // Alice Available
 * }
 * ```
 */
export function parseEventCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject>(
  input: Request,
): Promise<EventCallback<TaskAttributes, WorkerAttributes>>;
export function parseEventCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject>(
  input: CallbackFields,
): EventCallback<TaskAttributes, WorkerAttributes>;
export function parseEventCallback(input: Request | CallbackFields): unknown {
  return readCallback(input, eventFrom);
}

function eventFrom(fields: FieldMap): EventCallback<unknown, unknown> {
  const eventType = requiredText(fields, 'EventType');
  const known = KNOWN_EVENT_TYPES.has(eventType);
  const event: Record<string, unknown> = {
    kind: 'event',
    eventType,
    known,
    timestamp: timestampField(fields),
    sid: fields.get('Sid') || undefined,
    accountSid: requiredText(fields, 'AccountSid'),
    workspaceSid: requiredText(fields, 'WorkspaceSid'),
    workspaceName: fields.get('WorkspaceName'),
    eventDescription: fields.get('EventDescription'),
    resourceType: fields.get('ResourceType'),
    resourceSid: fields.get('ResourceSid') || undefined,
  };
  if (known) {
    const resource = RESOURCE_OF_PREFIX.get(eventType.slice(0, eventType.indexOf('.')));
    if (resource === undefined)
      throw new TaskRouterValidationError('EventType', `has no resource: ${eventType}`);
    for (const name of REQUIRED_BY_RESOURCE[resource]) requiredText(fields, name);
    for (const [name, kind] of EVENT_FIELDS) event[uncapitalize(name)] = typedField(fields, name, kind);
    if (resource === 'activity') event.activitySid = event.resourceSid;
  }
  event.fields = rawFields(fields);
  return event as unknown as EventCallback<unknown, unknown>;
}
