/**
 * The package as its users resolve it (from `dist`, so the package must be built): Node.js loads
 * the entry that defaults to the Node transport; a browser bundle gets the one without any
 * `node:` module.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

const app = `
import { createTaskRouterClient, paginate } from '@taskrouter/core';
const client = createTaskRouterClient({ accountSid: 'AC' + '0'.repeat(32), authToken: 'token' });
for await (const task of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
  params: { path: { WorkspaceSid: 'WS' + '0'.repeat(32) } },
})) console.log(task.sid);
`;

async function bundle(platform: 'browser' | 'node' | 'neutral') {
  const result = await build({
    stdin: { contents: app, resolveDir: packageDir, sourcefile: 'app.mjs' },
    bundle: true,
    format: 'esm',
    platform,
    // neutral has no conditions of its own; a bundler for workers or edge runtimes adds these.
    ...(platform === 'neutral' ? { conditions: ['worker', 'import'], mainFields: ['module', 'main'] } : {}),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  const inputs = Object.keys(result.metafile.inputs).map((path) => path.replace(/^.*?packages\/core\//, ''));
  return { code: output.text, inputs };
}

/** Every `node:` module (or bare Node built-in) the bundle still imports or loads. */
function nodeImports(code: string): string[] {
  const found = code.matchAll(
    /(?:from\s*|import\s*\(\s*|require\s*\(\s*|getBuiltinModule\s*\(\s*|import\s+)["'](node:[\w/]+|https?|zlib)["']/g,
  );
  return [...found].map((match) => match[1] as string);
}

describe('export conditions', () => {
  test.each(['browser', 'neutral'] as const)('a %s bundle imports no node: module', async (platform) => {
    const { code, inputs } = await bundle(platform);
    expect(nodeImports(code)).toEqual([]);
    expect(inputs).toContain('dist/index.js');
    expect(inputs).not.toContain('dist/index.node.js');
    expect(inputs).not.toContain('dist/node.js');
  });

  test('a node bundle takes the Node entry, and with it node:http', async () => {
    const { code, inputs } = await bundle('node');
    expect(inputs).toContain('dist/index.node.js');
    // node:https and node:zlib load on first use (an https: URL, a compressed answer).
    expect(new Set(nodeImports(code))).toEqual(
      new Set(['node:http', 'node:https', 'node:string_decoder', 'node:zlib']),
    );
  });

  test.each(['browser', 'node'] as const)(
    'a %s bundle of a client leaves out the encoders of the webhook and access-token helpers',
    async (platform) => {
      const { code } = await bundle(platform);
      // Module-level encoders survive tree shaking unless marked free of side effects.
      expect(code).not.toMatch(/^(?:var|let|const) \w+ = (?:\/\* @__PURE__ \*\/ )?new Text(?:En|De)coder\(/m);
    },
  );

  test('Node.js resolves the package to the Node entry, and to the other one under the browser condition', async () => {
    const resolve = async (...flags: string[]) =>
      (
        await run(
          process.execPath,
          [...flags, '--input-type=module', '-e', "console.log(import.meta.resolve('@taskrouter/core'))"],
          {
            cwd: packageDir,
          },
        )
      ).stdout.trim();
    expect(await resolve()).toMatch(/\/dist\/index\.node\.js$/);
    expect(await resolve('--conditions=browser')).toMatch(/\/dist\/index\.js$/);
  });

  test('a default client made in a plain Node process sends through the Node transport', async () => {
    const script = `
      import { createServer } from 'node:http';
      import { createTaskRouterClient } from '@taskrouter/core';
      const server = createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ acceptEncoding: request.headers['accept-encoding'], fetchMode: request.headers['sec-fetch-mode'] ?? null }));
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const client = createTaskRouterClient({
        accountSid: 'AC' + '0'.repeat(32), authToken: 'token', baseUrl: 'http://127.0.0.1:' + server.address().port,
      });
      const { data } = await client.GET('/v1/Workspaces');
      console.log(JSON.stringify(data));
      server.close();
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
    });
    expect(JSON.parse(stdout)).toEqual({ acceptEncoding: 'gzip, deflate, br', fetchMode: null });
  });
});
