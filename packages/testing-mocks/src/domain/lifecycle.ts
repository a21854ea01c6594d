/**
 * State transitions shared by the REST handlers and the routing engine. Each function assumes
 * its caller validated the request, applies the whole transition and records its events.
 */
import { type EventSource, recordEvent, recordReservationEvent } from './event-log.js';
import { newSid } from './sid.js';
import type {
  ReservationRecord,
  ReservationStatus,
  TaskRecord,
  WorkerRecord,
  WorkspaceState,
} from './state.js';
import { touch } from './state.js';

/** Moves a worker to another activity and records `worker.activity.update`. */
export function changeWorkerActivity(
  source: EventSource,
  workspace: WorkspaceState,
  worker: WorkerRecord,
  activitySid: string,
): void {
  if (worker.activitySid === activitySid) return;
  const now = source.store.clock.nowMs();
  const previousSid = worker.activitySid;
  const elapsed = now - worker.dateStatusChanged;
  worker.activitySid = activitySid;
  worker.dateStatusChanged = now;
  touch(source, worker);
  const activityName = workspace.activities.get(activitySid)?.friendlyName ?? activitySid;
  recordEvent(source, workspace, {
    eventType: 'worker.activity.update',
    description: `Worker ${worker.friendlyName} updated to ${activityName} Activity`,
    resourceType: 'worker',
    resourceSid: worker.sid,
    worker,
    data: {
      worker_previous_activity_sid: previousSid,
      worker_previous_activity_name: workspace.activities.get(previousSid)?.friendlyName ?? null,
      worker_time_in_previous_activity: Math.floor(elapsed / 1000),
      worker_time_in_previous_activity_ms: elapsed,
    },
  });
}

/**
 * Offers a task to a worker: a pending reservation that holds capacity on the task's channel.
 * Routing calls this; the task must be pending or reserved.
 */
export function createReservation(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  worker: WorkerRecord,
  eventData?: Record<string, unknown>,
): ReservationRecord {
  const now = source.store.clock.nowMs();
  const reservation: ReservationRecord = {
    sid: newSid('WR'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    version: 0,
    taskSid: task.sid,
    workerSid: worker.sid,
    taskChannelSid: task.taskChannelSid,
    status: 'pending',
    instructions: [],
  };
  workspace.reservations.set(reservation.sid, reservation);
  appendTo(workspace.reservationsByTask, task.sid, reservation);
  appendTo(workspace.reservationsByWorker, worker.sid, reservation);
  const channel = workerChannelOf(workspace, reservation);
  if (channel) channel.reservedTasks++;
  if (task.assignmentStatus === 'pending') {
    task.assignmentStatus = 'reserved';
    touch(source, task);
  }
  recordReservationEvent(source, workspace, reservation, 'reservation.created', eventData);
  const queue = task.taskQueueSid ? workspace.taskQueues.get(task.taskQueueSid) : undefined;
  if (!workspace.record.multiTaskEnabled && queue?.reservationActivitySid) {
    if (worker.activitySid !== queue.reservationActivitySid) {
      reservation.activityBeforeReservation = worker.activitySid;
    }
    changeWorkerActivity(source, workspace, worker, queue.reservationActivitySid);
  }
  return reservation;
}

/**
 * pending → rejected. The worker moves to `activitySid` when given; otherwise it gets back the
 * activity it had before the queue's reservation activity replaced it, if that happened.
 */
export function rejectReservation(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  activitySid: string | undefined,
): void {
  endPendingReservation(source, workspace, reservation, 'rejected');
  const worker = workspace.workers.get(reservation.workerSid);
  const next = activitySid ?? reservation.activityBeforeReservation;
  if (worker && next !== undefined && workspace.activities.has(next)) {
    changeWorkerActivity(source, workspace, worker, next);
  }
}

/**
 * Puts a task in a queue: `task-queue.moved` when it leaves another one, then
 * `task-queue.entered`. The caller bumps the task's version when that is due.
 */
export function enterQueue(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  queueSid: string,
): void {
  const previousSid = task.taskQueueSid;
  if (previousSid === queueSid) return;
  task.taskQueueSid = queueSid;
  task.taskQueueEnteredAt = source.store.clock.nowMs();
  if (previousSid !== null) {
    recordEvent(source, workspace, {
      eventType: 'task-queue.moved',
      resourceType: 'task',
      resourceSid: task.sid,
      task,
      data: {
        task_queue_previous_sid: previousSid,
        task_queue_previous_name: workspace.taskQueues.get(previousSid)?.friendlyName ?? null,
      },
      // Listed under the queue the task left; its data tells the one it entered.
      taskQueueSid: previousSid,
    });
  }
  recordTaskEvent(source, workspace, task, 'task-queue.entered');
}

/** pending → accepted: the task is assigned and the task's other pending reservations are rescinded. */
export function acceptReservation(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
): void {
  const task = workspace.tasks.get(reservation.taskSid);
  setReservationStatus(source, workspace, reservation, 'accepted');
  if (!task) return;
  task.assignmentStatus = 'assigned';
  touch(source, task);
  source.store.listener.taskStatusChanged(workspace, task);
  for (const other of workspace.reservationsByTask.get(task.sid) ?? []) {
    if (other !== reservation && other.status === 'pending') {
      setReservationStatus(source, workspace, other, 'rescinded');
    }
  }
  const worker = workspace.workers.get(reservation.workerSid);
  const queue = task.taskQueueSid ? workspace.taskQueues.get(task.taskQueueSid) : undefined;
  if (worker && !workspace.record.multiTaskEnabled && queue?.assignmentActivitySid) {
    changeWorkerActivity(source, workspace, worker, queue.assignmentActivitySid);
  }
}

/**
 * Ends a pending reservation without acceptance (rejected, timeout, canceled or rescinded); the
 * task goes back to pending when none of its reservations is still pending.
 */
export function endPendingReservation(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  status: 'rejected' | 'timeout' | 'canceled' | 'rescinded',
): void {
  setReservationStatus(source, workspace, reservation, status);
  const task = workspace.tasks.get(reservation.taskSid);
  if (task?.assignmentStatus !== 'reserved') return;
  const stillPending = (workspace.reservationsByTask.get(task.sid) ?? []).some(
    (item) => item.status === 'pending',
  );
  if (!stillPending) {
    task.assignmentStatus = 'pending';
    touch(source, task);
  }
}

/** assigned → wrapping, with the accepted reservation. */
export function wrapUpTask(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  reason: string | null,
): void {
  task.assignmentStatus = 'wrapping';
  if (reason !== null) task.reason = reason;
  touch(source, task);
  source.store.listener.taskStatusChanged(workspace, task);
  recordTaskEvent(source, workspace, task, 'task.wrapup');
  for (const reservation of workspace.reservationsByTask.get(task.sid) ?? []) {
    if (reservation.status === 'accepted') setReservationStatus(source, workspace, reservation, 'wrapping');
  }
}

/** assigned or wrapping → completed; the reservation completes and frees its capacity. */
export function completeTask(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  reason: string | null,
): void {
  task.assignmentStatus = 'completed';
  task.reason = reason;
  touch(source, task);
  source.store.listener.taskStatusChanged(workspace, task);
  recordTaskEvent(source, workspace, task, 'task.completed');
  for (const reservation of workspace.reservationsByTask.get(task.sid) ?? []) {
    if (reservation.status === 'accepted' || reservation.status === 'wrapping') {
      setReservationStatus(source, workspace, reservation, 'completed');
    }
  }
}

/** pending or reserved → canceled; pending reservations are canceled with it. */
export function cancelTask(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  reason: string | null,
  description?: string,
): void {
  for (const reservation of workspace.reservationsByTask.get(task.sid) ?? []) {
    if (reservation.status === 'pending') setReservationStatus(source, workspace, reservation, 'canceled');
  }
  task.assignmentStatus = 'canceled';
  task.reason = reason;
  touch(source, task);
  source.store.listener.taskStatusChanged(workspace, task);
  recordEvent(source, workspace, {
    eventType: 'task.canceled',
    resourceType: 'task',
    resourceSid: task.sid,
    task,
    ...(description === undefined ? {} : { description }),
  });
}

/**
 * Deletes a task with its reservations: pending ones are canceled and an assigned or wrapping
 * task is completed first, so the worker's capacity is freed. `task.deleted` for an API call,
 * `task.system-deleted` when TaskRouter removes the task by itself.
 */
export function removeTask(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  eventType: 'task.deleted' | 'task.system-deleted',
): void {
  const reservations = workspace.reservationsByTask.get(task.sid) ?? [];
  for (const reservation of reservations) {
    if (reservation.status === 'pending') endPendingReservation(source, workspace, reservation, 'canceled');
  }
  if (task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping') {
    completeTask(source, workspace, task, 'Task deleted');
  }
  workspace.tasks.delete(task.sid);
  for (const reservation of reservations) {
    workspace.reservations.delete(reservation.sid);
    const byWorker = workspace.reservationsByWorker.get(reservation.workerSid);
    if (byWorker) byWorker.splice(byWorker.indexOf(reservation), 1);
  }
  workspace.reservationsByTask.delete(task.sid);
  recordTaskEvent(source, workspace, task, eventType);
  source.store.listener.onChange(workspace, { kind: 'task', sid: task.sid, action: 'deleted' });
}

/**
 * Notes the call a `dequeue` or `call` instruction places to the worker, as TaskRouter does: a
 * new `worker_call_sid` joins the task's attributes (`task.updated`).
 */
export function addWorkerCallSid(source: EventSource, workspace: WorkspaceState, task: TaskRecord): void {
  task.attributesValue = { ...task.attributesValue, worker_call_sid: newSid('CA') };
  task.attributes = JSON.stringify(task.attributesValue);
  touch(source, task);
  recordTaskEvent(source, workspace, task, 'task.updated');
}

/**
 * Whether a conference instruction can reach the caller: TaskRouter moves the call named by the
 * task's `call_sid` attribute into the conference, and accepts the reservation only if that works.
 */
export function hasCallSid(task: TaskRecord): boolean {
  const callSid = task.attributesValue.call_sid;
  return typeof callSid === 'string' && callSid !== '';
}

/** Records an event about a task, with the task's details (and `data`, if any). */
export function recordTaskEvent(
  source: EventSource,
  workspace: WorkspaceState,
  task: TaskRecord,
  eventType: string,
  data?: Record<string, unknown>,
): void {
  recordEvent(source, workspace, {
    eventType,
    resourceType: 'task',
    resourceSid: task.sid,
    task,
    ...(data ? { data } : {}),
  });
}

const RESERVATION_EVENTS: Record<Exclude<ReservationStatus, 'pending'>, string> = {
  accepted: 'reservation.accepted',
  rejected: 'reservation.rejected',
  timeout: 'reservation.timeout',
  canceled: 'reservation.canceled',
  rescinded: 'reservation.rescinded',
  wrapping: 'reservation.wrapup',
  completed: 'reservation.completed',
};

/** Changes a reservation's status, keeping the worker channel's counters in step. */
function setReservationStatus(
  source: EventSource,
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  status: Exclude<ReservationStatus, 'pending'>,
): void {
  const channel = workerChannelOf(workspace, reservation);
  const wasPending = reservation.status === 'pending';
  const wasAssigned = reservation.status === 'accepted' || reservation.status === 'wrapping';
  const isAssigned = status === 'accepted' || status === 'wrapping';
  if (channel) {
    if (wasPending) channel.reservedTasks--;
    if (wasAssigned && !isAssigned) channel.assignedTasks--;
    if (!wasAssigned && isAssigned) channel.assignedTasks++;
  }
  reservation.status = status;
  touch(source, reservation);
  source.store.listener.reservationChanged(workspace, reservation);
  recordReservationEvent(source, workspace, reservation, RESERVATION_EVENTS[status]);
}

function workerChannelOf(workspace: WorkspaceState, reservation: ReservationRecord) {
  return workspace.workerChannels.get(reservation.workerSid)?.get(reservation.taskChannelSid);
}

function appendTo<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
