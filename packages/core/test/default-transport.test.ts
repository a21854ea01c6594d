/**
 * The transport a client gets without a `fetch` option: on Node (the `node` export condition,
 * `index.node.ts`) the Node transport; elsewhere (`index.ts`) the platform fetch. A stubbed global
 * fetch and an explicit `fetch` option still win.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as everywhere from '../src/index.js';
import * as onNode from '../src/index.node.js';
import { defaultNodeFetch } from '../src/node.js';
import { type FaultServer, json, startFaultServer } from './fault-server.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID } from './helpers.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  (defaultNodeFetch() as unknown as { close(): void }).close();
  await server.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const options = () => ({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: server.url });
const fetchWorkspace = (client: everywhere.TaskRouterClient) =>
  client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WORKSPACE_SID } } });

describe('the Node entry', () => {
  test('exports the same API, with its own createTaskRouterClient', () => {
    const { createTaskRouterClient: nodeCreate, ...nodeRest } = onNode;
    const { createTaskRouterClient: create, ...rest } = everywhere;
    expect(nodeCreate).not.toBe(create);
    expect(Object.keys(nodeRest).sort()).toEqual(Object.keys(rest).sort());
    expect(nodeRest).toStrictEqual(rest);
  });

  test('sends through the Node transport by default, the other entry through the platform fetch', async () => {
    server.script(json(200, { sid: WORKSPACE_SID }));
    await fetchWorkspace(onNode.createTaskRouterClient(options()));
    await fetchWorkspace(everywhere.createTaskRouterClient(options()));
    const [node, platform] = server.requests;
    // The Node transport asks for brotli too and sends no Fetch metadata; undici's fetch does.
    expect(node?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(node?.headers['sec-fetch-mode']).toBeUndefined();
    expect(platform?.headers['sec-fetch-mode']).toBe('cors');
  });

  test('calls a global fetch replaced after it was loaded, so test doubles keep working', async () => {
    const stub = vi.fn(async () => Response.json({ sid: 'stubbed' }));
    const client = onNode.createTaskRouterClient(options());
    vi.stubGlobal('fetch', stub);
    const { data } = await fetchWorkspace(client);
    expect(data).toEqual({ sid: 'stubbed' });
    expect(stub).toHaveBeenCalledOnce();
    expect(String((stub.mock.calls[0] as unknown[])[0])).toBe(`${server.url}/v1/Workspaces/${WORKSPACE_SID}`);

    vi.unstubAllGlobals();
    server.script(json(200, { sid: WORKSPACE_SID }));
    expect((await fetchWorkspace(client)).data).toEqual({ sid: WORKSPACE_SID });
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  test('a fetch option overrides the default', async () => {
    const own = vi.fn(async (request: Request) => Response.json({ url: request.url }));
    const { data } = await fetchWorkspace(onNode.createTaskRouterClient({ ...options(), fetch: own }));
    expect(own).toHaveBeenCalledOnce();
    expect(data).toEqual({ url: `${server.url}/v1/Workspaces/${WORKSPACE_SID}` });
  });

  test('validates its options like the other entry', () => {
    expect(() => onNode.createTaskRouterClient({ accountSid: 'AC1', authToken: AUTH_TOKEN })).toThrow(
      everywhere.TaskRouterValidationError,
    );
    expect(() => onNode.createTaskRouterClient(null as never)).toThrow(everywhere.TaskRouterValidationError);
  });
});
