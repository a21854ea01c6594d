import { checkIfMatch, found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import {
  EmulatorRequestError,
  badRequest,
  invalidParameter,
  missingParameter,
  notFound,
} from '../../domain/errors.js';
import {
  acceptReservation,
  addWorkerCallSid,
  changeWorkerActivity,
  completeTask,
  hasCallSid,
  rejectReservation,
  wrapUpTask,
} from '../../domain/lifecycle.js';
import { listPage } from '../paging.js';
import type { ReservationRecord, ReservationStatus, WorkspaceState } from '../../domain/state.js';
import { activityParameter } from './shared.js';
import { renderReservation } from '../../render/reservations.js';

const RESERVATION_STATUSES: readonly ReservationStatus[] = [
  'pending',
  'accepted',
  'rejected',
  'timeout',
  'canceled',
  'rescinded',
  'wrapping',
  'completed',
];
const INSTRUCTIONS = ['conference', 'dequeue', 'call', 'redirect', 'supervise'] as const;
type Instruction = (typeof INSTRUCTIONS)[number];
/** Instructions whose call to the worker TaskRouter notes as `worker_call_sid` on the task. */
const CALLS_WORKER: ReadonlySet<Instruction> = new Set(['dequeue', 'call']);

/** Which statuses a request may move a reservation to, and from where. */
const REQUESTABLE: Partial<Record<ReservationStatus, readonly ReservationStatus[]>> = {
  accepted: ['pending'],
  rejected: ['pending'],
  wrapping: ['accepted'],
  completed: ['accepted', 'wrapping'],
};

const HTTP_METHODS = ['GET', 'POST'] as const;
const CALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
const RECORD_MODES = ['record-from-answer', 'do-not-record'] as const;
const INTEGER_PARAMETERS: Readonly<Record<string, readonly [number, number]>> = {
  DequeueTimeout: [1, 999],
  CallTimeout: [1, 999],
  Timeout: [1, 999],
  MaxParticipants: [2, 250],
};
const BOOLEAN_PARAMETERS = [
  'CallAccept',
  'RedirectAccept',
  'Record',
  'Muted',
  'StartConferenceOnEnter',
  'EndConferenceOnExit',
  'EarlyMedia',
  'EndConferenceOnCustomerExit',
  'BeepOnCustomerEntrance',
];
const ENUM_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  StatusCallbackMethod: HTTP_METHODS,
  WaitMethod: HTTP_METHODS,
  ConferenceStatusCallbackMethod: HTTP_METHODS,
  RecordingStatusCallbackMethod: HTTP_METHODS,
  ConferenceRecordingStatusCallbackMethod: HTTP_METHODS,
  SupervisorMode: ['monitor', 'whisper', 'barge'],
  DequeueRecord: RECORD_MODES,
  CallRecord: RECORD_MODES,
};
const LIST_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  StatusCallbackEvent: CALL_EVENTS,
  DequeueStatusCallbackEvent: CALL_EVENTS,
  ConferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'mute', 'hold', 'speaker'],
};
const URL_PARAMETERS = [
  'DequeueStatusCallbackUrl',
  'CallUrl',
  'CallStatusCallbackUrl',
  'RedirectUrl',
  'StatusCallback',
  'WaitUrl',
  'ConferenceStatusCallback',
  'RecordingStatusCallback',
  'ConferenceRecordingStatusCallback',
];

/** SID of the task or worker the path goes through, or 404 when it does not exist. */
function parentOf(context: RequestContext, workspace: WorkspaceState, view: 'task' | 'worker'): string {
  const parents: ReadonlyMap<string, unknown> = view === 'task' ? workspace.tasks : workspace.workers;
  found(parents, view === 'task' ? context.path.TaskSid : context.path.WorkerSid, context);
  return (view === 'task' ? context.path.TaskSid : context.path.WorkerSid)!;
}

function reservationOf(
  context: RequestContext,
  view: 'task' | 'worker',
): [WorkspaceState, ReservationRecord] {
  const workspace = workspaceOf(context);
  const parentSid = parentOf(context, workspace, view);
  const reservation = workspace.reservations.get(context.path.Sid ?? '');
  const owner = view === 'task' ? reservation?.taskSid : reservation?.workerSid;
  if (!reservation || owner !== parentSid) throw notFound(context.pathname);
  return [workspace, reservation];
}

/** Validates every instruction parameter that was sent. */
function checkInstructionParameters(context: RequestContext, workspace: WorkspaceState): void {
  const params = context.params;
  for (const [name, [min, max]] of Object.entries(INTEGER_PARAMETERS)) params.integer(name, min, max);
  for (const name of BOOLEAN_PARAMETERS) params.boolean(name);
  for (const [name, allowed] of Object.entries(ENUM_PARAMETERS)) params.enumeration(name, allowed);
  for (const [name, allowed] of Object.entries(LIST_PARAMETERS)) {
    for (const value of params.list(name)) {
      if (!allowed.includes(value))
        throw invalidParameter(name, `must be one of ${allowed.join(', ')}, got '${value}'`);
    }
  }
  for (const name of URL_PARAMETERS) params.url(name);
  activityParameter(workspace, params, 'DequeuePostWorkActivitySid');
  activityParameter(workspace, params, 'PostWorkActivitySid');
  params.sid('RedirectCallSid', 'CA');
}

/** The `Instruction` parameter: anything but TaskRouter's five instructions is error 55555. */
function readInstruction(context: RequestContext): Instruction | undefined {
  const raw = context.params.string('Instruction');
  if (raw === undefined || (INSTRUCTIONS as readonly string[]).includes(raw))
    return raw as Instruction | undefined;
  throw new EmulatorRequestError(
    400,
    55555,
    `Invalid instruction '${raw}': Instruction must be one of ${INSTRUCTIONS.join(', ')} (to accept or reject, set ReservationStatus)`,
    'Instruction',
  );
}

/**
 * The error code TaskRouter documents for each instruction sent to a reservation that is no
 * longer pending.
 */
const NOT_PENDING_CODES = { conference: 40136, dequeue: 40135, call: 40114, redirect: 40123 } as const;

function requirePending(reservation: ReservationRecord, instruction: string, code: number): void {
  if (reservation.status !== 'pending') {
    throw new EmulatorRequestError(
      400,
      code,
      `Instruction ${instruction} needs a pending reservation; reservation ${reservation.sid} is ${reservation.status}`,
      'Instruction',
    );
  }
}

function checkInstruction(
  context: RequestContext,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  instruction: Instruction,
): void {
  const params = context.params;
  switch (instruction) {
    case 'supervise':
      if (reservation.status === 'pending' || reservation.status === 'canceled') {
        throw new EmulatorRequestError(
          400,
          40146,
          `Instruction supervise cannot act on a ${reservation.status} reservation (${reservation.sid})`,
          'Instruction',
        );
      }
      params.string('Supervisor', { required: true });
      return;
    case 'conference': {
      requirePending(reservation, instruction, NOT_PENDING_CODES.conference);
      const task = workspace.tasks.get(reservation.taskSid);
      if (task !== undefined && !hasCallSid(task)) {
        throw badRequest(
          `Instruction conference needs the task's attributes to name the caller's call_sid; task ${task.sid} has none`,
          'Instruction',
        );
      }
      return;
    }
    case 'dequeue':
      requirePending(reservation, instruction, NOT_PENDING_CODES.dequeue);
      return;
    case 'redirect':
      requirePending(reservation, instruction, NOT_PENDING_CODES.redirect);
      params.sid('RedirectCallSid', 'CA', { required: true });
      params.string('RedirectUrl', { required: true });
      return;
    case 'call': {
      requirePending(reservation, instruction, NOT_PENDING_CODES.call);
      params.string('CallFrom', { required: true });
      params.string('CallUrl', { required: true });
      const worker = workspace.workers.get(reservation.workerSid);
      if (params.string('CallTo') === undefined && typeof worker?.attributesValue.contact_uri !== 'string') {
        throw missingParameter('CallTo');
      }
      return;
    }
  }
}

function updateReservation(context: RequestContext, view: 'task' | 'worker') {
  const [workspace, reservation] = reservationOf(context, view);
  checkIfMatch(context, reservation);
  const params = context.params;
  const status = params.enumeration('ReservationStatus', RESERVATION_STATUSES);
  const instruction = readInstruction(context);
  const workerActivitySid = activityParameter(workspace, params, 'WorkerActivitySid');
  checkInstructionParameters(context, workspace);
  if (status !== undefined && instruction !== undefined) {
    throw badRequest('Send either ReservationStatus or Instruction, not both', 'Instruction');
  }
  if (status !== undefined) {
    const allowedFrom = REQUESTABLE[status];
    if (allowedFrom === undefined) {
      throw invalidParameter(
        'ReservationStatus',
        `${status} is set by TaskRouter itself and cannot be requested`,
      );
    }
    if (status === 'accepted' && reservation.status === 'rescinded') {
      throw new EmulatorRequestError(
        410,
        20001,
        `Reservation ${reservation.sid} was rescinded: another worker accepted the task first`,
        'ReservationStatus',
      );
    }
    if (!allowedFrom.includes(reservation.status)) {
      throw invalidParameter(
        'ReservationStatus',
        `reservation ${reservation.sid} is ${reservation.status}; only ${allowedFrom.join(' or ')} reservations can become ${status}`,
      );
    }
  }
  if (instruction !== undefined) checkInstruction(context, workspace, reservation, instruction);

  const task = workspace.tasks.get(reservation.taskSid);
  const worker = workspace.workers.get(reservation.workerSid);
  if (instruction !== undefined) {
    const parameters: Record<string, string | string[]> = {};
    for (const [name, values] of params.entries())
      parameters[name] = values.length === 1 ? values[0]! : values;
    reservation.instructions.push({ instruction, parameters, at: context.store.clock.nowMs() });
    if (task && CALLS_WORKER.has(instruction)) addWorkerCallSid(context, workspace, task);
  }
  const accepts =
    status === 'accepted' ||
    instruction === 'conference' ||
    instruction === 'dequeue' ||
    (instruction === 'call' && params.boolean('CallAccept') === true) ||
    (instruction === 'redirect' && params.boolean('RedirectAccept') === true);
  const rejects = status === 'rejected';
  if (accepts) acceptReservation(context, workspace, reservation);
  else if (rejects) rejectReservation(context, workspace, reservation, workerActivitySid);
  else if (status === 'wrapping' && task) wrapUpTask(context, workspace, task, null);
  else if (status === 'completed' && task) completeTask(context, workspace, task, null);
  if (workerActivitySid !== undefined && worker && !rejects)
    changeWorkerActivity(context, workspace, worker, workerActivitySid);
  context.store.listener.onChange(workspace, {
    kind: 'reservation',
    sid: reservation.sid,
    action: 'updated',
  });
  return {
    status: 200 as const,
    body: renderReservation(workspace, reservation, context.origin, view),
    etag: String(reservation.version),
  };
}

function listReservations(context: RequestContext, view: 'task' | 'worker') {
  const workspace = workspaceOf(context);
  const parentSid = parentOf(context, workspace, view);
  const status = context.params.enumeration('ReservationStatus', RESERVATION_STATUSES);
  const workerSid = view === 'task' ? context.params.string('WorkerSid') : undefined;
  const index = view === 'task' ? workspace.reservationsByTask : workspace.reservationsByWorker;
  return listPage(context, {
    items: index.get(parentSid) ?? [],
    matches: (reservation) =>
      (status === undefined || reservation.status === status) &&
      (workerSid === undefined || reservation.workerSid === workerSid),
    key: 'reservations',
    render: (reservation) => renderReservation(workspace, reservation, context.origin, view),
  });
}

function fetchReservation(context: RequestContext, view: 'task' | 'worker') {
  const [workspace, reservation] = reservationOf(context, view);
  return {
    status: 200 as const,
    body: renderReservation(workspace, reservation, context.origin, view),
    etag: String(reservation.version),
  };
}

export const reservationHandlers = {
  ListTaskReservation: (context) => listReservations(context, 'task'),
  FetchTaskReservation: (context) => fetchReservation(context, 'task'),
  UpdateTaskReservation: (context) => updateReservation(context, 'task'),
  ListWorkerReservation: (context) => listReservations(context, 'worker'),
  FetchWorkerReservation: (context) => fetchReservation(context, 'worker'),
  UpdateWorkerReservation: (context) => updateReservation(context, 'worker'),
} satisfies Record<string, OperationHandler>;
