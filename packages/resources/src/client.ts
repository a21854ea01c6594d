import {
  type TaskRouterClient as ApiClient,
  createTaskRouterClient,
  type TaskRouterClientOptions,
} from '@taskrouter/core';
import { type ActivitiesApi, activities } from './activities.js';
import { type EventsApi, events } from './events.js';
import {
  type TaskReservationsApi,
  taskReservations,
  type WorkerReservationsApi,
  workerReservations,
} from './reservations.js';
import { type StatisticsApi, statistics } from './statistics.js';
import { type TaskChannelsApi, taskChannels } from './task-channels.js';
import { type TaskQueuesApi, taskQueues } from './task-queues.js';
import { type TasksApi, tasks } from './tasks.js';
import type { JsonObject } from './types.js';
import { type WorkerChannelsApi, workerChannels } from './worker-channels.js';
import { type WorkersApi, workers } from './workers.js';
import { type WorkflowsApi, workflows } from './workflows.js';
import { type WorkspacesApi, workspaces } from './workspaces.js';

/**
 * Every TaskRouter resource in camelCase, in the shape of the classic helper library.
 *
 * This class reaches every operation, so a bundle that uses it carries all of them. An application
 * that needs only a few resources can import the standalone functions instead (`workspaces`,
 * `tasks`, ...), which take the client from `createTaskRouterClient` and leave the rest out.
 *
 * @example
 * ```ts
 * const client = new TaskRouterClient({ accountSid, authToken, baseUrl, fetch });
 * const workspace = await client.workspaces.create({ friendlyName: 'Customer Support', template: 'FIFO' });
 * for await (const ws of client.workspaces.list()) console.log(ws.friendlyName);
 * const [fifo] = await client.workflows(workspace.sid).list().toArray();
 * const task = await client.tasks(workspace.sid).create({ workflowSid: fifo?.sid, attributes: { type: 'support' } });
 * console.log(task.assignmentStatus);
 * ```
 */
export class TaskRouterClient {
  /** The underlying `@taskrouter/core` client, for the standalone functions or raw calls. */
  readonly api: ApiClient;
  /**
   * The workspaces of the account.
   *
   * @example
   * ```ts
   * const workspace = await client.workspaces.get(workspaceSid);
   * console.log(workspace.friendlyName);
   * ```
   */
  readonly workspaces: WorkspacesApi;

  /** Creates a client; the options are those of `createTaskRouterClient` from `@taskrouter/core`. */
  constructor(options: TaskRouterClientOptions) {
    this.api = createTaskRouterClient(options);
    this.workspaces = workspaces(this.api);
  }

  /**
   * The activities of a workspace.
   *
   * @example
   * ```ts
   * const offline = await client.activities(workspaceSid).list({ friendlyName: 'Offline' }).toArray();
   * console.log(offline[0]?.sid);
   * ```
   */
  activities(workspaceSid: string): ActivitiesApi {
    return activities(this.api, workspaceSid);
  }

  /**
   * The workers of a workspace; the type parameter describes their attributes.
   *
   * @example
   * ```ts
   * const worker = await client.workers<{ skills: string[] }>(workspaceSid).create({
   *   friendlyName: 'Dana',
   *   attributes: { skills: ['billing'] },
   * });
   * console.log(worker.attributes?.skills);
   * ```
   */
  workers<Attributes = JsonObject>(workspaceSid: string): WorkersApi<Attributes> {
    return workers<Attributes>(this.api, workspaceSid);
  }

  /**
   * The task queues of a workspace.
   *
   * @example
   * ```ts
   * const queue = await client.taskQueues(workspaceSid).create({ friendlyName: 'VIP', targetWorkers: 'vip == true' });
   * console.log(queue.sid);
   * ```
   */
  taskQueues(workspaceSid: string): TaskQueuesApi {
    return taskQueues(this.api, workspaceSid);
  }

  /**
   * The workflows of a workspace.
   *
   * @example
   * ```ts
   * const workflow = await client.workflows(workspaceSid).get(workflowSid);
   * console.log(workflow.assignmentCallbackUrl);
   * ```
   */
  workflows(workspaceSid: string): WorkflowsApi {
    return workflows(this.api, workspaceSid);
  }

  /**
   * The tasks of a workspace; the type parameter describes their attributes.
   *
   * @example
   * ```ts
   * const task = await client.tasks<{ type: string }>(workspaceSid).create({ workflowSid, attributes: { type: 'chat' } });
   * console.log(task.attributes.type);
   * ```
   */
  tasks<Attributes = JsonObject>(workspaceSid: string): TasksApi<Attributes> {
    return tasks<Attributes>(this.api, workspaceSid);
  }

  /**
   * The task channels of a workspace.
   *
   * @example
   * ```ts
   * const chat = await client.taskChannels(workspaceSid).get('chat');
   * console.log(chat.sid);
   * ```
   */
  taskChannels(workspaceSid: string): TaskChannelsApi {
    return taskChannels(this.api, workspaceSid);
  }

  /**
   * The channels of one worker.
   *
   * @example
   * ```ts
   * await client.workerChannels(workspaceSid, workerSid).update('voice', { capacity: 1 });
   * ```
   */
  workerChannels(workspaceSid: string, workerSid: string): WorkerChannelsApi {
    return workerChannels(this.api, workspaceSid, workerSid);
  }

  /**
   * The reservations of one task.
   *
   * @example
   * ```ts
   * const pending = await client.taskReservations(workspaceSid, taskSid).list({ reservationStatus: 'pending' }).toArray();
   * console.log(pending.map((reservation) => reservation.workerName));
   * ```
   */
  taskReservations(workspaceSid: string, taskSid: string): TaskReservationsApi {
    return taskReservations(this.api, workspaceSid, taskSid);
  }

  /**
   * The reservations of one worker.
   *
   * @example
   * ```ts
   * const reservation = await client.workerReservations(workspaceSid, workerSid).get(reservationSid);
   * console.log(reservation.reservationStatus);
   * ```
   */
  workerReservations(workspaceSid: string, workerSid: string): WorkerReservationsApi {
    return workerReservations(this.api, workspaceSid, workerSid);
  }

  /**
   * The events of a workspace.
   *
   * @example
   * ```ts
   * const recent = await client.events(workspaceSid).list({ minutes: 5, limit: 20 }).toArray();
   * console.log(recent.map((event) => event.eventType));
   * ```
   */
  events(workspaceSid: string): EventsApi {
    return events(this.api, workspaceSid);
  }

  /**
   * Every statistics endpoint of a workspace.
   *
   * @example
   * ```ts
   * const now = await client.statistics(workspaceSid).workspace.realTime();
   * console.log(now.totalTasks);
   * ```
   */
  statistics(workspaceSid: string): StatisticsApi {
    return statistics(this.api, workspaceSid);
  }
}
