/**
 * A local stand-in for the TaskRouter API on 127.0.0.1, answering the three calls the benchmarks
 * make (create a task, fetch a task, list tasks page by page) with realistic JSON. It runs in its own
 * process during measurements so its CPU time never counts against a client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { LIST_PAGE_SIZE, LIST_TOTAL, WORKSPACE_SID, sidFor, taskJson } from './fixtures.js';

/** A running stub server. */
export interface StubServer {
  /** Origin to use as the client's base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Stops accepting requests and closes idle keep-alive connections. */
  close(): Promise<void>;
}

const TASKS_PATH = `/v1/Workspaces/${WORKSPACE_SID}/Tasks`;
const MAX_PAGE_SIZE = 1000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function listPage(origin: string, query: URLSearchParams): object {
  const pageSize = Math.min(Number(query.get('PageSize') ?? LIST_PAGE_SIZE) || LIST_PAGE_SIZE, MAX_PAGE_SIZE);
  const token = query.get('PageToken');
  const offset = token?.startsWith('PT') ? Number(token.slice(2)) || 0 : 0;
  const page = Math.floor(offset / pageSize);
  const end = Math.min(offset + pageSize, LIST_TOTAL);
  const tasks = [];
  for (let index = offset; index < end; index++) {
    tasks.push(taskJson(origin, sidFor('WT', index + 1), '{"type":"support"}', index % 10));
  }
  const pageUrl = (pageNumber: number, pageOffset: number) =>
    `${origin}${TASKS_PATH}?PageSize=${pageSize}&Page=${pageNumber}` +
    (pageOffset > 0 ? `&PageToken=PT${pageOffset}` : '');
  return {
    tasks,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: pageUrl(0, 0),
      previous_page_url: offset > 0 ? pageUrl(page - 1, Math.max(offset - pageSize, 0)) : null,
      next_page_url: end < LIST_TOTAL ? pageUrl(page + 1, end) : null,
      url: pageUrl(page, offset),
      key: 'tasks',
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string, counter: { tasks: number }) {
  if (!req.headers.authorization?.startsWith('Basic ')) {
    sendError(res, 401, 20003, 'Authenticate');
    return;
  }
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname === TASKS_PATH && req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    counter.tasks += 1;
    const priority = Number(form.get('Priority') ?? 0);
    sendJson(
      res,
      201,
      taskJson(origin, sidFor('WT', counter.tasks), form.get('Attributes') ?? '{}', priority),
    );
    return;
  }
  if (url.pathname === TASKS_PATH && req.method === 'GET') {
    sendJson(res, 200, listPage(origin, url.searchParams));
    return;
  }
  if (url.pathname.startsWith(`${TASKS_PATH}/WT`) && req.method === 'GET') {
    const sid = url.pathname.slice(TASKS_PATH.length + 1);
    sendJson(res, 200, taskJson(origin, sid, '{"type":"support"}', 0));
    return;
  }
  sendError(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
}

/** Starts the stub on 127.0.0.1 (an ephemeral port unless one is given). */
export async function startStubServer(port = 0): Promise<StubServer> {
  const counter = { tasks: 0 };
  let origin = '';
  const server = createServer((req, res) => {
    handle(req, res, origin, counter).catch((error: unknown) => {
      sendError(res, 500, 20500, error instanceof Error ? error.message : String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stub server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// Run as a child process: print the URL as one JSON line, serve until stdin closes.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const stub = await startStubServer();
  process.stdout.write(`${JSON.stringify({ url: stub.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void stub.close().then(() => process.exit(0)));
}
