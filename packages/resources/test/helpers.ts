import { createTaskRouterClient, decodeForm, type Schemas, type TaskRouterClient } from '@taskrouter/core';

export const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
export const AUTH_TOKEN = 'test-auth-token';
export const BASE_URL = 'https://taskrouter.test';

/** A SID of the given kind whose 32 digits repeat `digit`. */
export const sid = (prefix: string, digit = '1'): string => `${prefix}${digit.repeat(32)}`;

export const WS = sid('WS');
export const WW = sid('WW');
export const WA = sid('WA');
export const WQ = sid('WQ');
export const WK = sid('WK');
export const WT = sid('WT');
export const WR = sid('WR');
export const TC = sid('TC');
export const WC = sid('WC');
export const EV = sid('EV');

/** A request as the injected fetch saw it. */
export interface RecordedRequest {
  method: string;
  /** Path of the URL, without the base URL's origin. */
  path: string;
  query: Record<string, string | string[]>;
  /** Decoded form body, or the parsed JSON body. */
  body: unknown;
  headers: Headers;
}

/** What the fake server answers: a JSON document with a status, or a status alone (204). */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A fetch that records every request and answers with `answer(request)`; the default answer is
 * an empty 200 document.
 */
export function recordingFetch(answer: (request: RecordedRequest) => FakeAnswer = () => ({ body: {} })): {
  fetch: (request: Request) => Promise<Response>;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    const json = request.headers.get('content-type')?.startsWith('application/json');
    const recorded: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query: decodeForm(url.search.slice(1)),
      body: text === '' ? undefined : json ? JSON.parse(text) : decodeForm(text),
      headers: request.headers,
    };
    requests.push(recorded);
    const { status = 200, body, headers = {} } = answer(recorded);
    return new Response(status === 204 ? null : JSON.stringify(body ?? {}), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
  };
  return { fetch, requests };
}

/** A core client on a {@link recordingFetch}. */
export function recordingClient(answer?: (request: RecordedRequest) => FakeAnswer): {
  api: TaskRouterClient;
  requests: RecordedRequest[];
} {
  const { fetch, requests } = recordingFetch(answer);
  const api = createTaskRouterClient({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    baseUrl: BASE_URL,
    fetch,
  });
  return { api, requests };
}

const links = (names: string[], base: string): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, `${base}/${name}`]));

/** A task document as the service sends it. */
export function wireTask(
  overrides: Partial<Schemas['taskrouter.v1.workspace.task']> = {},
): Schemas['taskrouter.v1.workspace.task'] {
  const url = `${BASE_URL}/v1/Workspaces/${WS}/Tasks/${WT}`;
  return {
    account_sid: ACCOUNT_SID,
    age: 25,
    assignment_status: 'pending',
    attributes: '{"type":"support","customer":{"tier":"gold"}}',
    addons: '{}',
    date_created: '2024-03-01T10:00:00Z',
    date_updated: '2024-03-01T10:00:05Z',
    task_queue_entered_date: '2024-03-01T10:00:01Z',
    priority: 5,
    reason: null,
    sid: WT,
    task_queue_sid: WQ,
    task_queue_friendly_name: 'Sample Queue',
    task_channel_sid: TC,
    task_channel_unique_name: 'default',
    timeout: 86400,
    workflow_sid: WW,
    workflow_friendly_name: 'Default Fifo Workflow',
    workspace_sid: WS,
    url,
    links: links(['task_queue', 'workflow', 'workspace', 'reservations'], url),
    virtual_start_time: '2024-03-01T10:00:00Z',
    ignore_capacity: false,
    routing_target: null,
    ...overrides,
  };
}

/** A workspace document as the service sends it. */
export function wireWorkspace(
  overrides: Partial<Schemas['taskrouter.v1.workspace']> = {},
): Schemas['taskrouter.v1.workspace'] {
  const url = `${BASE_URL}/v1/Workspaces/${WS}`;
  return {
    account_sid: ACCOUNT_SID,
    date_created: '2024-01-02T03:04:05Z',
    date_updated: '2024-01-02T03:04:05Z',
    default_activity_name: 'Offline',
    default_activity_sid: WA,
    event_callback_url: null,
    events_filter: null,
    friendly_name: 'Customer Support',
    multi_task_enabled: true,
    sid: WS,
    timeout_activity_name: 'Offline',
    timeout_activity_sid: WA,
    prioritize_queue_order: 'FIFO',
    url,
    links: links(['activities', 'task_queues', 'real_time_statistics'], url),
    ...overrides,
  };
}

/** A workflow document as the service sends it. */
export function wireWorkflow(
  overrides: Partial<Schemas['taskrouter.v1.workspace.workflow']> = {},
): Schemas['taskrouter.v1.workspace.workflow'] {
  return {
    account_sid: ACCOUNT_SID,
    assignment_callback_url: 'https://example.com/assign',
    configuration: JSON.stringify({ task_routing: { default_filter: { queue: WQ } } }),
    date_created: '2024-01-02T03:04:05Z',
    date_updated: '2024-01-02T03:04:05Z',
    document_content_type: 'application/json',
    fallback_assignment_callback_url: null,
    friendly_name: 'Default Fifo Workflow',
    sid: WW,
    task_reservation_timeout: 120,
    workspace_sid: WS,
    url: `${BASE_URL}/v1/Workspaces/${WS}/Workflows/${WW}`,
    links: {},
    ...overrides,
  };
}

/** A list page as the service sends it: the items under `key`, and `meta` pointing at the next page. */
export function wirePage(key: string, items: unknown[], path: string, next: string | null, page = 0) {
  const url = `${BASE_URL}${path}?PageSize=${items.length}&Page=${page}`;
  return {
    [key]: items,
    meta: {
      page,
      page_size: items.length,
      first_page_url: `${BASE_URL}${path}?PageSize=${items.length}&Page=0`,
      previous_page_url: null,
      next_page_url: next,
      url,
      key,
    },
  };
}
