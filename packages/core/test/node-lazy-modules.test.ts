/**
 * The Node transport loads `node:https` (and TLS with it) only when a request goes to an `https:`
 * URL, in a fresh Node process running the built package.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const script = `
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createNodeFetch } from '@taskrouter/core/node';
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
const listen = (server) => new Promise((done) => server.listen(0, '127.0.0.1', () => done(server.address().port)));
const report = { atStart: loaded('https') };
const plain = createHttpServer((request, response) => response.end('{"ok":true}'));
const fetch = createNodeFetch();
report.plain = await (await fetch('http://127.0.0.1:' + (await listen(plain)) + '/')).json();
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

test('node:https loads with the first https: request, which then speaks TLS', async () => {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir });
  expect(JSON.parse(stdout)).toEqual({
    atStart: false,
    plain: { ok: true },
    afterPlain: false,
    // 22 opens a TLS handshake record: the client hello, refused here by a server without TLS.
    secure: { failure: 'TypeError', firstByte: 22, https: true },
  });
});
