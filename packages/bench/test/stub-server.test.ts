import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLIENT_FACTORIES } from '../src/clients.js';
import { ACCOUNT_SID, AUTH_TOKEN, LIST_TOTAL, WORKSPACE_SID } from '../src/fixtures.js';
import { type StubServer, startStubServer } from '../src/stub-server.js';

let stub: StubServer;
const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
const tasksUrl = () => `${stub.url}/v1/Workspaces/${WORKSPACE_SID}/Tasks`;

beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(() => stub.close());

describe('stub server', () => {
  test('creates a task from the form body, with URLs on its own origin', async () => {
    const response = await fetch(tasksUrl(), {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Attributes: '{"type":"sales"}', Priority: '7' }),
    });
    expect(response.status).toBe(201);
    const task = (await response.json()) as Record<string, unknown>;
    expect(task).toMatchObject({ attributes: '{"type":"sales"}', priority: 7, workspace_sid: WORKSPACE_SID });
    expect(task.sid).toMatch(/^WT[0-9a-f]{32}$/);
    expect(task.url).toBe(`${tasksUrl()}/${task.sid}`);
  });

  test('lists every task in pages linked by next_page_url', async () => {
    let next: string | null = `${tasksUrl()}?PageSize=300`;
    const sids = new Set<string>();
    let pages = 0;
    while (next !== null) {
      const page = (await (await fetch(next, { headers: { authorization } })).json()) as {
        tasks: { sid: string }[];
        meta: { next_page_url: string | null; page_size: number; key: string };
      };
      expect(page.meta).toMatchObject({ page_size: 300, key: 'tasks' });
      for (const task of page.tasks) sids.add(task.sid);
      next = page.meta.next_page_url;
      pages += 1;
    }
    expect(sids.size).toBe(LIST_TOTAL);
    expect(pages).toBe(Math.ceil(LIST_TOTAL / 300));
  });

  test('answers 401 without credentials and 404 for unknown paths, in TaskRouter error shape', async () => {
    const unauthenticated = await fetch(tasksUrl());
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ code: 20003, status: 401 });
    const unknown = await fetch(`${stub.url}/v1/Nothing`, { headers: { authorization } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 20404, status: 404 });
  });
});

describe.each(Object.keys(CLIENT_FACTORIES))('benchmark client %s', (name) => {
  test('creates a task and walks the whole list', async () => {
    const client = await CLIENT_FACTORIES[name]!(stub.url);
    try {
      expect(await client.createTask()).toMatch(/^WT[0-9a-f]{32}$/);
      expect(await client.walkList()).toBe(LIST_TOTAL);
    } finally {
      client.close?.();
    }
  });
});
