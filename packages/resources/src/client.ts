import {
  type TaskRouterApiClient as ApiClient,
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
  /** The workspaces of the account. */
  readonly workspaces: WorkspacesApi;

  /** Creates a client; the options are those of `createTaskRouterClient` from `@taskrouter/core`. */
  constructor(options: TaskRouterClientOptions) {
    this.api = createTaskRouterClient(options);
    this.workspaces = workspaces(this.api);
  }

  /** The activities of a workspace. */
  activities(workspaceSid: string): ActivitiesApi {
    return activities(this.api, workspaceSid);
  }

  /** The workers of a workspace; the type parameter describes their attributes. */
  workers<Attributes = JsonObject>(workspaceSid: string): WorkersApi<Attributes> {
    return workers<Attributes>(this.api, workspaceSid);
  }

  /** The task queues of a workspace. */
  taskQueues(workspaceSid: string): TaskQueuesApi {
    return taskQueues(this.api, workspaceSid);
  }

  /** The workflows of a workspace. */
  workflows(workspaceSid: string): WorkflowsApi {
    return workflows(this.api, workspaceSid);
  }

  /** The tasks of a workspace; the type parameter describes their attributes. */
  tasks<Attributes = JsonObject>(workspaceSid: string): TasksApi<Attributes> {
    return tasks<Attributes>(this.api, workspaceSid);
  }

  /** The task channels of a workspace. */
  taskChannels(workspaceSid: string): TaskChannelsApi {
    return taskChannels(this.api, workspaceSid);
  }

  /** The channels of one worker. */
  workerChannels(workspaceSid: string, workerSid: string): WorkerChannelsApi {
    return workerChannels(this.api, workspaceSid, workerSid);
  }

  /** The reservations of one task. */
  taskReservations(workspaceSid: string, taskSid: string): TaskReservationsApi {
    return taskReservations(this.api, workspaceSid, taskSid);
  }

  /** The reservations of one worker. */
  workerReservations(workspaceSid: string, workerSid: string): WorkerReservationsApi {
    return workerReservations(this.api, workspaceSid, workerSid);
  }

  /** The events of a workspace. */
  events(workspaceSid: string): EventsApi {
    return events(this.api, workspaceSid);
  }

  /** Every statistics endpoint of a workspace. */
  statistics(workspaceSid: string): StatisticsApi {
    return statistics(this.api, workspaceSid);
  }
}
