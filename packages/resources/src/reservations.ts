import type { TaskRouterApiClient as ApiClient, components } from '@taskrouter/core';
import { taskReservationCatalog, workerReservationCatalog } from './catalog.js';
import { type Collection, collection, inWorkspace } from './collection.js';
import type { FiltersOf, FromWire, ParamsOf } from './types.js';
import { requireId } from './wire.js';

/** An offer of a task to one worker, seen from the task. */
export type TaskReservation = FromWire<
  components['schemas']['taskrouter.v1.workspace.task.task_reservation']
>;
/** An offer of a task to one worker, seen from the worker. */
export type WorkerReservation = FromWire<
  components['schemas']['taskrouter.v1.workspace.worker.worker_reservation']
>;
/**
 * Parameters of `update` on {@link TaskReservationsApi}: a new `reservationStatus`, or an
 * `instruction` (`conference`, `dequeue`, `call`, `redirect`, `supervise`) with its parameters.
 */
export type TaskReservationUpdateParams = ParamsOf<'UpdateTaskReservation'>;
/** Parameters of `update` on {@link WorkerReservationsApi}, as for a task's reservation but without `supervise`. */
export type WorkerReservationUpdateParams = ParamsOf<'UpdateWorkerReservation'>;
/** Filters of `list` and `page` on {@link TaskReservationsApi}. */
export type TaskReservationFilters = FiltersOf<'ListTaskReservation'>;
/** Filters of `list` and `page` on {@link WorkerReservationsApi}. */
export type WorkerReservationFilters = FiltersOf<'ListWorkerReservation'>;
/** Read and answer the reservations of one task; answers may be conditional (`ifMatch`). */
export type TaskReservationsApi = Collection<typeof taskReservationCatalog, TaskReservation>;
/** Read and answer the reservations of one worker; answers may be conditional (`ifMatch`). */
export type WorkerReservationsApi = Collection<typeof workerReservationCatalog, WorkerReservation>;

/**
 * The reservations of one task, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * const [first] = await taskReservations(api, workspaceSid, taskSid).list({ limit: 1 }).toArray();
 * console.log(first?.reservationStatus);
 * ```
 */
export function taskReservations(api: ApiClient, workspaceSid: string, taskSid: string): TaskReservationsApi {
  const scope = { ...inWorkspace(workspaceSid), TaskSid: requireId(taskSid, 'WT', 'taskSid') };
  return collection(api, taskReservationCatalog, scope);
}

/**
 * The reservations of one worker, on a client from `createTaskRouterClient`.
 * @example
 * ```ts
 * await workerReservations(api, workspaceSid, workerSid).update(reservationSid, { reservationStatus: 'accepted' });
 * ```
 */
export function workerReservations(
  api: ApiClient,
  workspaceSid: string,
  workerSid: string,
): WorkerReservationsApi {
  const scope = { ...inWorkspace(workspaceSid), WorkerSid: requireId(workerSid, 'WK', 'workerSid') };
  return collection(api, workerReservationCatalog, scope);
}
