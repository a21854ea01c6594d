/**
 * The clients compared per request: each creates a task and walks the 1,000-task list against the
 * stub server, through its own transport. Every call checks what it got back, so a client that
 * silently fails cannot look fast.
 */
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { createTaskRouterClient, type FetchLike, paginate } from '@taskrouter/core';
import { createNodeFetch, type NodeFetch } from '@taskrouter/core/node';
import { TaskRouterClient, tasks as tasksOf } from '@taskrouter/resources';
import twilio from 'twilio';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  LIST_PAGE_SIZE,
  LIST_TOTAL,
  TASK_ATTRIBUTES,
  TASK_PRIORITY,
  WORKSPACE_SID,
} from './fixtures.js';

/** What the per-request benchmark does with a client. */
export interface BenchClient {
  /** Creates one task and resolves to its SID. */
  createTask(): Promise<string>;
  /** Walks every page of the task list and resolves to the number of tasks seen. */
  walkList(): Promise<number>;
  /** Releases pooled connections. */
  close?(): void;
}

const ATTRIBUTES_JSON = JSON.stringify(TASK_ATTRIBUTES);
const BASIC_AUTH = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
const TASKS_PATH = `/v1/Workspaces/${WORKSPACE_SID}/Tasks`;

/** Throws unless the value is a task SID. */
export function expectTaskSid(value: unknown): string {
  if (typeof value !== 'string' || !/^WT[0-9a-f]{32}$/.test(value)) {
    throw new Error(`expected a task SID, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws unless a list walk saw every task. */
export function expectFullList(count: number): number {
  if (count !== LIST_TOTAL) throw new Error(`expected ${LIST_TOTAL} listed tasks, got ${count}`);
  return count;
}

interface TaskListPage {
  tasks: unknown[];
  meta: { next_page_url: string | null };
}

function twilioClient(baseUrl: string): BenchClient {
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN);
  client.taskrouter.baseUrl = baseUrl;
  const tasks = client.taskrouter.v1.workspaces(WORKSPACE_SID).tasks;
  return {
    createTask: async () =>
      expectTaskSid((await tasks.create({ attributes: ATTRIBUTES_JSON, priority: TASK_PRIORITY })).sid),
    walkList: async () => expectFullList((await tasks.list({ pageSize: LIST_PAGE_SIZE })).length),
  };
}

function rawFetchClient(baseUrl: string, fetch: typeof globalThis.fetch = globalThis.fetch): BenchClient {
  const headers = { authorization: BASIC_AUTH, accept: 'application/json' };
  return {
    async createTask() {
      const response = await fetch(baseUrl + TASKS_PATH, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Attributes: ATTRIBUTES_JSON,
          Priority: String(TASK_PRIORITY),
        }).toString(),
      });
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      return expectTaskSid(((await response.json()) as { sid: unknown }).sid);
    },
    async walkList() {
      let count = 0;
      let next: string | null = `${baseUrl}${TASKS_PATH}?PageSize=${LIST_PAGE_SIZE}`;
      while (next !== null) {
        const response = await fetch(next, { headers });
        if (!response.ok) throw new Error(`list answered ${response.status}`);
        const page = (await response.json()) as TaskListPage;
        count += page.tasks.length;
        next = page.meta.next_page_url;
      }
      return expectFullList(count);
    },
  };
}

function nodeHttpClient(baseUrl: string): BenchClient {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const send = (method: string, url: string, body?: string) =>
    new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: BASIC_AUTH, accept: 'application/json' };
      if (body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = httpRequest(url, { method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    async createTask() {
      const form = new URLSearchParams({ Attributes: ATTRIBUTES_JSON, Priority: String(TASK_PRIORITY) });
      const { status, json } = await send('POST', baseUrl + TASKS_PATH, form.toString());
      if (status !== 201) throw new Error(`create answered ${status}`);
      return expectTaskSid((json as { sid: unknown }).sid);
    },
    async walkList() {
      let count = 0;
      let next: string | null = `${baseUrl}${TASKS_PATH}?PageSize=${LIST_PAGE_SIZE}`;
      while (next !== null) {
        const { status, json } = await send('GET', next);
        if (status !== 200) throw new Error(`list answered ${status}`);
        const page = json as TaskListPage;
        count += page.tasks.length;
        next = page.meta.next_page_url;
      }
      return expectFullList(count);
    },
    close: () => agent.destroy(),
  };
}

function coreClient(baseUrl: string, fetch?: FetchLike): BenchClient {
  const api = createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl, fetch });
  const path = { path: { WorkspaceSid: WORKSPACE_SID } };
  return {
    async createTask() {
      const { data } = await api.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: path,
        body: { Attributes: TASK_ATTRIBUTES, Priority: TASK_PRIORITY },
      });
      return expectTaskSid(data.sid);
    },
    async walkList() {
      let count = 0;
      const items = paginate(
        api,
        '/v1/Workspaces/{WorkspaceSid}/Tasks',
        { params: path },
        { pageSize: LIST_PAGE_SIZE },
      );
      for await (const _ of items) count += 1;
      return expectFullList(count);
    },
  };
}

function resourcesClient(baseUrl: string, fetch?: FetchLike): BenchClient {
  const api = createTaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl, fetch });
  const tasks = tasksOf(api, WORKSPACE_SID);
  return {
    createTask: async () =>
      expectTaskSid((await tasks.create({ attributes: TASK_ATTRIBUTES, priority: TASK_PRIORITY })).sid),
    async walkList() {
      let count = 0;
      for await (const _ of tasks.list({ pageSize: LIST_PAGE_SIZE })) count += 1;
      return expectFullList(count);
    },
  };
}

function resourcesClassClient(baseUrl: string): BenchClient {
  const client = new TaskRouterClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl });
  const tasks = client.tasks(WORKSPACE_SID);
  return {
    createTask: async () =>
      expectTaskSid((await tasks.create({ attributes: TASK_ATTRIBUTES, priority: TASK_PRIORITY })).sid),
    async walkList() {
      let count = 0;
      for await (const _ of tasks.list({ pageSize: LIST_PAGE_SIZE })) count += 1;
      return expectFullList(count);
    },
  };
}

/** A client built on a fresh {@link createNodeFetch}, closed with it. */
function withNodeFetch(make: (baseUrl: string, fetch: NodeFetch) => BenchClient) {
  return (baseUrl: string): BenchClient => {
    const nodeFetch = createNodeFetch();
    return { ...make(baseUrl, nodeFetch), close: nodeFetch.close };
  };
}

/** Every client by name, created against a base URL. */
export const CLIENT_FACTORIES: Record<string, (baseUrl: string) => BenchClient | Promise<BenchClient>> = {
  twilio: twilioClient,
  fetch: rawFetchClient,
  'node:http': nodeHttpClient,
  'fetch code on createNodeFetch': withNodeFetch(rawFetchClient),
  // Default clients, as a user who follows the quick start makes them: on Node, the Node transport.
  core: (baseUrl) => coreClient(baseUrl),
  resources: (baseUrl) => resourcesClient(baseUrl),
  'resources class': resourcesClassClient,
  // The same code on the platform fetch, for reference (run under FETCH_ENTRY_CONDITION).
  'core, fetch entry': (baseUrl) => coreClient(baseUrl),
  'resources, fetch entry': (baseUrl) => resourcesClient(baseUrl),
  'core + createNodeFetch': withNodeFetch(coreClient),
};
