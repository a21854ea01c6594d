/** The inspection helpers: the whole state read as API bodies, unpaged and without time windows. */
import { notFound } from '../domain/errors.js';
import type { Store, WorkspaceState } from '../domain/state.js';
import { renderActivity } from '../render/activities.js';
import { renderEvent } from '../render/events.js';
import { renderReservation } from '../render/reservations.js';
import { renderTaskChannel } from '../render/task-channels.js';
import { renderTaskQueue } from '../render/task-queues.js';
import { renderTask } from '../render/tasks.js';
import { renderWorker, renderWorkerChannel } from '../render/workers.js';
import { renderWorkflow } from '../render/workflows.js';
import { renderWorkspace } from '../render/workspaces.js';
import type { EmulatorInspector } from './types.js';

/** The workspace's state, or the API's 404 for it. */
export function workspaceState(store: Store, sid: string): WorkspaceState {
  const found = store.workspaces.get(sid);
  if (!found) throw notFound(`/v1/Workspaces/${sid}`);
  return found;
}

/** Inspection helpers on `store`; bodies carry URLs on `origin`. */
export function createInspector(store: Store, origin: string): EmulatorInspector {
  const workspace = (sid: string) => workspaceState(store, sid);
  return {
    workspaces: () => [...store.workspaces.values()].map((state) => renderWorkspace(state, origin)),
    activities: (sid) => {
      const state = workspace(sid);
      return [...state.activities.values()].map((item) => renderActivity(state, item, origin));
    },
    taskChannels: (sid) => {
      const state = workspace(sid);
      return [...state.taskChannels.values()].map((item) => renderTaskChannel(state, item, origin));
    },
    taskQueues: (sid) => {
      const state = workspace(sid);
      return [...state.taskQueues.values()].map((item) => renderTaskQueue(state, item, origin));
    },
    workers: (sid) => {
      const state = workspace(sid);
      return [...state.workers.values()].map((item) => renderWorker(state, item, origin));
    },
    workerChannels: (sid, workerSid) => {
      const state = workspace(sid);
      const channels = state.workerChannels.get(workerSid);
      if (!channels) throw notFound(`${state.path}/Workers/${workerSid}/Channels`);
      return [...channels.values()].map((item) => renderWorkerChannel(state, item, origin));
    },
    workflows: (sid) => {
      const state = workspace(sid);
      return [...state.workflows.values()].map((item) => renderWorkflow(state, item, origin));
    },
    tasks: (sid) => {
      const state = workspace(sid);
      const now = store.clock.nowMs();
      return [...state.tasks.values()].map((item) => renderTask(state, item, origin, now));
    },
    reservations: (sid) => {
      const state = workspace(sid);
      return [...state.reservations.values()].map((item) => renderReservation(state, item, origin, 'task'));
    },
    events: (sid) => {
      const state = workspace(sid);
      return state.events.map((item) => renderEvent(state, item, origin));
    },
    instructions: (sid, reservationSid) => {
      const state = workspace(sid);
      const reservation = state.reservations.get(reservationSid);
      if (!reservation) throw notFound(`${state.path}/Reservations/${reservationSid}`);
      return [...reservation.instructions];
    },
  };
}
