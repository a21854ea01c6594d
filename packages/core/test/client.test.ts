import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  DEFAULT_BASE_URL,
  type OperationId,
  type TaskRouterClientOptions,
  operationTable,
  TaskRouterValidationError,
  createTaskRouterClient,
} from '../src/index.js';
import { type OperationSidParameters, type SidPrefixes, sidParameters } from '../src/facts.js';
import {
  ACCOUNT_SID,
  API_KEY,
  API_SECRET,
  AUTH_TOKEN,
  WORKSPACE_SID,
  recordingFetch,
  sid,
  testClient,
} from './helpers.js';

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

function validationError(run: () => unknown): TaskRouterValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TaskRouterValidationError);
    return error as TaskRouterValidationError;
  }
  throw new Error('expected a TaskRouterValidationError');
}

describe('options', () => {
  const base: TaskRouterClientOptions = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };

  test.each([
    ['accountSid', { accountSid: 'AC123' }],
    ['accountSid', { accountSid: sid('WS') }],
    ['authToken', { authToken: '' }],
    ['authToken', { authToken: AUTH_TOKEN, apiKey: API_KEY, apiSecret: API_SECRET }],
    ['authToken', { authToken: undefined }],
    ['apiKey', { authToken: undefined, apiKey: sid('AC'), apiSecret: API_SECRET }],
    ['apiKey', { authToken: undefined, apiSecret: API_SECRET }],
    ['apiSecret', { authToken: undefined, apiKey: API_KEY }],
    ['baseUrl', { baseUrl: 'taskrouter.twilio.com' }],
    ['baseUrl', { baseUrl: 'ftp://taskrouter.twilio.com' }],
    ['baseUrl', { baseUrl: 'https://user:pw@taskrouter.twilio.com' }],
    ['baseUrl', { baseUrl: 'https://taskrouter.twilio.com?x=1' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: 3_000_000_000 }],
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['userAgent', { userAgent: 'agent\r\nX-Injected: 1' }],
    ['fetch', { fetch: 'not a function' }],
  ] as const)('rejects a bad %s', (field, override) => {
    const error = validationError(() =>
      createTaskRouterClient({ ...base, ...override } as unknown as TaskRouterClientOptions),
    );
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  test('rejects a non-object', () => {
    expect(validationError(() => createTaskRouterClient(null as never)).field).toBe('options');
  });

  test('strips trailing slashes from the base URL and keeps a path prefix', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch, { baseUrl: 'http://127.0.0.1:4010/taskrouter///' });
    expect(client.baseUrl).toBe('http://127.0.0.1:4010/taskrouter');
    await client.GET('/v1/Workspaces');
    expect(requests[0]?.url).toBe('http://127.0.0.1:4010/taskrouter/v1/Workspaces');
  });

  test('defaults to the TaskRouter host', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch);
    expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    await client.GET('/v1/Workspaces');
    expect(requests[0]?.url).toBe('https://taskrouter.twilio.com/v1/Workspaces');
  });
});

describe('authentication and headers', () => {
  test('sends Basic auth with the account SID and auth token, plus default headers', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).GET('/v1/Workspaces');
    const headers = requests[0]?.headers;
    expect(headers?.get('Authorization')).toBe(basic(ACCOUNT_SID, AUTH_TOKEN));
    expect(headers?.get('Accept')).toBe('application/json');
    expect(headers?.get('User-Agent')).toBe('@taskrouter/core');
  });

  test('sends Basic auth with the API key and secret', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createTaskRouterClient({
      accountSid: ACCOUNT_SID,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      fetch,
    });
    await client.GET('/v1/Workspaces');
    expect(requests[0]?.headers.get('Authorization')).toBe(basic(API_KEY, API_SECRET));
  });

  test('uses a custom User-Agent and keeps per-call headers', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch, { userAgent: 'my-app/1.2' });
    await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WT') }, header: { 'If-Match': '"7"' } },
      body: { Priority: 3 },
      headers: { 'X-Trace': 'abc' },
    });
    const headers = requests[0]?.headers;
    expect(headers?.get('User-Agent')).toBe('my-app/1.2');
    expect(headers?.get('If-Match')).toBe('"7"');
    expect(headers?.get('X-Trace')).toBe('abc');
    expect(headers?.get('Content-Type')).toBe('application/x-www-form-urlencoded');
  });
});

describe('fetch lookup', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('looks up globalThis.fetch on every call when no fetch is given', async () => {
    const client = createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const first = recordingFetch(() => Response.json({ n: 1 }));
    vi.stubGlobal('fetch', first.fetch);
    expect((await client.GET('/v1/Workspaces')).data).toEqual({ n: 1 });
    const second = recordingFetch(() => Response.json({ n: 2 }));
    vi.stubGlobal('fetch', second.fetch);
    expect((await client.GET('/v1/Workspaces')).data).toEqual({ n: 2 });
    expect([first.requests.length, second.requests.length]).toEqual([1, 1]);
  });
});

describe('per-call options', () => {
  test('a per-call fetch cannot bypass the client transport', async () => {
    const { fetch, requests } = recordingFetch();
    const bypass = recordingFetch();
    await testClient(fetch).GET('/v1/Workspaces', { fetch: bypass.fetch } as never);
    expect(requests).toHaveLength(1);
    expect(bypass.requests).toHaveLength(0);
  });

  test('a per-call bodySerializer replaces the form encoding', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).POST('/v1/Workspaces', {
      body: { FriendlyName: 'Support' },
      bodySerializer: () => 'FriendlyName=Custom',
    });
    expect(requests[0]?.body).toBe('FriendlyName=Custom');
  });
});

describe('responses', () => {
  test('resolves a 2xx answer to { data, response }', async () => {
    const task = { sid: sid('WT'), assignment_status: 'pending' };
    const { fetch } = recordingFetch(() => Response.json(task, { status: 201, headers: { ETag: '"1"' } }));
    const result = await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: {},
    });
    expect(result.data).toEqual(task);
    expect(result.response.status).toBe(201);
    expect(result.response.headers.get('ETag')).toBe('"1"');
  });

  test('resolves a 204 delete with undefined data', async () => {
    const { fetch, requests } = recordingFetch(() => new Response(null, { status: 204 }));
    const result = await testClient(fetch).DELETE('/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WK') } },
    });
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(204);
    expect(requests[0]?.method).toBe('DELETE');
  });

  test('runs middleware registered with use(), and stops after eject()', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch);
    const middleware = {
      onRequest({ request }: { request: Request }) {
        request.headers.set('X-Middleware', 'yes');
        return request;
      },
    };
    client.use(middleware);
    await client.GET('/v1/Workspaces');
    client.eject(middleware);
    await client.GET('/v1/Workspaces');
    expect(requests.map((request) => request.headers.get('X-Middleware'))).toEqual(['yes', null]);
  });
});

describe('SID validation before sending', () => {
  test.each([
    ['params.path.WorkspaceSid', { WorkspaceSid: 'WS123', Sid: sid('WT') }],
    ['params.path.Sid', { WorkspaceSid: WORKSPACE_SID, Sid: sid('WK') }],
    ['params.path.Sid', { WorkspaceSid: WORKSPACE_SID }],
  ])('rejects a bad %s', async (field, path) => {
    const { fetch, requests } = recordingFetch();
    const call = testClient(fetch).GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: path as { WorkspaceSid: string; Sid: string } },
    });
    await expect(call).rejects.toMatchObject({ name: 'TaskRouterValidationError', field });
    expect(requests).toHaveLength(0);
  });

  test('checks SID-valued body and query fields by name', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch);
    await expect(
      client.POST('/v1/Workspaces/{WorkspaceSid}/Workers/{Sid}', {
        params: { path: { WorkspaceSid: WORKSPACE_SID, Sid: sid('WK') } },
        body: { ActivitySid: sid('WK') },
      }),
    ).rejects.toMatchObject({ field: 'body.ActivitySid' });
    await expect(
      client.GET('/v1/Workspaces/{WorkspaceSid}/Events', {
        params: { path: { WorkspaceSid: WORKSPACE_SID }, query: { TaskSid: 'nope' } },
      }),
    ).rejects.toMatchObject({ field: 'params.query.TaskSid' });
    await expect(
      client.POST('/v1/Workspaces/{WorkspaceSid}/TaskQueues/RealTimeStatistics', {
        params: { path: { WorkspaceSid: WORKSPACE_SID } },
        body: { QueueSids: [sid('WQ'), sid('WW')] },
      }),
    ).rejects.toMatchObject({ field: 'body.QueueSids[1]' });
    expect(requests).toHaveLength(0);
  });

  test('checks every SID-valued parameter and field the spec gives a pattern', async () => {
    const { fetch, requests } = recordingFetch();
    const client = testClient(fetch);
    const call = (method: string, path: string, init: object) =>
      (client[method as 'GET'] as (path: string, init: object) => Promise<unknown>)(path, init);
    let checked = 0;
    for (const [id, { method, path }] of Object.entries(operationTable)) {
      const locations: OperationSidParameters = sidParameters[id as OperationId];
      const pathValues = Object.fromEntries(
        [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => [name, sid(locations.path?.[name] ?? 'TC')]),
      );
      const wrong = (prefix: string) => sid(prefix === 'WS' ? 'WK' : 'WS');
      for (const [location, fields] of Object.entries(locations) as [string, SidPrefixes][]) {
        for (const [name, prefix] of Object.entries(fields)) {
          const init =
            location === 'path'
              ? { params: { path: { ...pathValues, [name]: wrong(prefix) } } }
              : location === 'query'
                ? { params: { path: pathValues, query: { [name]: wrong(prefix) } } }
                : { params: { path: pathValues }, body: { [name]: wrong(prefix) } };
          const field = location === 'body' ? `body.${name}` : `params.${location}.${name}`;
          await expect(call(method, path, init), `${id} ${field}`).rejects.toMatchObject({
            name: 'TaskRouterValidationError',
            field,
          });
          checked++;
        }
      }
    }
    expect(requests).toHaveLength(0);
    // Every path parameter of the spec but the two channel {Sid}s, and the query and body SIDs.
    expect(checked).toBeGreaterThan(100);
  });

  test('leaves fields without a SID pattern alone, whatever their name', async () => {
    const { fetch, requests } = recordingFetch();
    const untypedGet = testClient(fetch).GET as (path: string, init: object) => Promise<unknown>;
    await untypedGet('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: {
        path: { WorkspaceSid: WORKSPACE_SID },
        query: { TaskQueueName: 'support', constructor: 'x', toString: 'y' },
      },
    });
    expect(requests).toHaveLength(1);
  });

  test('accepts channel unique names where a channel SID may be given', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).GET('/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, WorkerSid: sid('WK'), Sid: 'voice' } },
    });
    expect(requests[0]?.url).toBe(
      `${DEFAULT_BASE_URL}/v1/Workspaces/${WORKSPACE_SID}/Workers/${sid('WK')}/Channels/voice`,
    );
  });

  test('rejects a value that cannot be form-encoded, naming the field', async () => {
    const { fetch, requests } = recordingFetch();
    const call = testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: { Priority: Number.POSITIVE_INFINITY },
    });
    await expect(call).rejects.toMatchObject({ name: 'TaskRouterValidationError', field: 'body.Priority' });
    expect(requests).toHaveLength(0);
  });
});

describe('request snapshots', () => {
  /** The request as sent, with each form field decoded on its own line for review. */
  function wire(request: { method: string; url: string; headers: Headers; body: string }) {
    const contentType = request.headers.get('Content-Type');
    const form = (text: string) => [...new URLSearchParams(text)].map(([name, value]) => `${name}=${value}`);
    const url = new URL(request.url);
    return {
      request: `${request.method} ${url.pathname}`,
      query: form(url.search),
      contentType,
      body: contentType === 'application/x-www-form-urlencoded' ? form(request.body) : request.body,
    };
  }

  test('create a task with an attributes object', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({}, { status: 201 }));
    await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: {
        WorkflowSid: sid('WW'),
        Attributes: { type: 'support', language: ['en', 'fr'], vip: true, note: 'a&b=c d' },
        Priority: 10,
        Timeout: 3600,
        TaskChannel: 'voice',
        VirtualStartTime: new Date(Date.UTC(2024, 4, 17, 9, 30, 5, 123)),
      },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": [
          "WorkflowSid=WWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "Attributes={"type":"support","language":["en","fr"],"vip":true,"note":"a&b=c d"}",
          "Priority=10",
          "Timeout=3600",
          "TaskChannel=voice",
          "VirtualStartTime=2024-05-17T09:30:05Z",
        ],
        "contentType": "application/x-www-form-urlencoded",
        "query": [],
        "request": "POST /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Tasks",
      }
    `);
  });

  test('update a reservation with conference parameters', async () => {
    const { fetch, requests } = recordingFetch();
    await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}', {
      params: { path: { WorkspaceSid: WORKSPACE_SID, TaskSid: sid('WT'), Sid: sid('WR') } },
      body: {
        Instruction: 'conference',
        From: '+15550100',
        To: 'client:alice',
        ConferenceStatusCallback: 'https://example.com/conference',
        ConferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave'],
        EndConferenceOnExit: true,
        EarlyMedia: false,
        Timeout: 20,
        PostWorkActivitySid: sid('WA'),
      },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": [
          "Instruction=conference",
          "From=+15550100",
          "To=client:alice",
          "ConferenceStatusCallback=https://example.com/conference",
          "ConferenceStatusCallbackEvent=start",
          "ConferenceStatusCallbackEvent=end",
          "ConferenceStatusCallbackEvent=join",
          "ConferenceStatusCallbackEvent=leave",
          "EndConferenceOnExit=true",
          "EarlyMedia=false",
          "Timeout=20",
          "PostWorkActivitySid=WAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
        "contentType": "application/x-www-form-urlencoded",
        "query": [],
        "request": "POST /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Tasks/WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Reservations/WRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      }
    `);
  });

  test('create a workflow with a configuration object', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({}, { status: 201 }));
    const configuration = {
      task_routing: {
        filters: [
          { filter_friendly_name: 'French', expression: 'language == "fr"', targets: [{ queue: sid('WQ') }] },
        ],
        default_filter: { queue: sid('WQ', 'b') },
      },
    };
    await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: {
        FriendlyName: 'Sales',
        Configuration: { toJSON: () => configuration },
        AssignmentCallbackUrl: 'https://example.com/assign',
        TaskReservationTimeout: 120,
      },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": [
          "FriendlyName=Sales",
          "Configuration={"task_routing":{"filters":[{"filter_friendly_name":"French","expression":"language == \\"fr\\"","targets":[{"queue":"WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}],"default_filter":{"queue":"WQbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}}}",
          "AssignmentCallbackUrl=https://example.com/assign",
          "TaskReservationTimeout=120",
        ],
        "contentType": "application/x-www-form-urlencoded",
        "query": [],
        "request": "POST /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Workflows",
      }
    `);
  });

  test('list tasks filtered by several assignment statuses', async () => {
    const { fetch, requests } = recordingFetch(() =>
      Response.json({ tasks: [], meta: { key: 'tasks', next_page_url: null } }),
    );
    await testClient(fetch).GET('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: {
        path: { WorkspaceSid: WORKSPACE_SID },
        query: {
          AssignmentStatus: ['pending', 'reserved'],
          HasAddons: false,
          Ordering: 'DateCreated:desc',
          PageSize: 20,
        },
      },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": "",
        "contentType": null,
        "query": [
          "AssignmentStatus=pending",
          "AssignmentStatus=reserved",
          "HasAddons=false",
          "Ordering=DateCreated:desc",
          "PageSize=20",
        ],
        "request": "GET /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Tasks",
      }
    `);
  });

  test('list events between two dates', async () => {
    const { fetch, requests } = recordingFetch(() =>
      Response.json({ events: [], meta: { key: 'events', next_page_url: null } }),
    );
    await testClient(fetch).GET('/v1/Workspaces/{WorkspaceSid}/Events', {
      params: {
        path: { WorkspaceSid: WORKSPACE_SID },
        query: {
          StartDate: new Date(Date.UTC(2024, 0, 1)),
          EndDate: '2024-01-02T00:00:00Z',
          EventType: 'task.created',
        },
      },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": "",
        "contentType": null,
        "query": [
          "StartDate=2024-01-01T00:00:00Z",
          "EndDate=2024-01-02T00:00:00Z",
          "EventType=task.created",
        ],
        "request": "GET /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Events",
      }
    `);
  });

  test('bulk queue statistics as JSON', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ task_queue_data: [] }));
    await testClient(fetch).POST('/v1/Workspaces/{WorkspaceSid}/TaskQueues/RealTimeStatistics', {
      params: { path: { WorkspaceSid: WORKSPACE_SID } },
      body: { QueueSids: [sid('WQ'), sid('WQ', 'b')] },
    });
    expect(wire(requests[0]!)).toMatchInlineSnapshot(`
      {
        "body": "{"QueueSids":["WQaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","WQbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]}",
        "contentType": "application/json",
        "query": [],
        "request": "POST /v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/TaskQueues/RealTimeStatistics",
      }
    `);
  });
});
