import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const entryPoint = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The budget for a create-task app that imports only this package (minified, gzip). */
const CREATE_TASK_APP_BUDGET = 10 * 1024;
/** The same app made with the class, which brings every resource: the limit the bench's budgets set. */
const CLASS_APP_BUDGET = 11_000;

/** Bundles an application the way a user's bundler would, and reports its size and source modules. */
async function bundle(app: string): Promise<{ gzipBytes: number; modules: string[] }> {
  const result = await build({
    stdin: { contents: app, resolveDir: packageDir, sourcefile: 'app.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  const [meta] = Object.values(result.metafile.outputs);
  if (!output || !meta) throw new Error('esbuild produced no output');
  const modules = Object.entries(meta.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path.replace(/^.*?packages\/resources\//, ''));
  return { gzipBytes: gzipSync(output.contents, { level: 9 }).length, modules };
}

const functionsApp = `
import { createTaskRouterClient, tasks, workspaces } from ${JSON.stringify(entryPoint)};
const api = createTaskRouterClient({ accountSid: 'AC' + '0'.repeat(32), authToken: 'token' });
const workspace = await workspaces(api).create({ friendlyName: 'Support', template: 'FIFO' });
const task = await tasks(api, workspace.sid).create({ attributes: { type: 'support' } });
console.log(task.sid);
`;

const classApp = `
import { TaskRouterClient } from ${JSON.stringify(entryPoint)};
const client = new TaskRouterClient({ accountSid: 'AC' + '0'.repeat(32), authToken: 'token' });
const workspace = await client.workspaces.create({ friendlyName: 'Support', template: 'FIFO' });
const task = await client.tasks(workspace.sid).create({ attributes: { type: 'support' } });
console.log(task.sid);
`;

describe('bundles', () => {
  it('leave statistics and reservations out of an app that uses only workspaces and tasks', async () => {
    const { modules, gzipBytes } = await bundle(functionsApp);
    expect(modules).toContain('src/tasks.ts');
    expect(modules).toContain('src/workspaces.ts');
    for (const left of ['src/statistics.ts', 'src/reservations.ts', 'src/client.ts', 'src/workers.ts']) {
      expect(modules).not.toContain(left);
    }
    expect(gzipBytes).toBeLessThan(CREATE_TASK_APP_BUDGET);
  });

  it('carry every resource with the classic client, still within the budget', async () => {
    const { modules, gzipBytes } = await bundle(classApp);
    expect(modules).toEqual(
      expect.arrayContaining(['src/statistics.ts', 'src/reservations.ts', 'src/client.ts']),
    );
    expect(gzipBytes).toBeLessThan(CLASS_APP_BUDGET);
  });
});
