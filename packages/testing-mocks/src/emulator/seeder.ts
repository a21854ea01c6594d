/**
 * The seeding helpers: the REST layer's create operations run directly, with the API's validation
 * and without transport or credentials.
 */
import { bodyFields } from '@taskrouter/core/facts';
import { invalidParameter } from '../domain/errors.js';
import type { Store } from '../domain/state.js';
import { renderReservation } from '../render/reservations.js';
import { isoDate } from '../render/format.js';
import { operationContext } from '../rest/dispatch.js';
import { activityHandlers } from '../rest/handlers/activities.js';
import { taskChannelHandlers } from '../rest/handlers/task-channels.js';
import { taskQueueHandlers } from '../rest/handlers/task-queues.js';
import { taskHandlers } from '../rest/handlers/tasks.js';
import { workerHandlers } from '../rest/handlers/workers.js';
import { workflowHandlers } from '../rest/handlers/workflows.js';
import { workspaceHandlers } from '../rest/handlers/workspaces.js';
import type { RoutingEngine } from '../routing/engine.js';
import { workspaceState } from './inspector.js';
import type { EmulatorSeeder, SeedValue } from './types.js';

/**
 * Seeding helpers on `store`; bodies carry URLs on `origin`. Default names are numbered with
 * `names.counter`, which snapshots save and restore.
 */
export function createSeeder(
  store: Store,
  engine: RoutingEngine,
  origin: string,
  names: { counter: number },
): EmulatorSeeder {
  const named = (prefix: string) => `${prefix} ${++names.counter}`;
  const context = (
    operationId: SeededOperation,
    path: Record<string, string>,
    input: Record<string, SeedValue | undefined>,
  ) => {
    checkFields(operationId, input);
    return operationContext(store, origin, operationId, path, encodeSeedInput(input));
  };

  return {
    workspace: (input = {}) =>
      workspaceHandlers.CreateWorkspace(
        context('CreateWorkspace', {}, { FriendlyName: named('Workspace'), ...input }),
      ).body,
    activity: (WorkspaceSid, input = {}) =>
      activityHandlers.CreateActivity(
        context('CreateActivity', { WorkspaceSid }, { FriendlyName: named('Activity'), ...input }),
      ).body,
    taskChannel: (WorkspaceSid, input = {}) => {
      const name = `channel${++names.counter}`;
      return taskChannelHandlers.CreateTaskChannel(
        context('CreateTaskChannel', { WorkspaceSid }, { FriendlyName: name, UniqueName: name, ...input }),
      ).body;
    },
    taskQueue: (WorkspaceSid, input = {}) =>
      taskQueueHandlers.CreateTaskQueue(
        context('CreateTaskQueue', { WorkspaceSid }, { FriendlyName: named('Queue'), ...input }),
      ).body,
    worker: (WorkspaceSid, input = {}) =>
      workerHandlers.CreateWorker(
        context('CreateWorker', { WorkspaceSid }, { FriendlyName: named('Worker'), ...input }),
      ).body,
    workflow: (WorkspaceSid, input) =>
      workflowHandlers.CreateWorkflow(
        context('CreateWorkflow', { WorkspaceSid }, { FriendlyName: named('Workflow'), ...input }),
      ).body,
    task: (WorkspaceSid, input = {}) =>
      taskHandlers.CreateTask(context('CreateTask', { WorkspaceSid }, { ...input })).body,
    reservation(workspaceSid, { taskSid, workerSid }) {
      const state = workspaceState(store, workspaceSid);
      const task = state.tasks.get(taskSid);
      const worker = state.workers.get(workerSid);
      if (!task) throw invalidParameter('taskSid', `task ${taskSid} does not exist in this workspace`);
      if (!worker)
        throw invalidParameter('workerSid', `worker ${workerSid} does not exist in this workspace`);
      if (task.assignmentStatus !== 'pending' && task.assignmentStatus !== 'reserved') {
        throw invalidParameter(
          'taskSid',
          `task ${taskSid} is ${task.assignmentStatus}; only pending or reserved tasks can be reserved`,
        );
      }
      const open = (state.reservationsByTask.get(taskSid) ?? []).some(
        (reservation) => reservation.workerSid === workerSid && reservation.status === 'pending',
      );
      if (open)
        throw invalidParameter(
          'workerSid',
          `worker ${workerSid} already holds a pending reservation for task ${taskSid}`,
        );
      const reservation = engine.reserve(state, task, worker)!;
      return renderReservation(state, reservation, origin, 'task');
    },
  };
}

/** The create operations the seeding helpers run (every operation with a body has its fields listed). */
type SeededOperation = keyof typeof bodyFields;

/**
 * Refuses a field the operation does not take. The REST API ignores such a field, as TaskRouter
 * does; in seed input it is a mistake (a misspelt name) that would otherwise pass unnoticed.
 */
function checkFields(operationId: SeededOperation, input: Record<string, unknown>): void {
  const known: readonly string[] = bodyFields[operationId];
  for (const name of Object.keys(input)) {
    if (!known.includes(name)) {
      throw invalidParameter(name, `is not a parameter of ${operationId} (it takes ${known.join(', ')})`);
    }
  }
}

/** Form fields from seed input: JSON for objects, ISO 8601 for dates, repeated keys for lists. */
function encodeSeedInput(input: Record<string, SeedValue | undefined>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) values.set(key, value.map(String));
    else if (value instanceof Date) values.set(key, [isoDate(value.getTime())]);
    else if (typeof value === 'object') values.set(key, [JSON.stringify(value)]);
    else values.set(key, [String(value)]);
  }
  return values;
}
