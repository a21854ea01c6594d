/**
 * What the remote control needs from an emulator beyond its public API: seeding from a JSON
 * document and the dashboard's overview.
 */
import { toMermaid } from '@taskrouter/workflow-builder';
import { EmulatorRequestError, invalidParameter } from '../domain/errors.js';
import type { EmulatorInspector, EmulatorSeeder, SeedInput, SeedValue } from './types.js';

/** The children a workspace of a seed document may list, in the order they are created. */
const CHILDREN = [
  'activities',
  'taskChannels',
  'taskQueues',
  'workers',
  'workflows',
  'tasks',
  'reservations',
] as const;
type Child = (typeof CHILDREN)[number];

const SEEDERS: Record<Exclude<Child, 'reservations'>, keyof EmulatorSeeder> = {
  activities: 'activity',
  taskChannels: 'taskChannel',
  taskQueues: 'taskQueue',
  workers: 'worker',
  workflows: 'workflow',
  tasks: 'task',
};

/**
 * Creates what a seed document describes with the seeding helpers, and returns it as API bodies
 * in the same layout. The document: `{ "workspaces": [ { ...CreateWorkspace parameters,
 * "activities": [...], "taskChannels": [...], "taskQueues": [...], "workers": [...],
 * "workflows": [...], "tasks": [...], "reservations": [{ "taskSid", "workerSid" }] } ] }`, each
 * item shaped as the seeding helper's input; `"sid": "WS…"` instead of parameters adds to an
 * existing workspace. A problem throws {@link EmulatorRequestError} whose parameter is the path
 * to the field, such as `workspaces[0].workers[1].FriendlyName`.
 */
export function seedDocument(seed: EmulatorSeeder, document: Record<string, unknown>): unknown {
  const unknownKeys = Object.keys(document).filter((key) => key !== 'workspaces');
  if (unknownKeys.length > 0)
    throw invalidParameter(unknownKeys[0]!, 'is not part of a seed document (only workspaces)');
  const workspaces = listAt(document.workspaces, 'workspaces');
  return {
    workspaces: workspaces.map((item, w) => {
      const at = `workspaces[${w}]`;
      const fields = objectAt(item, at);
      const input: Record<string, SeedValue> = {};
      for (const [key, value] of Object.entries(fields)) {
        if ((CHILDREN as readonly string[]).includes(key) || key === 'sid') continue;
        if (!/^[A-Z]/.test(key))
          throw invalidParameter(
            `${at}.${key}`,
            `is not a parameter of CreateWorkspace nor a list of ${CHILDREN.join(', ')}`,
          );
        input[key] = value as SeedValue;
      }
      const existing = fields.sid;
      if (existing !== undefined && (typeof existing !== 'string' || Object.keys(input).length > 0)) {
        throw invalidParameter(
          `${at}.sid`,
          'names an existing workspace (a string) and comes without workspace parameters',
        );
      }
      const workspace =
        existing === undefined
          ? located(at, () => seed.workspace(input as SeedInput<'CreateWorkspace'>))
          : { sid: existing };
      const created: Record<string, unknown> = { workspace };
      for (const child of CHILDREN) {
        if (fields[child] === undefined) continue;
        created[child] = listAt(fields[child], `${at}.${child}`).map((entry, i) => {
          const place = `${at}.${child}[${i}]`;
          const values = objectAt(entry, place);
          return located(place, () => {
            if (child === 'reservations') {
              return seed.reservation(workspace.sid, values as { taskSid: string; workerSid: string });
            }
            const helper = seed[SEEDERS[child]] as (sid: string, input: unknown) => unknown;
            return helper(workspace.sid, values);
          });
        });
      }
      return created;
    }),
  };
}

function listAt(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalidParameter(at, 'must be a list');
  return value;
}

function objectAt(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter(at, 'must be an object');
  }
  return value as Record<string, unknown>;
}

/** Runs a seeding helper, naming the place in the document in the error it throws. */
function located<T>(at: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (!(error instanceof EmulatorRequestError)) throw error;
    if (error.parameter === undefined) {
      throw new EmulatorRequestError(error.status, error.code, `${at}: ${error.message}`, at);
    }
    const parameter = `${at}.${error.parameter}`;
    throw new EmulatorRequestError(
      error.status,
      error.code,
      error.message.replace(error.parameter, parameter),
      parameter,
    );
  }
}

/**
 * What the dashboard shows of each workspace of one account; `sdkConnections` has the number of
 * open worker SDK websockets of each worker, by SID.
 */
export function overview(inspect: EmulatorInspector, sdkConnections: ReadonlyMap<string, number>): unknown {
  return {
    workspaces: inspect.workspaces().map((workspace) => {
      const sid = workspace.sid!;
      const queueNames = new Map(
        inspect.taskQueues(sid).map((queue) => [queue.sid!, queue.friendly_name ?? '']),
      );
      const activities = new Map(inspect.activities(sid).map((activity) => [activity.sid, activity]));
      const tasks = inspect.tasks(sid);
      const reservations = inspect
        .reservations(sid)
        .filter((reservation) =>
          ['pending', 'accepted', 'wrapping'].includes(reservation.reservation_status ?? ''),
        );
      const waiting = tasks.filter(
        (task) => task.assignment_status === 'pending' || task.assignment_status === 'reserved',
      );
      return {
        sid,
        friendly_name: workspace.friendly_name,
        queues: inspect.taskQueues(sid).map((queue) => ({
          sid: queue.sid,
          friendly_name: queue.friendly_name,
          target_workers: queue.target_workers,
          waiting: waiting
            .filter((task) => task.task_queue_sid === queue.sid)
            .map((task) => ({
              sid: task.sid,
              assignment_status: task.assignment_status,
              priority: task.priority,
              age: task.age,
              attributes: task.attributes,
            })),
        })),
        workers: inspect.workers(sid).map((worker) => ({
          sid: worker.sid,
          friendly_name: worker.friendly_name,
          activity_name: worker.activity_name,
          available: activities.get(worker.activity_sid ?? '')?.available ?? false,
          sdk_connections: sdkConnections.get(worker.sid!) ?? 0,
          reservations: reservations
            .filter((reservation) => reservation.worker_sid === worker.sid)
            .map((reservation) => ({
              sid: reservation.sid,
              task_sid: reservation.task_sid,
              reservation_status: reservation.reservation_status,
            })),
        })),
        workflows: inspect.workflows(sid).map((workflow) => ({
          sid: workflow.sid,
          friendly_name: workflow.friendly_name,
          mermaid: withQueueNames(toMermaid(workflow.configuration ?? '{}'), queueNames),
        })),
      };
    }),
  };
}

/** The flowchart with each queue SID replaced by the queue's name (escaped as Mermaid labels need). */
function withQueueNames(flowchart: string, names: ReadonlyMap<string, string>): string {
  return flowchart.replace(/\bWQ[0-9a-f]{32}\b/g, (sid) => {
    const name = names.get(sid);
    return name === undefined ? sid : name.replace(/[#"<>]/g, (c) => `#${c.charCodeAt(0)};`);
  });
}
