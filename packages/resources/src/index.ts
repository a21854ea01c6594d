/**
 * An ergonomic, fully typed camelCase client for every Twilio TaskRouter resource, built on
 * `@taskrouter/core`.
 *
 * Use the {@link TaskRouterClient} class for the classic helper-library shape, or the standalone
 * functions (`workspaces`, `tasks`, ...) on a core client when bundle size matters: each one only
 * pulls in its own resource. Webhooks (callback parsing, instruction builders, signature checks)
 * live in `@taskrouter/resources/webhooks`.
 *
 * @packageDocumentation
 */
export {
  createTaskRouterClient,
  DEFAULT_BASE_URL,
  isTaskRouterApiError,
  TaskRouterApiError,
  type TaskRouterClientOptions,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
  TaskRouterValidationError,
} from '@taskrouter/core';
export {
  type Activity,
  type ActivitiesApi,
  type ActivityCreateParams,
  type ActivityFilters,
  type ActivityUpdateParams,
  activities,
} from './activities.js';
export {
  activityCatalog,
  type CatalogEntry,
  type CollectionOperations,
  eventCatalog,
  type SidPrefixOf,
  type SpecConsistent,
  type StatisticsEntry,
  type StatisticsOperations,
  type TakesIfMatch,
  taskCatalog,
  taskChannelCatalog,
  taskQueueCatalog,
  taskQueueStatisticsCatalog,
  taskReservationCatalog,
  workerCatalog,
  workerChannelCatalog,
  workerReservationCatalog,
  workerStatisticsCatalog,
  workersStatisticsCatalog,
  workflowCatalog,
  workflowStatisticsCatalog,
  workspaceCatalog,
  workspaceStatisticsCatalog,
} from './catalog.js';
export { TaskRouterClient } from './client.js';
export type {
  Collection,
  ConditionallyDeletable,
  ConditionallyUpdatable,
  Creatable,
  Deletable,
  Fetchable,
  Listable,
  MemberResult,
  OperationOf,
  Updatable,
} from './collection.js';
export { type EventFilters, type EventsApi, events, type TaskRouterEvent } from './events.js';
export {
  type TaskReservation,
  type TaskReservationFilters,
  type TaskReservationsApi,
  type TaskReservationUpdateParams,
  taskReservations,
  type WorkerReservation,
  type WorkerReservationFilters,
  type WorkerReservationsApi,
  type WorkerReservationUpdateParams,
  workerReservations,
} from './reservations.js';
export {
  type StatisticsApi,
  type StatisticsViews,
  statistics,
  type TaskQueueCumulativeStatistics,
  type TaskQueueRealTimeStatistics,
  type TaskQueueStatistics,
  type TaskQueueStatisticsApi,
  type TaskQueuesRealTimeStatistics,
  type TaskQueuesStatisticsApi,
  type TaskQueuesStatisticsItem,
  type WorkerStatistics,
  type WorkerStatisticsApi,
  type WorkersCumulativeStatistics,
  type WorkersRealTimeStatistics,
  type WorkersStatistics,
  type WorkersStatisticsApi,
  type WorkflowCumulativeStatistics,
  type WorkflowRealTimeStatistics,
  type WorkflowStatistics,
  type WorkflowStatisticsApi,
  type WorkspaceCumulativeStatistics,
  type WorkspaceRealTimeStatistics,
  type WorkspaceStatistics,
  type WorkspaceStatisticsApi,
} from './statistics.js';
export {
  type TaskChannel,
  type TaskChannelCreateParams,
  type TaskChannelFilters,
  type TaskChannelsApi,
  type TaskChannelUpdateParams,
  taskChannels,
} from './task-channels.js';
export {
  type TaskQueue,
  type TaskQueueCreateParams,
  type TaskQueueFilters,
  type TaskQueuesApi,
  type TaskQueueUpdateParams,
  taskQueues,
} from './task-queues.js';
export {
  type Task,
  type TaskCreateParams,
  type TaskFilters,
  type TasksApi,
  type TaskUpdateParams,
  tasks,
} from './tasks.js';
export type {
  AlwaysSetField,
  BooleanTextField,
  CamelCase,
  CommaListField,
  ConditionalOptions,
  DateField,
  FiltersOf,
  FormOf,
  FromWire,
  InputDateField,
  InputFieldValue,
  ItemIterable,
  JsonObject,
  JsonSerializable,
  ListOptions,
  NarrowedField,
  NestedFromWire,
  Page,
  PageOptions,
  PagingParam,
  ParamsOf,
  PascalCase,
  PathOf,
  QueryOf,
  Readable,
  RequiredParamOf,
  ResultOf,
  TaskStatus,
  ToInput,
  Versioned,
  WireFieldValue,
  WorkflowConfigurationInput,
} from './types.js';
export {
  type WorkerChannel,
  type WorkerChannelFilters,
  type WorkerChannelsApi,
  type WorkerChannelUpdateParams,
  workerChannels,
} from './worker-channels.js';
export {
  type Worker,
  type WorkerCreateParams,
  type WorkerFilters,
  type WorkersApi,
  type WorkerUpdateParams,
  workers,
} from './workers.js';
export {
  type Workflow,
  type WorkflowCreateParams,
  type WorkflowFilters,
  type WorkflowsApi,
  type WorkflowUpdateParams,
  workflows,
} from './workflows.js';
export {
  type Workspace,
  type WorkspaceCreateParams,
  type WorkspaceFilters,
  type WorkspacesApi,
  type WorkspaceUpdateParams,
  workspaces,
} from './workspaces.js';
