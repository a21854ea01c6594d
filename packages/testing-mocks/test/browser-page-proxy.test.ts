/**
 * Browser mode in headless Chromium: a page loads a browser bundle of `@taskrouter/core`, makes a
 * client without credentials whose base URL is the path of the app's proxy, and works through
 * `createTaskRouterProxy`, served on loopback and forwarding to the emulator. A redirect the
 * browser keeps opaque fails with a typed error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTaskRouterProxy } from '@taskrouter/core/proxy';
import { build } from 'esbuild';
import { expect, test } from 'vitest';
import { describeWithBrowser, launchChromium } from '../../../scripts/browser.js';
import { createEmulator } from '../src/index.js';

const pageScript = `
import { createTaskRouterClient, paginate } from '@taskrouter/core';

const client = createTaskRouterClient({ baseUrl: '/taskrouter' });
window.run = async (WorkspaceSid) => {
  const { data: created } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid } },
    body: { Attributes: { type: 'support' }, Priority: 4 },
  });
  const seen = [];
  for await (const task of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', { params: { path: { WorkspaceSid } } }, { pageSize: 1 })) {
    seen.push(task.sid);
  }
  const refused = await client.DELETE('/v1/Workspaces/{Sid}', { params: { path: { Sid: WorkspaceSid } } })
    .then(() => 'deleted', (error) => error.status);
  const bounced = await createTaskRouterClient({ baseUrl: '/bounce' }).GET('/v1/Workspaces')
    .then(() => 'followed', (error) => ({ name: error.name, status: error.status }));
  return { created: created.sid, baseUrl: client.baseUrl, seen, refused, bounced };
};
`;

async function requestOf(incoming: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(origin + (incoming.url ?? '/'), { method: incoming.method, headers, body });
}

async function send(response: ServerResponse, answer: Response): Promise<void> {
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

describeWithBrowser('browser mode in Chromium', () => {
  test('a page without credentials works through the proxy, which alone holds them', async () => {
    const emulator = createEmulator();
    const workspaceSid = emulator.seed.workspace({ FriendlyName: 'Desk', Template: 'FIFO' }).sid!;
    emulator.seed.task(workspaceSid, { Priority: 1 });
    const proxy = createTaskRouterProxy({
      ...emulator.credentials,
      upstream: emulator.baseUrl,
      prefix: '/taskrouter',
      allow: ['CreateTask', 'ListTask'],
      fetch: emulator.fetch,
    });
    const bundle = await build({
      stdin: { contents: pageScript, resolveDir: fileURLToPath(new URL('..', import.meta.url)) },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.text;
    const fromPage: { url: string; authorization: string | undefined }[] = [];
    const server = createServer(async (incoming, response) => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const url = incoming.url ?? '/';
      if (url === '/') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!doctype html><script type="module" src="/app.js"></script>');
      } else if (url === '/app.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        response.end(script);
      } else if (url.startsWith('/bounce/')) {
        response.writeHead(302, { location: 'http://127.0.0.2:9/steal' });
        response.end();
      } else if (url.startsWith('/taskrouter/')) {
        fromPage.push({ url, authorization: incoming.headers.authorization });
        await send(response, await proxy(await requestOf(incoming, origin)));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => typeof (window as { run?: unknown }).run === 'function');
      const result = await page.evaluate(
        (sid) => (window as unknown as { run(sid: string): Promise<unknown> }).run(sid),
        workspaceSid,
      );
      const tasks = emulator.inspect.tasks(workspaceSid).map((task) => task.sid);
      expect(result).toEqual({
        created: expect.stringMatching(/^WT/),
        baseUrl: `${origin}/taskrouter`,
        seen: expect.arrayContaining(tasks),
        refused: 403,
        // The browser hides a redirect answered to redirect: 'manual' (an opaque redirect).
        bounced: { name: 'TaskRouterRedirectError', status: 0 },
      });
      expect(tasks).toHaveLength(2);
      expect(fromPage.length).toBeGreaterThanOrEqual(4);
      for (const request of fromPage) expect(request.authorization).toBeUndefined();
    } finally {
      await browser.close();
      server.close();
    }
  }, 60_000);
});
