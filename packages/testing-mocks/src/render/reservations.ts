import type { ResourceBody } from './body.js';
import type { ReservationRecord, WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The reservation's JSON body, as seen below its task or below its worker. */
export function renderReservation(
  workspace: WorkspaceState,
  reservation: ReservationRecord,
  origin: string,
  view: 'task' | 'worker',
): ResourceBody<'taskrouter.v1.workspace.task.task_reservation'> &
  ResourceBody<'taskrouter.v1.workspace.worker.worker_reservation'> {
  const base = origin + workspace.path;
  const parent =
    view === 'task' ? `${base}/Tasks/${reservation.taskSid}` : `${base}/Workers/${reservation.workerSid}`;
  return {
    account_sid: workspace.record.accountSid,
    date_created: isoDate(reservation.created),
    date_updated: isoDate(reservation.updated),
    reservation_status: reservation.status,
    sid: reservation.sid,
    task_sid: reservation.taskSid,
    worker_name: workspace.workers.get(reservation.workerSid)?.friendlyName ?? null,
    worker_sid: reservation.workerSid,
    workspace_sid: workspace.sid,
    url: `${parent}/Reservations/${reservation.sid}`,
    links: links(base, {
      task: `/Tasks/${reservation.taskSid}`,
      worker: `/Workers/${reservation.workerSid}`,
      workspace: '',
    }),
  };
}
