import { type OperationId, operationTable } from '@taskrouter/core';
import { describe, expect, it } from 'vitest';
import { TaskRouterClient } from '../src/index.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  BASE_URL,
  type RecordedRequest,
  recordingFetch,
  WA,
  WK,
  WQ,
  WR,
  WS,
  WT,
  WW,
  wirePage,
} from './helpers.js';

/** The operation whose method and path template a request matches; literal segments win over `{Sid}`. */
function operationOf(request: RecordedRequest): OperationId {
  const matches = (Object.keys(operationTable) as OperationId[]).filter((id) => {
    const { method, path } = operationTable[id];
    const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
    return method === request.method && pattern.test(request.path);
  });
  const placeholders = (id: OperationId) => (operationTable[id].path.match(/\{/g) ?? []).length;
  matches.sort((a, b) => placeholders(a) - placeholders(b));
  if (!matches[0]) throw new Error(`no operation for ${request.method} ${request.path}`);
  return matches[0];
}

/** Answers list operations with an empty last page and everything else with an empty document. */
function answer(request: RecordedRequest) {
  const { listKey } = operationTable[operationOf(request)];
  if (request.method === 'DELETE') return { status: 204 };
  return { body: listKey ? wirePage(listKey, [], request.path, null) : {} };
}

interface Case {
  /** Calls the operation through the classic client. */
  call: (client: TaskRouterClient) => Promise<unknown>;
  /** The decoded body the call must send. */
  body?: unknown;
  /** Query parameters the call must send (others may be present). */
  query?: Record<string, string | string[]>;
  /** Headers the call must send. */
  headers?: Record<string, string>;
}

const drain = async (items: AsyncIterable<unknown>) => {
  for await (const _ of items);
};

/** One call per operation; a missing operation fails to compile. */
const cases: Record<OperationId, Case> = {
  ListWorkspace: {
    call: (c) => drain(c.workspaces.list({ friendlyName: 'Support', pageSize: 5 })),
    query: { FriendlyName: 'Support', PageSize: '5' },
  },
  CreateWorkspace: {
    call: (c) =>
      c.workspaces.create({
        friendlyName: 'Support',
        template: 'FIFO',
        multiTaskEnabled: true,
        eventsFilter: ['task.created', 'task.canceled'],
        prioritizeQueueOrder: 'LIFO',
      }),
    body: {
      FriendlyName: 'Support',
      Template: 'FIFO',
      MultiTaskEnabled: 'true',
      EventsFilter: 'task.created,task.canceled',
      PrioritizeQueueOrder: 'LIFO',
    },
  },
  DeleteWorkspace: { call: (c) => c.workspaces.delete(WS) },
  FetchWorkspace: { call: (c) => c.workspaces.get(WS) },
  UpdateWorkspace: {
    call: (c) =>
      c.workspaces.update(WS, { defaultActivitySid: WA, eventCallbackUrl: 'https://example.com/e' }),
    body: { DefaultActivitySid: WA, EventCallbackUrl: 'https://example.com/e' },
  },
  ListActivity: {
    call: (c) => drain(c.activities(WS).list({ available: false })),
    query: { Available: 'false' },
  },
  CreateActivity: {
    call: (c) => c.activities(WS).create({ friendlyName: 'Lunch', available: false }),
    body: { FriendlyName: 'Lunch', Available: 'false' },
  },
  DeleteActivity: { call: (c) => c.activities(WS).delete(WA) },
  FetchActivity: { call: (c) => c.activities(WS).get(WA) },
  UpdateActivity: {
    call: (c) => c.activities(WS).update(WA, { friendlyName: 'Break' }),
    body: { FriendlyName: 'Break' },
  },
  FetchWorkspaceCumulativeStatistics: {
    call: (c) =>
      c.statistics(WS).workspace.cumulative({
        startDate: new Date(Date.UTC(2024, 2, 1, 8)),
        endDate: '2024-03-01T09:00:00Z',
        splitByWaitTime: [30, 60],
        taskChannel: 'voice',
      }),
    query: {
      StartDate: '2024-03-01T08:00:00Z',
      EndDate: '2024-03-01T09:00:00Z',
      SplitByWaitTime: '30,60',
      TaskChannel: 'voice',
    },
  },
  ListEvent: {
    call: (c) => drain(c.events(WS).list({ eventType: 'task.created', minutes: 30, taskSid: WT })),
    query: { EventType: 'task.created', Minutes: '30', TaskSid: WT },
  },
  FetchEvent: { call: (c) => c.events(WS).get(`EV${'2'.repeat(32)}`) },
  FetchWorkspaceRealTimeStatistics: {
    call: (c) => c.statistics(WS).workspace.realTime({ taskChannel: 'chat' }),
    query: { TaskChannel: 'chat' },
  },
  FetchWorkspaceStatistics: {
    call: (c) => c.statistics(WS).workspace.get({ minutes: 60 }),
    query: { Minutes: '60' },
  },
  ListTaskChannel: { call: (c) => c.taskChannels(WS).list().toArray() },
  CreateTaskChannel: {
    call: (c) =>
      c
        .taskChannels(WS)
        .create({ friendlyName: 'Email', uniqueName: 'email', channelOptimizedRouting: true }),
    body: { FriendlyName: 'Email', UniqueName: 'email', ChannelOptimizedRouting: 'true' },
  },
  DeleteTaskChannel: { call: (c) => c.taskChannels(WS).delete('email') },
  FetchTaskChannel: { call: (c) => c.taskChannels(WS).get('voice') },
  UpdateTaskChannel: {
    call: (c) => c.taskChannels(WS).update('voice', { friendlyName: 'Phone' }),
    body: { FriendlyName: 'Phone' },
  },
  ListTaskQueue: {
    call: (c) =>
      drain(c.taskQueues(WS).list({ workerSid: WK, evaluateWorkerAttributes: { skills: ['en'] } })),
    query: { WorkerSid: WK, EvaluateWorkerAttributes: '{"skills":["en"]}' },
  },
  CreateTaskQueue: {
    call: (c) =>
      c.taskQueues(WS).create({
        friendlyName: 'English',
        targetWorkers: "languages HAS 'en'",
        maxReservedWorkers: 3,
        taskOrder: 'LIFO',
        reservationActivitySid: WA,
      }),
    body: {
      FriendlyName: 'English',
      TargetWorkers: "languages HAS 'en'",
      MaxReservedWorkers: '3',
      TaskOrder: 'LIFO',
      ReservationActivitySid: WA,
    },
  },
  CreateTaskQueueBulkRealTimeStatistics: {
    call: (c) => c.statistics(WS).taskQueues.realTime([WQ, `WQ${'2'.repeat(32)}`]),
    body: { QueueSids: [WQ, `WQ${'2'.repeat(32)}`] },
  },
  ListTaskQueuesStatistics: {
    call: (c) => drain(c.statistics(WS).taskQueues.list({ friendlyName: 'English', minutes: 10 })),
    query: { FriendlyName: 'English', Minutes: '10' },
  },
  DeleteTaskQueue: { call: (c) => c.taskQueues(WS).delete(WQ) },
  FetchTaskQueue: { call: (c) => c.taskQueues(WS).get(WQ) },
  UpdateTaskQueue: {
    call: (c) => c.taskQueues(WS).update(WQ, { targetWorkers: '1==1' }),
    body: { TargetWorkers: '1==1' },
  },
  FetchTaskQueueCumulativeStatistics: {
    call: (c) => c.statistics(WS).taskQueue(WQ).cumulative({ minutes: 5 }),
    query: { Minutes: '5' },
  },
  FetchTaskQueueRealTimeStatistics: { call: (c) => c.statistics(WS).taskQueue(WQ).realTime() },
  FetchTaskQueueStatistics: { call: (c) => c.statistics(WS).taskQueue(WQ).get() },
  ListTask: {
    call: (c) =>
      drain(
        c.tasks(WS).list({
          assignmentStatus: ['pending', 'reserved'],
          ordering: 'Priority:desc',
          hasAddons: false,
        }),
      ),
    query: { AssignmentStatus: ['pending', 'reserved'], Ordering: 'Priority:desc', HasAddons: 'false' },
  },
  CreateTask: {
    call: (c) =>
      c.tasks(WS).create({
        workflowSid: WW,
        attributes: { type: 'support', tags: ['a', 'b'] },
        priority: 10,
        timeout: 600,
        taskChannel: 'chat',
        virtualStartTime: new Date(Date.UTC(2024, 0, 1, 12, 30, 15, 999)),
        routingTarget: WK,
        ignoreCapacity: true,
      }),
    body: {
      WorkflowSid: WW,
      Attributes: '{"type":"support","tags":["a","b"]}',
      Priority: '10',
      Timeout: '600',
      TaskChannel: 'chat',
      VirtualStartTime: '2024-01-01T12:30:15Z',
      RoutingTarget: WK,
      IgnoreCapacity: 'true',
    },
  },
  DeleteTask: {
    call: (c) => c.tasks(WS).delete(WT, { ifMatch: '"7"' }),
    headers: { 'if-match': '"7"' },
  },
  FetchTask: { call: (c) => c.tasks(WS).get(WT) },
  UpdateTask: {
    call: (c) =>
      c.tasks(WS).update(WT, { assignmentStatus: 'canceled', reason: 'hung up' }, { ifMatch: '3' }),
    body: { AssignmentStatus: 'canceled', Reason: 'hung up' },
    headers: { 'if-match': '3' },
  },
  ListTaskReservation: {
    call: (c) => drain(c.taskReservations(WS, WT).list({ reservationStatus: 'pending', workerSid: WK })),
    query: { ReservationStatus: 'pending', WorkerSid: WK },
  },
  FetchTaskReservation: { call: (c) => c.taskReservations(WS, WT).get(WR) },
  UpdateTaskReservation: {
    call: (c) =>
      c.taskReservations(WS, WT).update(
        WR,
        {
          instruction: 'conference',
          from: '+15550100',
          to: 'client:alice',
          conferenceStatusCallbackEvent: ['start', 'end'],
          endConferenceOnExit: true,
          postWorkActivitySid: WA,
        },
        { ifMatch: '9' },
      ),
    body: {
      Instruction: 'conference',
      From: '+15550100',
      To: 'client:alice',
      ConferenceStatusCallbackEvent: ['start', 'end'],
      EndConferenceOnExit: 'true',
      PostWorkActivitySid: WA,
    },
    headers: { 'if-match': '9' },
  },
  ListWorker: {
    call: (c) =>
      drain(c.workers(WS).list({ activityName: 'Available', targetWorkersExpression: 'level > 2' })),
    query: { ActivityName: 'Available', TargetWorkersExpression: 'level > 2' },
  },
  CreateWorker: {
    call: (c) => c.workers(WS).create({ friendlyName: 'Alice', activitySid: WA, attributes: '{"level":3}' }),
    body: { FriendlyName: 'Alice', ActivitySid: WA, Attributes: '{"level":3}' },
  },
  FetchWorkersCumulativeStatistics: {
    call: (c) => c.statistics(WS).workers.cumulative({ taskChannel: 'sms' }),
    query: { TaskChannel: 'sms' },
  },
  FetchWorkersRealTimeStatistics: { call: (c) => c.statistics(WS).workers.realTime() },
  FetchWorkerStatistics: {
    call: (c) => c.statistics(WS).workers.get({ taskQueueSid: WQ, friendlyName: 'Alice' }),
    query: { TaskQueueSid: WQ, FriendlyName: 'Alice' },
  },
  DeleteWorker: {
    call: (c) => c.workers(WS).delete(WK, { ifMatch: '2' }),
    headers: { 'if-match': '2' },
  },
  FetchWorker: { call: (c) => c.workers(WS).get(WK) },
  UpdateWorker: {
    call: (c) =>
      c.workers(WS).update(WK, { activitySid: WA, rejectPendingReservations: true }, { ifMatch: '4' }),
    body: { ActivitySid: WA, RejectPendingReservations: 'true' },
    headers: { 'if-match': '4' },
  },
  ListWorkerChannel: { call: (c) => c.workerChannels(WS, WK).list().toArray() },
  FetchWorkerChannel: { call: (c) => c.workerChannels(WS, WK).get('voice') },
  UpdateWorkerChannel: {
    call: (c) => c.workerChannels(WS, WK).update('chat', { capacity: 3, available: true }),
    body: { Capacity: '3', Available: 'true' },
  },
  ListWorkerReservation: {
    call: (c) => drain(c.workerReservations(WS, WK).list({ reservationStatus: 'accepted' })),
    query: { ReservationStatus: 'accepted' },
  },
  FetchWorkerReservation: { call: (c) => c.workerReservations(WS, WK).get(WR) },
  UpdateWorkerReservation: {
    call: (c) =>
      c.workerReservations(WS, WK).update(WR, {
        instruction: 'dequeue',
        dequeueFrom: '+15550100',
        dequeueStatusCallbackEvent: ['initiated', 'completed'],
        dequeuePostWorkActivitySid: WA,
      }),
    body: {
      Instruction: 'dequeue',
      DequeueFrom: '+15550100',
      DequeueStatusCallbackEvent: ['initiated', 'completed'],
      DequeuePostWorkActivitySid: WA,
    },
  },
  FetchWorkerInstanceStatistics: {
    call: (c) => c.statistics(WS).worker(WK).get({ minutes: 30 }),
    query: { Minutes: '30' },
  },
  ListWorkflow: {
    call: (c) => drain(c.workflows(WS).list({ friendlyName: 'Sales' })),
    query: { FriendlyName: 'Sales' },
  },
  CreateWorkflow: {
    call: (c) =>
      c.workflows(WS).create({
        friendlyName: 'Sales',
        configuration: { task_routing: { default_filter: { queue: WQ } } },
        assignmentCallbackUrl: 'https://example.com/assign',
        taskReservationTimeout: 30,
      }),
    body: {
      FriendlyName: 'Sales',
      Configuration: `{"task_routing":{"default_filter":{"queue":"${WQ}"}}}`,
      AssignmentCallbackUrl: 'https://example.com/assign',
      TaskReservationTimeout: '30',
    },
  },
  DeleteWorkflow: { call: (c) => c.workflows(WS).delete(WW) },
  FetchWorkflow: { call: (c) => c.workflows(WS).get(WW) },
  UpdateWorkflow: {
    call: (c) =>
      c
        .workflows(WS)
        .update(WW, { reEvaluateTasks: true, fallbackAssignmentCallbackUrl: 'https://f.example' }),
    body: { ReEvaluateTasks: 'true', FallbackAssignmentCallbackUrl: 'https://f.example' },
  },
  FetchWorkflowCumulativeStatistics: {
    call: (c) => c.statistics(WS).workflow(WW).cumulative({ splitByWaitTime: '15' }),
    query: { SplitByWaitTime: '15' },
  },
  FetchWorkflowRealTimeStatistics: { call: (c) => c.statistics(WS).workflow(WW).realTime() },
  FetchWorkflowStatistics: { call: (c) => c.statistics(WS).workflow(WW).get() },
};

describe('every operation through the classic client', () => {
  it('covers all 61 operations of the spec', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(operationTable).sort());
    expect(Object.keys(cases)).toHaveLength(61);
  });

  it.each(Object.entries(cases) as [OperationId, Case][])(
    '%s sends its method, path and PascalCase fields',
    async (id, spec) => {
      const { fetch, requests } = recordingFetch(answer);
      const client = new TaskRouterClient({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        baseUrl: BASE_URL,
        fetch,
      });
      await spec.call(client);
      expect(requests).toHaveLength(1);
      const [request] = requests as [RecordedRequest];
      expect(operationOf(request)).toBe(id);
      expect(request.body).toEqual(spec.body);
      expect(request.query).toMatchObject(spec.query ?? {});
      for (const [name, value] of Object.entries(spec.headers ?? {}))
        expect(request.headers.get(name)).toBe(value);
      if (!spec.headers) expect(request.headers.has('if-match')).toBe(false);
    },
  );
});
