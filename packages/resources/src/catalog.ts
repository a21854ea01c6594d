import type { OperationId, operationTable, operations } from '@taskrouter/core';
import type { sidParameters } from '@taskrouter/core/facts';

/** The operations a collection may offer, by method, named by their operation ids in the spec. */
export interface CollectionOperations {
  /** Lists the members (`list` and `page`). */
  readonly list?: OperationId;
  /** Creates a member. */
  readonly create?: OperationId;
  /** Fetches a member (`get`). */
  readonly fetch?: OperationId;
  /** Changes a member. */
  readonly update?: OperationId;
  /** Deletes a member. */
  readonly delete?: OperationId;
}

/** One collection of the catalog: where it lives, how members are named and which operations it has. */
export interface CatalogEntry {
  /** Spec path of the list; a member's path is this plus `/{Sid}`. */
  readonly path: string;
  /** SID prefix of the members; `undefined` where a member may also be named by its unique name. */
  readonly sidPrefix: string | undefined;
  /** The operations of the spec this collection offers. */
  readonly operations: CollectionOperations;
}

/** The SID prefix the spec gives the `Sid` path parameter of an operation (`undefined` when it also takes names). */
export type SidPrefixOf<Id extends OperationId> = (typeof sidParameters)[Id] extends {
  readonly path: { readonly Sid: infer Prefix };
}
  ? Prefix
  : undefined;

/** Whether an operation takes an `If-Match` header (a conditional write). */
export type TakesIfMatch<Id extends OperationId> = [
  NonNullable<operations[Id]['parameters']['header']>,
] extends [never]
  ? false
  : NonNullable<operations[Id]['parameters']['header']> extends { 'If-Match'?: unknown }
    ? true
    : false;

/**
 * What an entry must state to agree with the spec: the list path of its list (or create)
 * operation and the SID prefix of its fetch operation's `Sid`. A disagreeing entry does not
 * compile where it is used.
 */
export type SpecConsistent<E extends CatalogEntry> = {
  readonly path: (typeof operationTable)[NonNullable<
    E['operations']['list'] | E['operations']['create']
  >]['path'];
  readonly sidPrefix: E['operations']['fetch'] extends OperationId
    ? SidPrefixOf<E['operations']['fetch']>
    : undefined;
};

/** The workspaces of the account. */
export const workspaceCatalog = {
  path: '/v1/Workspaces',
  sidPrefix: 'WS',
  operations: {
    list: 'ListWorkspace',
    create: 'CreateWorkspace',
    fetch: 'FetchWorkspace',
    update: 'UpdateWorkspace',
    delete: 'DeleteWorkspace',
  },
} as const;

/** The activities of a workspace. */
export const activityCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Activities',
  sidPrefix: 'WA',
  operations: {
    list: 'ListActivity',
    create: 'CreateActivity',
    fetch: 'FetchActivity',
    update: 'UpdateActivity',
    delete: 'DeleteActivity',
  },
} as const;

/** The task queues of a workspace. */
export const taskQueueCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/TaskQueues',
  sidPrefix: 'WQ',
  operations: {
    list: 'ListTaskQueue',
    create: 'CreateTaskQueue',
    fetch: 'FetchTaskQueue',
    update: 'UpdateTaskQueue',
    delete: 'DeleteTaskQueue',
  },
} as const;

/** The workflows of a workspace. */
export const workflowCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workflows',
  sidPrefix: 'WW',
  operations: {
    list: 'ListWorkflow',
    create: 'CreateWorkflow',
    fetch: 'FetchWorkflow',
    update: 'UpdateWorkflow',
    delete: 'DeleteWorkflow',
  },
} as const;

/** The workers of a workspace. */
export const workerCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workers',
  sidPrefix: 'WK',
  operations: {
    list: 'ListWorker',
    create: 'CreateWorker',
    fetch: 'FetchWorker',
    update: 'UpdateWorker',
    delete: 'DeleteWorker',
  },
} as const;

/** The tasks of a workspace. */
export const taskCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Tasks',
  sidPrefix: 'WT',
  operations: {
    list: 'ListTask',
    create: 'CreateTask',
    fetch: 'FetchTask',
    update: 'UpdateTask',
    delete: 'DeleteTask',
  },
} as const;

/** The task channels of a workspace, named by SID or unique name. */
export const taskChannelCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/TaskChannels',
  sidPrefix: undefined,
  operations: {
    list: 'ListTaskChannel',
    create: 'CreateTaskChannel',
    fetch: 'FetchTaskChannel',
    update: 'UpdateTaskChannel',
    delete: 'DeleteTaskChannel',
  },
} as const;

/** The channels of one worker, named by SID or by their task channel's unique name. */
export const workerChannelCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels',
  sidPrefix: undefined,
  operations: { list: 'ListWorkerChannel', fetch: 'FetchWorkerChannel', update: 'UpdateWorkerChannel' },
} as const;

/** The reservations of one task. */
export const taskReservationCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations',
  sidPrefix: 'WR',
  operations: { list: 'ListTaskReservation', fetch: 'FetchTaskReservation', update: 'UpdateTaskReservation' },
} as const;

/** The reservations of one worker. */
export const workerReservationCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations',
  sidPrefix: 'WR',
  operations: {
    list: 'ListWorkerReservation',
    fetch: 'FetchWorkerReservation',
    update: 'UpdateWorkerReservation',
  },
} as const;

/** The events of a workspace. */
export const eventCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Events',
  sidPrefix: 'EV',
  operations: { list: 'ListEvent', fetch: 'FetchEvent' },
} as const;

/** The three views of one statistics scope, by operation id. */
export interface StatisticsOperations {
  /** Real-time and cumulative together. */
  readonly get: OperationId;
  /** Real-time only; absent where the spec has none (one worker). */
  readonly realTime?: OperationId;
  /** Cumulative only; absent where the spec has none (one worker). */
  readonly cumulative?: OperationId;
}

/** A statistics scope of the catalog: its base path and its operations. */
export interface StatisticsEntry {
  /** Spec path the views append `/Statistics`, `/RealTimeStatistics` or `/CumulativeStatistics` to. */
  readonly path: string;
  /** The views the spec has. */
  readonly operations: StatisticsOperations;
}

/** Statistics of the workspace as a whole. */
export const workspaceStatisticsCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}',
  operations: {
    get: 'FetchWorkspaceStatistics',
    realTime: 'FetchWorkspaceRealTimeStatistics',
    cumulative: 'FetchWorkspaceCumulativeStatistics',
  },
} as const;

/** Statistics of all the workers of a workspace. */
export const workersStatisticsCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workers',
  operations: {
    get: 'FetchWorkerStatistics',
    realTime: 'FetchWorkersRealTimeStatistics',
    cumulative: 'FetchWorkersCumulativeStatistics',
  },
} as const;

/** Statistics of one task queue. */
export const taskQueueStatisticsCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/TaskQueues/{TaskQueueSid}',
  operations: {
    get: 'FetchTaskQueueStatistics',
    realTime: 'FetchTaskQueueRealTimeStatistics',
    cumulative: 'FetchTaskQueueCumulativeStatistics',
  },
} as const;

/** Statistics of one workflow. */
export const workflowStatisticsCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workflows/{WorkflowSid}',
  operations: {
    get: 'FetchWorkflowStatistics',
    realTime: 'FetchWorkflowRealTimeStatistics',
    cumulative: 'FetchWorkflowCumulativeStatistics',
  },
} as const;

/** Statistics of one worker: the spec has the combined view only. */
export const workerStatisticsCatalog = {
  path: '/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}',
  operations: { get: 'FetchWorkerInstanceStatistics' },
} as const;
