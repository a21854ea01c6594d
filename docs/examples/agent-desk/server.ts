/**
 * The agent desk's server: it serves the page, the page's script bundled with esbuild, and a token
 * endpoint that mints each agent's access token with `createAccessToken` from `@taskrouter/core`.
 * The API key's secret stays here; the browser only ever sees tokens.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessToken } from '@taskrouter/core';
import { build } from 'esbuild';
import type { DeskSession } from './session.js';

export interface AgentDeskOptions {
  accountSid: string;
  workspaceSid: string;
  /** The API key that signs the tokens: a real one in production, one of the emulator's in tests. */
  apiKey: { sid: string; secret: string };
  /** Who may sign in, and the worker each agent is: agent name → worker SID (`WK…`). */
  agents: Record<string, string>;
  /** The emulator's `ebServer` and `wsServer`; leave out to use Twilio's event bridge. */
  eventBridge?: { ebServer: string; wsServer: string };
  /** Port on 127.0.0.1; any free one by default. */
  port?: number;
}

export interface AgentDesk {
  /** The page's address; open `${url}/?agent=<name>` for one agent. */
  url: string;
  close(): Promise<void>;
}

/** Bundles the page's script once (the SDK included), then serves the desk until closed. */
export async function startAgentDesk(options: AgentDeskOptions): Promise<AgentDesk> {
  const bundled = await build({
    entryPoints: [new URL('./desk.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0]!.contents;
  const page = await readFile(new URL('./index.html', import.meta.url));

  const send = (response: ServerResponse, status: number, type: string, body: string | Uint8Array) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(body);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://desk');
    if (url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', page);
    if (url.pathname === '/desk.js') return send(response, 200, 'text/javascript', script);
    if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain', '');
    if (url.pathname !== '/token') return send(response, 404, 'text/plain', 'not found');
    // A real desk would take the agent from its own sign-in session, not from the query.
    const agent = url.searchParams.get('agent') ?? '';
    const workerSid = Object.hasOwn(options.agents, agent) ? options.agents[agent] : undefined;
    if (!workerSid) return send(response, 403, 'text/plain', `unknown agent '${agent}'`);
    createAccessToken({
      accountSid: options.accountSid,
      apiKeySid: options.apiKey.sid,
      apiKeySecret: options.apiKey.secret,
      identity: agent,
      taskRouter: { workspaceSid: options.workspaceSid, workerSid },
    }).then(
      (token) => {
        const session: DeskSession = {
          token,
          ...(options.eventBridge ? { eventBridge: options.eventBridge } : {}),
        };
        send(response, 200, 'application/json', JSON.stringify(session));
      },
      (error: unknown) => send(response, 500, 'text/plain', String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
