import { type ApiAnswer, setup } from './helpers.js';
import type { EmulatorOptions } from '../src/emulator/types.js';

type Params = Record<string, string | number | boolean | string[]>;

/** Settings of the workspace a routing scenario runs in. */
export interface ScenarioOptions extends EmulatorOptions {
  multiTask?: boolean;
  prioritizeQueueOrder?: 'FIFO' | 'LIFO';
  eventCallbackUrl?: string;
  eventsFilter?: string;
}

/**
 * A fresh emulator and an empty workspace, with shortcuts to create queues, workflows, workers
 * and tasks through the REST API and to read what routing did.
 */
export async function scenario(options: ScenarioOptions = {}) {
  const {
    multiTask = true,
    prioritizeQueueOrder,
    eventCallbackUrl,
    eventsFilter,
    ...emulatorOptions
  } = options;
  const { emulator, api } = setup(emulatorOptions);
  const created = await api.post('/v1/Workspaces', {
    FriendlyName: 'Routing',
    MultiTaskEnabled: multiTask,
    ...(prioritizeQueueOrder ? { PrioritizeQueueOrder: prioritizeQueueOrder } : {}),
    ...(eventCallbackUrl ? { EventCallbackUrl: eventCallbackUrl } : {}),
    ...(eventsFilter ? { EventsFilter: eventsFilter } : {}),
  });
  const sid: string = created.body.sid;
  const path = `/v1/Workspaces/${sid}`;
  const activityList = (await api.get(`${path}/Activities`)).body.activities as {
    sid: string;
    friendly_name: string;
  }[];
  const activity = (name: string) => activityList.find((item) => item.friendly_name === name)!.sid;
  const activities = {
    offline: activity('Offline'),
    available: activity('Available'),
    unavailable: activity('Unavailable'),
  };
  let names = 0;
  const ok = async (answer: Promise<ApiAnswer>) => {
    const { status, body } = await answer;
    if (status >= 300) throw new Error(`${status}: ${body.message}`);
    return body;
  };

  return {
    emulator,
    api,
    sid,
    path,
    activities,
    /** Creates a queue (everyone by default). */
    queue: (params: Params = {}) =>
      ok(api.post(`${path}/TaskQueues`, { FriendlyName: `Queue ${++names}`, ...params })),
    /** Creates a workflow from a configuration object. */
    workflow: (configuration: object, params: Params = {}) =>
      ok(
        api.post(`${path}/Workflows`, {
          FriendlyName: `Workflow ${++names}`,
          Configuration: JSON.stringify(configuration),
          ...params,
        }),
      ),
    /** A workflow whose default filter sends everything to one queue. */
    defaultWorkflow: (queueSid: string, params: Params = {}) =>
      ok(
        api.post(`${path}/Workflows`, {
          FriendlyName: `Workflow ${++names}`,
          Configuration: JSON.stringify({ task_routing: { default_filter: { queue: queueSid } } }),
          ...params,
        }),
      ),
    /** Creates a worker, available unless another activity is given. */
    worker: (name: string, attributes: object = {}, params: Params = {}) =>
      ok(
        api.post(`${path}/Workers`, {
          FriendlyName: name,
          Attributes: JSON.stringify(attributes),
          ActivitySid: activities.available,
          ...params,
        }),
      ),
    updateWorker: (workerSid: string, params: Params) => ok(api.post(`${path}/Workers/${workerSid}`, params)),
    channel: (workerSid: string, channel: string, params: Params = {}) =>
      ok(
        Object.keys(params).length === 0
          ? api.get(`${path}/Workers/${workerSid}/Channels/${channel}`)
          : api.post(`${path}/Workers/${workerSid}/Channels/${channel}`, params),
      ),
    /** Creates a task in a workflow. */
    task: (workflowSid: string, attributes: object = {}, params: Params = {}) =>
      ok(
        api.post(`${path}/Tasks`, {
          WorkflowSid: workflowSid,
          Attributes: JSON.stringify(attributes),
          ...params,
        }),
      ),
    fetchTask: (taskSid: string) => ok(api.get(`${path}/Tasks/${taskSid}`)),
    updateTask: (taskSid: string, params: Params) => ok(api.post(`${path}/Tasks/${taskSid}`, params)),
    fetchWorker: (workerSid: string) => ok(api.get(`${path}/Workers/${workerSid}`)),
    /** The task's reservations, oldest first. */
    reservations: async (taskSid: string, query: Params = {}) =>
      (await ok(api.get(`${path}/Tasks/${taskSid}/Reservations`, query))).reservations as {
        sid: string;
        worker_sid: string;
        worker_name: string;
        reservation_status: string;
      }[],
    /** Sets a reservation's status (or sends an instruction) through the task's view. */
    answer: (taskSid: string, reservationSid: string, params: Params) =>
      api.post(`${path}/Tasks/${taskSid}/Reservations/${reservationSid}`, params),
    /** Event types, oldest first, filtered as the Events API filters. */
    eventTypes: async (query: Params = {}) =>
      (
        (await ok(api.get(`${path}/Events`, { PageSize: 1000, ...query }))).events as { event_type: string }[]
      ).map((event) => event.event_type),
  };
}

/** A routing scenario, as {@link scenario} returns it. */
export type Scenario = Awaited<ReturnType<typeof scenario>>;
