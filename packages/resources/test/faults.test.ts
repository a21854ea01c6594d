import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  TaskRouterApiError,
  TaskRouterError,
  TaskRouterNetworkError,
  TaskRouterTimeoutError,
} from '@taskrouter/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TaskRouterClient } from '../src/index.js';
import { ACCOUNT_SID, AUTH_TOKEN, WS, WT, WW } from './helpers.js';

// The camelCase client over a real socket to a local server that misbehaves on purpose: every
// failure must come out as core's typed error, with what was retried visible in the request log.

type Answer = (response: ServerResponse) => void;

interface Received {
  method: string;
  url: string;
  body: string;
}

const json =
  (status: number, document: unknown, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(document));
  };
const twilioError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
const drop = (): Answer => (response) => response.socket?.destroy();
const silent = (): Answer => () => {};

let answers: Answer[] = [];
let received: Received[] = [];
let origin = '';
const server = createServer((request: IncomingMessage, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on('end', () => {
    received.push({ method: request.method ?? '', url: request.url ?? '', body });
    (answers[Math.min(received.length - 1, answers.length - 1)] as Answer)(response);
  });
});
/** A second server standing for "some other host", which must never be contacted. */
let foreignRequests = 0;
const foreign = createServer((_, response) => {
  foreignRequests++;
  response.end('{}');
});

beforeAll(async () => {
  await Promise.all([
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve)),
  ]);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const each of [server, foreign]) {
    each.closeAllConnections();
    await new Promise((resolve) => each.close(resolve));
  }
});

function script(...next: Answer[]): void {
  answers = next;
  received = [];
}

function client(options: { timeoutMs?: number; maxRetries?: number } = {}) {
  return new TaskRouterClient({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    baseUrl: origin,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const workspacePath = `/v1/Workspaces/${WS}`;
const wireTask = {
  sid: WT,
  workspace_sid: WS,
  assignment_status: 'pending',
  attributes: '{"type":"support"}',
};
const createTask = (api: TaskRouterClient) =>
  api.tasks(WS).create({ workflowSid: WW, attributes: { type: 'support' } });

describe('single calls', () => {
  test('a get retried through 503s returns the converted resource', async () => {
    script(twilioError(503, 20500, 'busy'), twilioError(503, 20500, 'busy'), json(200, wireTask));
    const task = await client().tasks(WS).get(WT);
    expect(task).toMatchObject({ sid: WT, assignmentStatus: 'pending', attributes: { type: 'support' } });
    expect(received.map((request) => request.method)).toEqual(['GET', 'GET', 'GET']);
  });

  test('a get that keeps failing raises the API error with status, code, method and URL', async () => {
    script(twilioError(404, 20404, 'The requested resource was not found'));
    const error = await rejection(client().workspaces.get(WS));
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 404, code: 20404, method: 'GET', url: origin + workspacePath });
    expect(received).toHaveLength(1);
  });

  test('a create whose connection drops is sent once and reported with an unknown outcome', async () => {
    script(drop(), json(201, wireTask));
    const error = await rejection(createTask(client()));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error.message).toContain('outcome is unknown');
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toContain(`WorkflowSid=${WW}`);
  });

  test('a create that times out after it was sent is not retried', async () => {
    script(silent());
    const error = await rejection(createTask(client({ timeoutMs: 100 })));
    expect(error).toBeInstanceOf(TaskRouterTimeoutError);
    expect(error).toMatchObject({ method: 'POST', timeoutMs: 100 });
    expect(error.message).toContain('outcome is unknown');
    expect(received).toHaveLength(1);
  });

  test('a create rate-limited with Retry-After 0 is resent once the server allows it', async () => {
    script(twilioError(429, 20429, 'Too Many Requests', { 'Retry-After': '0' }), json(201, wireTask));
    const task = await createTask(client());
    expect(task.sid).toBe(WT);
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toBe(received[0]?.body);
  });

  test('an update and a delete that fail with 500 are not retried', async () => {
    script(twilioError(500, 20500, 'Internal Server Error'));
    const api = client();
    await expect(api.tasks(WS).update(WT, { priority: 3 })).rejects.toMatchObject({
      status: 500,
      method: 'POST',
    });
    expect(received).toHaveLength(1);
    script(twilioError(500, 20500, 'Internal Server Error'));
    await expect(api.tasks(WS).delete(WT)).rejects.toMatchObject({ status: 500, method: 'DELETE' });
    expect(received).toHaveLength(1);
  });

  test('a success whose body is not JSON is a network error, not a crash in the mapping', async () => {
    script((response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html>maintenance</html>');
    });
    const error = await rejection(client({ maxRetries: 0 }).workspaces.get(WS));
    expect(error).toBeInstanceOf(TaskRouterNetworkError);
    expect(error.message).toContain('answered 200 with a body that is not JSON');
  });
});

describe('lists', () => {
  const page = (number: number, next: string | null) =>
    json(200, {
      tasks: [{ ...wireTask, sid: `WT${String(number).repeat(32)}` }],
      meta: {
        key: 'tasks',
        page: number,
        page_size: 1,
        url: `${origin}/v1/Workspaces/${WS}/Tasks?PageSize=1&Page=${number}&PageToken=PT${number}`,
        next_page_url: next,
      },
    });
  const pageUrl = (number: number) =>
    `${origin}/v1/Workspaces/${WS}/Tasks?PageSize=1&Page=${number}&PageToken=PT${number}`;

  test('a next_page_url that leads back to an earlier page fails loudly, without repeating items', async () => {
    script(page(0, pageUrl(1)), page(1, pageUrl(0)));
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const task of client().tasks(WS).list({ pageSize: 1 })) seen.push(task.sid);
      })(),
    );
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(String(error)).toMatch(/repeated a page URL/);
    expect(seen).toEqual([`WT${'0'.repeat(32)}`, `WT${'1'.repeat(32)}`]);
    expect(received).toHaveLength(2);
  });

  test('a next_page_url pointing at its own page fails loudly after that page', async () => {
    script(page(0, pageUrl(0)));
    await expect(client().tasks(WS).list({ pageSize: 1 }).toArray()).rejects.toThrow(/repeated a page URL/);
    expect(received).toHaveLength(1);
  });

  test('a next_page_url on another host is refused after the items already read: the other host is never called', async () => {
    const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/v1/Workspaces/${WS}/Tasks?PageSize=1&Page=1&PageToken=PT1`;
    script(page(0, foreignUrl), page(1, null));
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const task of client().tasks(WS).list({ pageSize: 1 })) seen.push(task.sid);
      })(),
    );
    expect(error).toBeInstanceOf(TaskRouterError);
    expect(String(error)).toMatch(/Refusing to follow meta.next_page_url/);
    expect(seen).toHaveLength(1);
    expect(foreignRequests).toBe(0);
    expect(received).toHaveLength(1);
  });

  test('a page that fails mid-list raises the typed error after the items already read', async () => {
    script(page(0, pageUrl(1)), twilioError(500, 20500, 'page store down'));
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const task of client().tasks(WS).list({ pageSize: 1 })) seen.push(task.sid);
      })(),
    );
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 500, method: 'GET' });
    expect(seen).toHaveLength(1);
  });

  test('an answer that is not a list page is refused with a TaskRouterError', async () => {
    for (const document of [
      {},
      { meta: null },
      { meta: { key: 'tasks' } },
      { tasks: 'x', meta: { key: 'tasks' } },
    ]) {
      script(json(200, document));
      const error = await rejection(client().tasks(WS).list().toArray());
      expect(error, JSON.stringify(document)).toBeInstanceOf(TaskRouterError);
    }
  });
});
