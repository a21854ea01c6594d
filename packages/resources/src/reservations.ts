import type { TaskRouterClient as ApiClient, components } from '@taskrouter/core';
import { collection, inWorkspace } from './collection.js';
import type {
  ConditionalOptions,
  FiltersOf,
  FromWire,
  ItemIterable,
  ListOptions,
  Page,
  PageOptions,
  ParamsOf,
  Versioned,
} from './types.js';
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
 * Parameters of {@link TaskReservationsApi.update}: a new `reservationStatus`, or an
 * `instruction` (`conference`, `dequeue`, `call`, `redirect`, `supervise`) with its parameters.
 */
export type TaskReservationUpdateParams = ParamsOf<'UpdateTaskReservation'>;
/** Parameters of {@link WorkerReservationsApi.update}, as for a task's reservation but without `supervise`. */
export type WorkerReservationUpdateParams = ParamsOf<'UpdateWorkerReservation'>;
/** Filters of {@link TaskReservationsApi.list} and {@link TaskReservationsApi.page}. */
export type TaskReservationFilters = FiltersOf<'ListTaskReservation'>;
/** Filters of {@link WorkerReservationsApi.list} and {@link WorkerReservationsApi.page}. */
export type WorkerReservationFilters = FiltersOf<'ListWorkerReservation'>;

/** Read and answer the reservations of one task. */
export interface TaskReservationsApi {
  /**
   * Fetches one of the task's reservations.
   *
   * @example
   * ```ts
   * const reservation = await client.taskReservations(workspaceSid, taskSid).get(reservationSid);
   * console.log(reservation.reservationStatus, reservation.workerName, reservation.version);
   * ```
   */
  get(sid: string): Promise<TaskReservation & Versioned>;
  /**
   * Iterates over the task's reservations.
   *
   * @example
   * ```ts
   * for await (const reservation of client.taskReservations(workspaceSid, taskSid).list({ reservationStatus: 'pending' })) {
   *   console.log(reservation.sid, reservation.workerSid);
   * }
   * ```
   */
  list(params?: TaskReservationFilters & ListOptions): ItemIterable<TaskReservation>;
  /**
   * Fetches one page of the task's reservations.
   *
   * @example
   * ```ts
   * const page = await client.taskReservations(workspaceSid, taskSid).page({ workerSid });
   * console.log(page.items.map((reservation) => reservation.reservationStatus));
   * ```
   */
  page(params?: TaskReservationFilters & PageOptions): Promise<Page<TaskReservation>>;
  /**
   * Accepts, rejects or otherwise answers a reservation; with `ifMatch`, only if it still has that version.
   *
   * @example
   * ```ts
   * const reservations = client.taskReservations(workspaceSid, taskSid);
   * const pending = await reservations.get(reservationSid);
   * const accepted = await reservations.update(
   *   reservationSid,
   *   { reservationStatus: 'accepted' },
   *   { ifMatch: pending.version },
   * );
   * console.log(accepted.reservationStatus);
   * ```
   */
  update(
    sid: string,
    params: TaskReservationUpdateParams,
    options?: ConditionalOptions,
  ): Promise<TaskReservation & Versioned>;
}

/** Read and answer the reservations of one worker. */
export interface WorkerReservationsApi {
  /**
   * Fetches one of the worker's reservations.
   *
   * @example
   * ```ts
   * const reservation = await client.workerReservations(workspaceSid, workerSid).get(reservationSid);
   * console.log(reservation.taskSid, reservation.reservationStatus);
   * ```
   */
  get(sid: string): Promise<WorkerReservation & Versioned>;
  /**
   * Iterates over the worker's reservations.
   *
   * @example
   * ```ts
   * const pending = await client.workerReservations(workspaceSid, workerSid).list({ reservationStatus: 'pending' }).toArray();
   * console.log(pending.length);
   * ```
   */
  list(params?: WorkerReservationFilters & ListOptions): ItemIterable<WorkerReservation>;
  /**
   * Fetches one page of the worker's reservations.
   *
   * @example
   * ```ts
   * const page = await client.workerReservations(workspaceSid, workerSid).page({ pageSize: 10 });
   * console.log(page.items.length);
   * ```
   */
  page(params?: WorkerReservationFilters & PageOptions): Promise<Page<WorkerReservation>>;
  /**
   * Answers a reservation; with `ifMatch`, only if it still has that version.
   *
   * @example
   * ```ts
   * await client.workerReservations(workspaceSid, workerSid).update(reservationSid, {
   *   reservationStatus: 'rejected',
   *   workerActivitySid: activitySid,
   * });
   * ```
   */
  update(
    sid: string,
    params: WorkerReservationUpdateParams,
    options?: ConditionalOptions,
  ): Promise<WorkerReservation & Versioned>;
}

/**
 * The reservations of one task, on a client from `createTaskRouterClient`.
 *
 * @example
 * ```ts
 * const [first] = await taskReservations(api, workspaceSid, taskSid).list({ limit: 1 }).toArray();
 * console.log(first?.reservationStatus);
 * ```
 */
export function taskReservations(api: ApiClient, workspaceSid: string, taskSid: string): TaskReservationsApi {
  const { get, list, page, update } = collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations',
    scope: { ...inWorkspace(workspaceSid), TaskSid: requireId(taskSid, 'WT', 'taskSid') },
    sidPrefix: 'WR',
  });
  return { get, list, page, update } as TaskReservationsApi;
}

/**
 * The reservations of one worker, on a client from `createTaskRouterClient`.
 *
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
  const { get, list, page, update } = collection(api, {
    path: '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations',
    scope: { ...inWorkspace(workspaceSid), WorkerSid: requireId(workerSid, 'WK', 'workerSid') },
    sidPrefix: 'WR',
  });
  return { get, list, page, update } as WorkerReservationsApi;
}
