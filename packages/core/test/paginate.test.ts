import { describe, expect, test } from 'vitest';
import { TaskRouterError, TaskRouterValidationError, paginate, paginatePages } from '../src/index.js';
import { WORKSPACE_SID, type RecordedRequest, recordingFetch, testClient } from './helpers.js';

const HOST = 'https://taskrouter.twilio.com';
const TASKS_PATH = `/v1/Workspaces/${WORKSPACE_SID}/Tasks`;
const tasksInit = { params: { path: { WorkspaceSid: WORKSPACE_SID } } };

/**
 * A list server over `total` tasks whose next_page_url carries an opaque token, the way
 * TaskRouter's does; `nextUrl` can override the link of a given page.
 */
function taskServer(total: number, nextUrl?: (page: number, request: RecordedRequest) => string | null) {
  return recordingFetch((request) => {
    const url = new URL(request.url);
    const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
    const token = url.searchParams.get('PageToken');
    const page = token === null ? 0 : Number(token.slice(2));
    const start = page * pageSize;
    const tasks = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, index) => ({
      sid: `task-${start + index}`,
    }));
    const defaultNext =
      start + pageSize < total
        ? `${HOST}${TASKS_PATH}?PageSize=${pageSize}&Page=${page + 1}&PageToken=PT${page + 1}`
        : null;
    return Response.json({
      tasks,
      meta: {
        key: 'tasks',
        page,
        page_size: pageSize,
        url: request.url,
        next_page_url: nextUrl ? nextUrl(page, request) : defaultNext,
      },
    });
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('paginate', () => {
  test('yields every item across pages, following next_page_url verbatim with the same credentials', async () => {
    const { fetch, requests } = taskServer(5);
    const client = testClient(fetch);
    const tasks = await collect(
      paginate(
        client,
        '/v1/Workspaces/{WorkspaceSid}/Tasks',
        {
          params: {
            path: { WorkspaceSid: WORKSPACE_SID },
            query: { AssignmentStatus: ['pending', 'reserved'] },
          },
        },
        { pageSize: 2 },
      ),
    );
    expect(tasks.map((task) => task.sid)).toEqual(['task-0', 'task-1', 'task-2', 'task-3', 'task-4']);
    expect(requests.map((request) => request.url)).toEqual([
      `${HOST}${TASKS_PATH}?AssignmentStatus=pending&AssignmentStatus=reserved&PageSize=2`,
      `${HOST}${TASKS_PATH}?PageSize=2&Page=1&PageToken=PT1`,
      `${HOST}${TASKS_PATH}?PageSize=2&Page=2&PageToken=PT2`,
    ]);
    const authorizations = new Set(requests.map((request) => request.headers.get('Authorization')));
    expect(authorizations.size).toBe(1);
    expect([...authorizations][0]).toMatch(/^Basic /);
  });

  test('break stops fetching further pages', async () => {
    const { fetch, requests } = taskServer(10);
    const seen: string[] = [];
    for await (const task of paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, {
      pageSize: 3,
    })) {
      seen.push(task.sid as string);
      if (seen.length === 4) break;
    }
    expect(seen).toEqual(['task-0', 'task-1', 'task-2', 'task-3']);
    expect(requests).toHaveLength(2);
  });

  test('limit stops after that many items and sizes the pages to fit', async () => {
    const { fetch, requests } = taskServer(100);
    const tasks = await collect(
      paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, { limit: 7 }),
    );
    expect(tasks).toHaveLength(7);
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0]!.url).searchParams.get('PageSize')).toBe('7');
  });

  test('limit with a smaller pageSize spans pages and fetches no page past the limit', async () => {
    const { fetch, requests } = taskServer(100);
    const tasks = await collect(
      paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, {
        limit: 5,
        pageSize: 2,
      }),
    );
    expect(tasks.map((task) => task.sid)).toEqual(['task-0', 'task-1', 'task-2', 'task-3', 'task-4']);
    expect(requests).toHaveLength(3);
  });

  test('limit 0 fetches nothing', async () => {
    const { fetch, requests } = taskServer(3);
    expect(
      await collect(
        paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, { limit: 0 }),
      ),
    ).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  test('works for a list without path parameters', async () => {
    const { fetch, requests } = recordingFetch(() =>
      Response.json({
        workspaces: [{ sid: WORKSPACE_SID }],
        meta: { key: 'workspaces', next_page_url: null },
      }),
    );
    const workspaces = await collect(paginate(testClient(fetch), '/v1/Workspaces'));
    expect(workspaces).toEqual([{ sid: WORKSPACE_SID }]);
    expect(requests[0]?.url).toBe(`${HOST}/v1/Workspaces`);
  });

  test('stops with an error when the server repeats a page URL', async () => {
    const { fetch, requests } = taskServer(10, () => `${HOST}${TASKS_PATH}?PageSize=2&PageToken=PT1`);
    const iteration = collect(
      paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, { pageSize: 2 }),
    );
    await expect(iteration).rejects.toThrow(TaskRouterError);
    await expect(iteration).rejects.toThrow(/repeated a page URL/);
    expect(requests).toHaveLength(2);
  });

  test('stops with an error when next_page_url points back to the current page', async () => {
    const { fetch, requests } = taskServer(10, (_, request) => request.url);
    await expect(
      collect(paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit)),
    ).rejects.toThrow(/repeated a page URL/);
    expect(requests).toHaveLength(1);
  });

  test('refuses to send credentials to another origin', async () => {
    const { fetch, requests } = taskServer(10, () => `https://evil.example${TASKS_PATH}?PageToken=PT1`);
    await expect(
      collect(paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit)),
    ).rejects.toThrow(/Refusing to follow meta\.next_page_url to https:\/\/evil\.example/);
    expect(requests).toHaveLength(1);
  });

  test('follows next pages on the base URL of an emulator, path prefix included', async () => {
    const base = 'http://127.0.0.1:8080/mock';
    const { fetch, requests } = taskServer(4, (page) =>
      page === 0 ? `${base}${TASKS_PATH}?PageSize=2&PageToken=PT1` : null,
    );
    const tasks = await collect(
      paginate(testClient(fetch, { baseUrl: base }), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, {
        pageSize: 2,
      }),
    );
    expect(tasks).toHaveLength(4);
    expect(requests.map((request) => request.url)).toEqual([
      `${base}${TASKS_PATH}?PageSize=2`,
      `${base}${TASKS_PATH}?PageSize=2&PageToken=PT1`,
    ]);
  });

  test.each([
    ['no meta', { tasks: [] }],
    ['meta.key naming nothing', { tasks: [], meta: { key: 'workers', next_page_url: null } }],
  ])('rejects an answer with %s', async (_, body) => {
    const { fetch } = recordingFetch(() => Response.json(body));
    await expect(
      collect(paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit)),
    ).rejects.toThrow(/not a list page/);
  });

  test('rejects a next_page_url that is not an absolute URL', async () => {
    const { fetch } = taskServer(10, () => '/v1/relative');
    await expect(
      collect(paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit)),
    ).rejects.toThrow(/not an absolute URL/);
  });

  test.each([
    ['pageSize', { pageSize: 0 }],
    ['pageSize', { pageSize: 1001 }],
    ['pageSize', { pageSize: 2.5 }],
    ['limit', { limit: -1 }],
    ['limit', { limit: Number.NaN }],
  ])('rejects a bad %s before fetching', (field, options) => {
    const { fetch, requests } = taskServer(3);
    let caught: unknown;
    try {
      paginate(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TaskRouterValidationError);
    expect((caught as TaskRouterValidationError).field).toBe(field);
    expect(requests).toHaveLength(0);
  });

  test('passes the abort signal to every page request', async () => {
    const controller = new AbortController();
    const { fetch, requests } = taskServer(10);
    const iteration = (async () => {
      for await (const task of paginate(
        testClient(fetch),
        '/v1/Workspaces/{WorkspaceSid}/Tasks',
        { ...tasksInit, signal: controller.signal },
        { pageSize: 2 },
      )) {
        if (task.sid === 'task-1') controller.abort();
      }
    })();
    await expect(iteration).rejects.toMatchObject({ name: 'AbortError' });
    expect(requests).toHaveLength(1);
  });
});

describe('paginatePages', () => {
  test('yields whole pages with their meta', async () => {
    const { fetch } = taskServer(5);
    const pages = await collect(
      paginatePages(testClient(fetch), '/v1/Workspaces/{WorkspaceSid}/Tasks', tasksInit, { pageSize: 2 }),
    );
    expect(pages.map((page) => [page.meta.page, page.tasks.length])).toEqual([
      [0, 2],
      [1, 2],
      [2, 1],
    ]);
  });

  test('rejects a bad pageSize', () => {
    const { fetch } = taskServer(1);
    expect(() => paginatePages(testClient(fetch), '/v1/Workspaces', undefined, { pageSize: 0 })).toThrow(
      TaskRouterValidationError,
    );
  });
});
