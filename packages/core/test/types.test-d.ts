import { describe, expectTypeOf, test } from 'vitest';
import {
  type ListItem,
  type Schemas,
  type TaskRouterClient,
  assertSid,
  createTaskRouterClient,
  isSid,
  paginate,
  paginatePages,
} from '../src/index.js';

declare const client: TaskRouterClient;
const WorkspaceSid = 'WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const Sid = 'WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

describe('client calls', () => {
  test('data has the schema type of the response', async () => {
    const fetched = await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid, Sid } },
    });
    expectTypeOf(fetched.data).toEqualTypeOf<Schemas['taskrouter.v1.workspace.task']>();
    expectTypeOf(fetched.response).toEqualTypeOf<Response>();

    const listed = await client.GET('/v1/Workspaces/{WorkspaceSid}/Workers', {
      params: { path: { WorkspaceSid } },
    });
    expectTypeOf(listed.data).toEqualTypeOf<Schemas['ListWorkerResponse']>();

    const created = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Support' } });
    expectTypeOf(created.data).toEqualTypeOf<Schemas['taskrouter.v1.workspace']>();

    const deleted = await client.DELETE('/v1/Workspaces/{Sid}', { params: { path: { Sid: WorkspaceSid } } });
    expectTypeOf(deleted.data).toEqualTypeOf<undefined>();
  });

  test('createTaskRouterClient returns a TaskRouterClient', () => {
    expectTypeOf(createTaskRouterClient).returns.toEqualTypeOf<TaskRouterClient>();
  });

  test('a wrong path fails to compile', () => {
    // @ts-expect-error no such path
    client.GET('/v1/Workspace');
    // @ts-expect-error the path exists, but not for DELETE
    client.DELETE('/v1/Workspaces/{WorkspaceSid}/Events/{Sid}', { params: { path: { WorkspaceSid, Sid } } });
  });

  test('a wrong parameter name fails to compile', () => {
    client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      // @ts-expect-error Priority is misspelled
      body: { Priorty: 1 },
    });
    client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      // @ts-expect-error query names are PascalCase
      params: { path: { WorkspaceSid }, query: { assignmentStatus: ['pending'] } },
    });
    client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      // @ts-expect-error the path parameter is WorkspaceSid
      params: { path: { workspaceSid: WorkspaceSid, Sid } },
    });
  });

  test('a wrong parameter type fails to compile', () => {
    client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      // @ts-expect-error Priority is a number
      body: { Priority: 'high' },
    });
    client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      // @ts-expect-error AssignmentStatus is an array
      params: { path: { WorkspaceSid }, query: { AssignmentStatus: 42 } },
    });
    client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      // @ts-expect-error Attributes takes JSON text or an object, not a number
      body: { Attributes: 42 },
    });
  });

  test('a missing required body field or parameter fails to compile', () => {
    client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
      params: { path: { WorkspaceSid } },
      // @ts-expect-error Configuration is required
      body: { FriendlyName: 'Sales' },
    });
    // @ts-expect-error a workflow cannot be created without a body
    client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', { params: { path: { WorkspaceSid } } });
    // @ts-expect-error the path parameters are required
    client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks');
  });

  test('JSON fields take objects and date fields take Date', () => {
    client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      body: { Attributes: { type: 'support' }, VirtualStartTime: new Date() },
    });
    client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
      params: { path: { WorkspaceSid } },
      body: { FriendlyName: 'Sales', Configuration: { toJSON: () => ({ task_routing: { filters: [] } }) } },
    });
    client.GET('/v1/Workspaces/{WorkspaceSid}/Events', {
      params: { path: { WorkspaceSid }, query: { StartDate: new Date(), EndDate: '2024-01-01T00:00:00Z' } },
    });
    client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      // @ts-expect-error only date-time fields take Date
      body: { TaskChannel: new Date() },
    });
  });

  test('parseAs and a per-call fetch are not offered', () => {
    // @ts-expect-error parseAs would change what data holds
    client.GET('/v1/Workspaces', { parseAs: 'text' });
    // @ts-expect-error a per-call fetch would bypass credentials and retries
    client.GET('/v1/Workspaces', { fetch: globalThis.fetch });
  });
});

describe('pagination', () => {
  test('items and pages have the schema types', async () => {
    for await (const task of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid }, query: { AssignmentStatus: ['pending'] } },
    })) {
      expectTypeOf(task).toEqualTypeOf<Schemas['taskrouter.v1.workspace.task']>();
    }
    for await (const workspace of paginate(client, '/v1/Workspaces')) {
      expectTypeOf(workspace).toEqualTypeOf<Schemas['taskrouter.v1.workspace']>();
    }
    for await (const page of paginatePages(client, '/v1/Workspaces/{WorkspaceSid}/Activities', {
      params: { path: { WorkspaceSid } },
    })) {
      expectTypeOf(page).toEqualTypeOf<Schemas['ListActivityResponse']>();
    }
    expectTypeOf<ListItem<'/v1/Workspaces/{WorkspaceSid}/TaskQueues/Statistics'>>().toEqualTypeOf<
      Schemas['taskrouter.v1.workspace.task_queue.task_queues_statistics']
    >();
  });

  test('only list paths are accepted, with their own parameters', () => {
    // @ts-expect-error a fetch operation is not a list
    paginate(client, '/v1/Workspaces/{Sid}', { params: { path: { Sid: WorkspaceSid } } });
    // @ts-expect-error the workspace is required
    paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks');
    paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
      // @ts-expect-error Status is not a task filter
      params: { path: { WorkspaceSid }, query: { Status: 'pending' } },
    });
    // @ts-expect-error pageSize is a number
    paginate(client, '/v1/Workspaces', undefined, { pageSize: '50' });
  });
});

describe('SID helpers', () => {
  test('narrow unknown values to strings', () => {
    const value: unknown = WorkspaceSid;
    if (isSid(value, 'WS')) expectTypeOf(value).toEqualTypeOf<string>();
    const other: unknown = WorkspaceSid;
    assertSid(other, 'WS', 'workspaceSid');
    expectTypeOf(other).toEqualTypeOf<string>();
    // @ts-expect-error XX is not a SID prefix
    isSid(value, 'XX');
  });
});
