/**
 * The Node transport loads `node:https` (and TLS with it) only when a request goes to an `https:`
 * URL, and never the platform fetch (undici), in a fresh Node process running the built package.
 * The script reaches its own servers through `process.getBuiltinModule`, as the transport does:
 * on Node 24 an `import` of `node:http` builds the module's namespace, whose lazy `WebSocket`
 * export loads undici (about 12 MiB).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const script = `
import { createNodeFetch } from '@taskrouter/core/node';
import { createTaskRouterClient } from '@taskrouter/core';
const { createServer: createHttpServer } = process.getBuiltinModule('node:http');
const { createServer: createTcpServer } = process.getBuiltinModule('node:net');
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
const listen = (server) => new Promise((done) => server.listen(0, '127.0.0.1', () => done(server.address().port)));
const report = { atStart: loaded('https') };
const plain = createHttpServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{"ok":true}');
});
const plainUrl = 'http://127.0.0.1:' + (await listen(plain));
const client = createTaskRouterClient({ accountSid: 'AC' + '0'.repeat(32), authToken: 'token', baseUrl: plainUrl });
report.client = (await client.GET('/v1/Workspaces')).data;
// Before the first Response object: the global Response class is undici's.
report.undici = loaded('internal/deps/undici/undici');
const fetch = createNodeFetch();
report.plain = await (await fetch(plainUrl + '/')).json();
report.afterPlain = loaded('https');
let firstByte;
const tcp = createTcpServer((socket) => socket.once('data', (bytes) => { firstByte = bytes[0]; socket.destroy(); }));
const failure = await fetch('https://127.0.0.1:' + (await listen(tcp)) + '/').catch((error) => error);
report.secure = { failure: failure.name, firstByte, https: loaded('https') };
fetch.close();
plain.close();
tcp.close();
console.log(JSON.stringify(report));
`;

test('node:https loads with the first https: request, which then speaks TLS; undici never loads', async () => {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir });
  expect(JSON.parse(stdout)).toEqual({
    atStart: false,
    client: { ok: true },
    undici: false,
    plain: { ok: true },
    afterPlain: false,
    // 22 opens a TLS handshake record: the client hello, refused here by a server without TLS.
    secure: { failure: 'TypeError', firstByte: 22, https: true },
  });
});
