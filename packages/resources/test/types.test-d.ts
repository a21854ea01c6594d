import { describe, expectTypeOf, it } from 'vitest';
import { collection } from '../src/collection.js';
import {
  type ActivitiesApi,
  activityCatalog,
  type EventsApi,
  type TaskReservationsApi,
  type WorkerChannelsApi,
  type WorkerStatisticsApi,
  type WorkflowStatisticsApi,
} from '../src/index.js';
import type {
  CamelCase,
  ItemIterable,
  Page,
  PascalCase,
  RequiredParamOf,
  Task,
  TaskCreateParams,
  TaskFilters,
  TaskRouterClient,
  TaskRouterEvent,
  TaskStatus,
  Versioned,
  Worker,
  WorkerReservation,
  Workflow,
  WorkflowCreateParams,
  WorkspaceCumulativeStatistics,
  WorkspaceRealTimeStatistics,
  Workspace,
  WorkspaceCreateParams,
} from '../src/index.js';

declare const client: TaskRouterClient;

describe('string transforms', () => {
  it('camelCases snake_case and PascalCases camelCase', () => {
    expectTypeOf<CamelCase<'date_status_changed'>>().toEqualTypeOf<'dateStatusChanged'>();
    expectTypeOf<CamelCase<'sid'>>().toEqualTypeOf<'sid'>();
    expectTypeOf<PascalCase<'friendlyName'>>().toEqualTypeOf<'FriendlyName'>();
  });
});

describe('resources', () => {
  it('types a workspace in camelCase with dates and always-set identifiers', () => {
    expectTypeOf<Workspace['sid']>().toEqualTypeOf<string>();
    expectTypeOf<Workspace['friendlyName']>().toEqualTypeOf<string | null>();
    expectTypeOf<Workspace['dateCreated']>().toEqualTypeOf<Date>();
    expectTypeOf<Workspace['prioritizeQueueOrder']>().toEqualTypeOf<'FIFO' | 'LIFO'>();
    expectTypeOf<Workspace['links']>().toEqualTypeOf<{ [key: string]: string } | null>();
    expectTypeOf<Workspace>().not.toHaveProperty('friendly_name');
  });

  it('types task attributes by the caller and the status as a union', () => {
    type Attributes = { type: string; priority: number };
    expectTypeOf<Task<Attributes>['attributes']>().toEqualTypeOf<Attributes>();
    expectTypeOf<Task['attributes']>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<Task['assignmentStatus']>().toEqualTypeOf<TaskStatus>();
    expectTypeOf<Task['virtualStartTime']>().toEqualTypeOf<Date | null>();
    expectTypeOf<Task['addons']>().toEqualTypeOf<Record<string, unknown> | null>();
    expectTypeOf<Worker<Attributes>['attributes']>().toEqualTypeOf<Attributes | null>();
  });

  it('parses the workflow configuration and keeps event data as sent', () => {
    expectTypeOf<Workflow['configuration']>().toEqualTypeOf<Record<string, unknown> | null>();
    expectTypeOf<TaskRouterEvent['eventData']>().toEqualTypeOf<{ [key: string]: unknown } | null>();
    expectTypeOf<TaskRouterEvent['eventDate']>().toEqualTypeOf<Date | null>();
  });

  it('types reservation statuses as a union', () => {
    expectTypeOf<WorkerReservation['reservationStatus']>().toEqualTypeOf<
      'pending' | 'accepted' | 'rejected' | 'timeout' | 'canceled' | 'rescinded' | 'wrapping' | 'completed'
    >();
  });

  it('types statistics in camelCase', () => {
    expectTypeOf<WorkspaceRealTimeStatistics['totalTasks']>().toEqualTypeOf<number>();
    expectTypeOf<WorkspaceRealTimeStatistics['tasksByStatus']>().toEqualTypeOf<{
      [key: string]: number;
    } | null>();
    expectTypeOf<WorkspaceCumulativeStatistics['startTime']>().toEqualTypeOf<Date | null>();
    expectTypeOf<NonNullable<WorkspaceCumulativeStatistics['waitDurationUntilAccepted']>>().toEqualTypeOf<{
      avg: number;
      min: number;
      max: number;
      total: number;
    }>();
  });
});

describe('parameters', () => {
  it('requires exactly the fields the spec requires', () => {
    expectTypeOf<RequiredParamOf<'CreateWorkspace'>>().toEqualTypeOf<'friendlyName'>();
    expectTypeOf<RequiredParamOf<'CreateWorkflow'>>().toEqualTypeOf<'friendlyName' | 'configuration'>();
    expectTypeOf<RequiredParamOf<'CreateTaskChannel'>>().toEqualTypeOf<'friendlyName' | 'uniqueName'>();
    expectTypeOf<RequiredParamOf<'CreateActivity'>>().toEqualTypeOf<'friendlyName'>();
    expectTypeOf<RequiredParamOf<'CreateTaskQueue'>>().toEqualTypeOf<'friendlyName'>();
    expectTypeOf<RequiredParamOf<'CreateWorker'>>().toEqualTypeOf<'friendlyName'>();
    expectTypeOf<RequiredParamOf<'CreateTask'>>().toEqualTypeOf<never>();
  });

  it('accepts camelCase, narrowed enums, dates and JSON documents', () => {
    expectTypeOf<WorkspaceCreateParams['template']>().toEqualTypeOf<'NONE' | 'FIFO' | undefined>();
    expectTypeOf<TaskCreateParams<{ a: number }>['attributes']>().toEqualTypeOf<
      { a: number } | string | undefined
    >();
    expectTypeOf<TaskCreateParams['virtualStartTime']>().toEqualTypeOf<Date | string | undefined>();
    expectTypeOf<TaskCreateParams['ignoreCapacity']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<TaskFilters['assignmentStatus']>().toEqualTypeOf<
      TaskStatus | readonly TaskStatus[] | undefined
    >();
    expectTypeOf<{ toJSON(): string }>().toMatchTypeOf<WorkflowCreateParams['configuration']>();
  });

  it('rejects PascalCase names, unknown fields and values outside an enum', () => {
    // @ts-expect-error: parameters are camelCase
    client.workspaces.create({ FriendlyName: 'Support' });
    // @ts-expect-error: no such parameter
    client.workspaces.create({ friendlyName: 'Support', colour: 'blue' });
    // @ts-expect-error: not a template
    client.workspaces.create({ friendlyName: 'Support', template: 'LIFO' });
    // @ts-expect-error: not a task status
    client.tasks('WS').list({ assignmentStatus: ['waiting'] });
    // @ts-expect-error: not an instruction
    client.taskReservations('WS', 'WT').update('WR', { instruction: 'transfer' });
    // @ts-expect-error: supervise parameters exist only on a task's reservations
    client.workerReservations('WS', 'WK').update('WR', { supervisorMode: 'barge' });
  });

  it('offers ifMatch only where the API honours it', () => {
    client.tasks('WS').update('WT', { priority: 1 }, { ifMatch: '1' });
    client.workers('WS').delete('WK', { ifMatch: '1' });
    client.taskReservations('WS', 'WT').update('WR', { reservationStatus: 'accepted' }, { ifMatch: '1' });
    // @ts-expect-error: workspaces are not versioned
    client.workspaces.update('WS', { friendlyName: 'x' }, { ifMatch: '1' });
    // @ts-expect-error: activities are not versioned
    client.activities('WS').delete('WA', { ifMatch: '1' });
  });
});

describe('methods', () => {
  it('returns versioned tasks, workers and reservations', () => {
    expectTypeOf(client.tasks('WS').get('WT')).resolves.toEqualTypeOf<Task & Versioned>();
    expectTypeOf(client.workers<{ x: 1 }>('WS').create).returns.resolves.toEqualTypeOf<
      Worker<{ x: 1 }> & Versioned
    >();
    expectTypeOf(client.workerReservations('WS', 'WK').get('WR')).resolves.toEqualTypeOf<
      WorkerReservation & Versioned
    >();
    expectTypeOf(client.workspaces.get('WS')).resolves.toEqualTypeOf<Workspace>();
  });

  it('lists lazily and pages with a cursor', () => {
    expectTypeOf(client.workspaces.list()).toEqualTypeOf<ItemIterable<Workspace>>();
    expectTypeOf(client.tasks<{ n: number }>('WS').page()).resolves.toEqualTypeOf<
      Page<Task<{ n: number }>>
    >();
    expectTypeOf<Page<Task>['nextPageToken']>().toEqualTypeOf<string | null>();
    expectTypeOf(client.workspaces.delete('WS')).resolves.toEqualTypeOf<void>();
  });
});

describe('the catalog', () => {
  it('gives a collection exactly the methods whose operation the spec has', () => {
    expectTypeOf<keyof EventsApi>().toEqualTypeOf<'get' | 'list' | 'page'>();
    expectTypeOf<keyof WorkerChannelsApi>().toEqualTypeOf<'get' | 'list' | 'page' | 'update'>();
    expectTypeOf<keyof TaskReservationsApi>().toEqualTypeOf<'get' | 'list' | 'page' | 'update'>();
    expectTypeOf<keyof ActivitiesApi>().toEqualTypeOf<
      'create' | 'get' | 'list' | 'page' | 'update' | 'delete'
    >();
    expectTypeOf<keyof WorkerStatisticsApi>().toEqualTypeOf<'get'>();
    expectTypeOf<keyof WorkflowStatisticsApi>().toEqualTypeOf<'get' | 'realTime' | 'cumulative'>();
  });

  it('refuses an entry that disagrees with the spec where it is used', () => {
    const api = client.api;
    // @ts-expect-error: activities are WA…, not WQ…
    collection(api, { ...activityCatalog, sidPrefix: 'WQ' } as const, {});
    // @ts-expect-error: the list of activities lives under Activities
    collection(api, { ...activityCatalog, path: '/v1/Workspaces/{WorkspaceSid}/Workers' } as const, {});
  });
});
