/**
 * The path from "TaskRouter added a field" to a release, performed on a temporary copy of the spec:
 * classify the change with spec:diff, regenerate the bindings, and type-check code that uses the new
 * field through @taskrouter/core and @taskrouter/resources, with the compiler, against the new
 * bindings and against the committed ones; for a new date-time field, also run resources built
 * against the new bindings; for a new required response field, see the emulator's renderer stop
 * compiling until it returns the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEmulator } from '@taskrouter/testing-mocks';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { GENERATED_FILES, generate } from '../generate.ts';
import { changesetFor, diffSpecs } from '../spec-diff.ts';
import { loadSpec, repoRoot } from './spec-helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-api-change-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const committedSpecText = readFileSync(join(repoRoot, 'specs/taskrouter.v1.yaml'), 'utf8');
const generatedDir = join(repoRoot, 'packages/core/src/generated');
const workersPath = '/v1/Workspaces/{WorkspaceSid}/Workers';

type EditableSpec = { paths: Record<string, Record<string, { parameters: unknown[] }>> };

/** Writes an edited copy of the spec, regenerates from it, and returns the new bindings by path. */
async function regenerate(name: string, edit: (spec: EditableSpec) => void) {
  const spec = parse(committedSpecText) as EditableSpec;
  edit(spec);
  const specText = stringify(spec);
  const specPath = join(scratch, `${name}.yaml`);
  writeFileSync(specPath, specText);
  const outDir = join(scratch, name);
  await generate({ specPath, outDir });
  const bindings = new Map(
    GENERATED_FILES.map((file) => [join(generatedDir, file), readFileSync(join(outDir, file), 'utf8')]),
  );
  return { spec, specText, bindings };
}

const addMinimumCapacity = (spec: EditableSpec) => {
  spec.paths[workersPath]!.get!.parameters.push({
    name: 'MinimumCapacity',
    in: 'query',
    description: 'Only workers with at least this much free capacity.',
    schema: { type: 'integer', minimum: 0 },
  });
};

const options: ts.CompilerOptions = (() => {
  const base = ts.readConfigFile(join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(base.config.compilerOptions, repoRoot);
  return {
    ...options,
    noEmit: true,
    typeRoots: [join(repoRoot, 'node_modules/@types')],
    // The packages' sources, so the program sees whatever bindings the host serves.
    paths: {
      '@taskrouter/core': [join(repoRoot, 'packages/core/src/index.ts')],
      '@taskrouter/core/facts': [join(repoRoot, 'packages/core/src/facts.ts')],
      '@taskrouter/resources': [join(repoRoot, 'packages/resources/src/index.ts')],
      '@taskrouter/testing-mocks': [join(repoRoot, 'packages/testing-mocks/src/index.ts')],
    },
  };
})();

/**
 * Type-checks `usage` (a module that imports the packages) with the generated files replaced by
 * `bindings` when given. Returns every diagnostic as `file:line message`, paths relative to the repo.
 */
function typecheck(usage: string, bindings?: ReadonlyMap<string, string>): string[] {
  const dir = mkdtempSync(join(scratch, 'program-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const entry = join(dir, 'usage.ts');
  writeFileSync(entry, usage);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => bindings?.get(resolve(file)) ?? readFile(file);
  host.getSourceFile = (file, languageVersion) => {
    const text = host.readFile(file);
    return text === undefined ? undefined : ts.createSourceFile(file, text, languageVersion, true);
  };
  const program = ts.createProgram([entry], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const where = diagnostic.file.fileName.startsWith(dir)
      ? 'usage.ts'
      : diagnostic.file.fileName.slice(repoRoot.length + 1);
    return `${where}:${line + 1} ${message}`;
  });
}

/** A user's code relying on the new parameter: once through core, once through resources. */
const usage = (minimumCapacity: string) => `
import { createTaskRouterClient, type operations } from '@taskrouter/core';
import { type WorkerFilters, workers } from '@taskrouter/resources';

const api = createTaskRouterClient({ accountSid: 'AC${'0'.repeat(32)}', authToken: 'token' });
const workspaceSid = 'WS${'0'.repeat(32)}';
export const query: NonNullable<operations['ListWorker']['parameters']['query']> = { MinimumCapacity: ${minimumCapacity} };
export const viaCore = api.GET('${workersPath}', {
  params: { path: { WorkspaceSid: workspaceSid }, query: { MinimumCapacity: ${minimumCapacity} } },
});
export const filters: WorkerFilters = { minimumCapacity: ${minimumCapacity} };
export const viaResources = workers(api, workspaceSid).page({ minimumCapacity: ${minimumCapacity}, pageSize: 10 });
`;

describe('TaskRouter adds an optional parameter', () => {
  let change: Awaited<ReturnType<typeof regenerate>>;
  beforeAll(async () => {
    change = await regenerate('minimum-capacity', addMinimumCapacity);
  });

  it('is reported by spec:diff as one compatible change released as minors', () => {
    const diff = diffSpecs(loadSpec(), change.spec);
    expect(diff.changes).toEqual([
      {
        operation: 'ListWorker',
        method: 'GET',
        path: workersPath,
        target: 'parameter',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional query parameter `MinimumCapacity` (integer)',
      },
    ]);
    const changeset = changesetFor(diff, change.specText);
    expect(changeset?.content).toMatch(
      /^---\n"@taskrouter\/core": minor\n"@taskrouter\/resources": minor\n"@taskrouter\/testing-mocks": minor\n---\n/,
    );
  });

  it('appears, typed, in the regenerated bindings only', () => {
    const types = change.bindings.get(join(generatedDir, 'taskrouter.ts'))!;
    expect(types).toMatch(/MinimumCapacity\?: number;/);
    expect(readFileSync(join(generatedDir, 'taskrouter.ts'), 'utf8')).not.toContain('MinimumCapacity');
  });

  it('type-checks through core and resources against the new bindings', () => {
    expect(typecheck(usage('2'), change.bindings)).toEqual([]);
  });

  it('is rejected by the compiler against the committed bindings, on every use', () => {
    const errors = typecheck(usage('2'));
    const lines = usage('2').split('\n');
    const uses = lines.flatMap((line, index) => (/minimumCapacity/i.test(line) ? [index + 1] : []));
    expect(uses).toHaveLength(4);
    expect(errors.map((error) => Number(/^usage\.ts:(\d+) /.exec(error)?.[1]))).toEqual(uses);
    for (const error of errors) expect(error).toMatch(/'(MinimumCapacity|minimumCapacity)' does not exist/);
  });

  it('keeps its type: a string is rejected where the spec says integer', () => {
    const errors = typecheck(usage("'two'"), change.bindings);
    expect(errors).toHaveLength(4);
    for (const error of errors)
      expect(error).toMatch(/^usage\.ts:\d+ Type 'string' is not assignable to type 'number'/);
  });
});

describe('TaskRouter removes an operation', () => {
  it('is breaking, and resources stops compiling where it must adapt', async () => {
    const change = await regenerate('no-list-worker', (spec) => {
      delete (spec.paths[workersPath] as Partial<Record<string, unknown>>).get;
    });
    expect(diffSpecs(loadSpec(), change.spec).bumps).toEqual({
      '@taskrouter/core': 'major',
      '@taskrouter/resources': 'major',
      '@taskrouter/testing-mocks': 'major',
    });
    const errors = typecheck("import '@taskrouter/resources';\n", change.bindings);
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.some(
        (error) => error.startsWith('packages/resources/src/workers.ts:') && error.includes('"ListWorker"'),
      ),
    ).toBe(true);
    expect(errors.filter((error) => error.startsWith('packages/core/'))).toEqual([]);
  });
});

describe('TaskRouter adds a date-time response field', () => {
  type SpecWithSchemas = EditableSpec & {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  const snoozedAt = '2030-01-02T09:30:00Z';
  let change: Awaited<ReturnType<typeof regenerate>>;
  beforeAll(async () => {
    change = await regenerate('date-snoozed', (spec) => {
      (spec as SpecWithSchemas).components.schemas['taskrouter.v1.workspace.task']!.properties.date_snoozed =
        {
          type: 'string',
          format: 'date-time',
          nullable: true,
          description: 'When the task was last snoozed.',
        };
    });
  });

  /** Reads the new field of a task once as a date and once as text. */
  const taskUsage = `
import type { Task } from '@taskrouter/resources';
declare const task: Task;
export const asDate: Date | null | undefined = task.dateSnoozed;
export const asText: string | null | undefined = task.dateSnoozed;
`;

  // Optional and nullable, as the spec declares it.
  it('is a Date on the resources task type, with no hand edit', () => {
    const errors = typecheck(taskUsage, change.bindings);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^usage\.ts:5 Type 'Date \| null \| undefined' is not assignable to type 'string \| null \| undefined'/,
    );
  });

  it('does not exist on the task type of the committed bindings', () => {
    const errors = typecheck(taskUsage);
    expect(errors).toHaveLength(2);
    for (const error of errors)
      expect(error).toMatch(/^usage\.ts:[45] Property 'dateSnoozed' does not exist/);
  });

  /**
   * Bundles @taskrouter/resources and @taskrouter/core from their sources, with the generated
   * files taken from `generatedFrom`, and returns a function that fetches one task and lists all
   * tasks of a workspace through the emulator, whose answers carry the new field as TaskRouter
   * would send it.
   */
  async function resourcesBuiltFrom(generatedFrom: string) {
    const dir = mkdtempSync(join(scratch, 'runtime-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        "import { createTaskRouterClient, type FetchLike } from '@taskrouter/core';",
        "import { tasks } from '@taskrouter/resources';",
        'export async function readTasks(fetch: FetchLike, accountSid: string, authToken: string, workspaceSid: string, taskSid: string) {',
        "  const api = createTaskRouterClient({ accountSid, authToken, fetch, baseUrl: 'http://127.0.0.1' });",
        '  return { one: await tasks(api, workspaceSid).get(taskSid), all: await tasks(api, workspaceSid).list().toArray() };',
        '}',
      ].join('\n'),
    );
    const outfile = join(dir, 'bundle.mjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
      alias: {
        '@taskrouter/core/facts': join(repoRoot, 'packages/core/src/facts.ts'),
        '@taskrouter/core': join(repoRoot, 'packages/core/src/index.ts'),
        '@taskrouter/resources': join(repoRoot, 'packages/resources/src/index.ts'),
      },
      plugins: [
        {
          name: 'generated-bindings',
          setup(build) {
            build.onResolve({ filter: /\/generated\/\w+\.js$/ }, (args) => ({
              path: join(generatedFrom, basename(args.path).replace(/\.js$/, '.ts')),
            }));
          },
        },
      ],
    });
    return (await import(pathToFileURL(outfile).href)) as {
      readTasks(
        fetch: (request: Request) => Promise<Response>,
        ...ids: [string, string, string, string]
      ): Promise<{ one: Record<string, unknown>; all: Record<string, unknown>[] }>;
    };
  }

  /** The emulator, answering with every task carrying `date_snoozed`. */
  function emulatorSendingTheField() {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
    const task = emulator.seed.task(workspace.sid, { Attributes: { type: 'support' } });
    const withField = (document: Record<string, unknown>) => ({ ...document, date_snoozed: snoozedAt });
    const fetch = async (request: Request) => {
      const answer = await emulator.fetch(request);
      const document = (await answer.json()) as Record<string, unknown>;
      const body = Array.isArray(document.tasks)
        ? { ...document, tasks: document.tasks.map(withField) }
        : withField(document);
      return new Response(JSON.stringify(body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const { accountSid, authToken } = emulator.credentials;
    return {
      fetch,
      ids: [accountSid, authToken, workspace.sid, task.sid] as const,
    };
  }

  it('comes back from resources as a Date, on one task and on the items of a list, with no hand edit', async () => {
    const { readTasks } = await resourcesBuiltFrom(join(scratch, 'date-snoozed'));
    const { fetch, ids } = emulatorSendingTheField();
    const { one, all } = await readTasks(fetch, ...ids);
    expect(one.dateSnoozed).toEqual(new Date(snoozedAt));
    expect(all).toHaveLength(1);
    expect(all[0]!.dateSnoozed).toEqual(new Date(snoozedAt));
  });

  it('stays the text the service sent with the committed bindings', async () => {
    const { readTasks } = await resourcesBuiltFrom(generatedDir);
    const { fetch, ids } = emulatorSendingTheField();
    const { one } = await readTasks(fetch, ...ids);
    expect(one.dateSnoozed).toBe(snoozedAt);
    expect(one.dateCreated).toBeInstanceOf(Date);
  });
});

describe('TaskRouter adds a required response field', () => {
  type SpecWithSchemas = EditableSpec & {
    components: { schemas: Record<string, { required: string[]; properties: Record<string, unknown> }> };
  };
  const rendererPath = join(repoRoot, 'packages/testing-mocks/src/render/tasks.ts');
  const rendererText = readFileSync(rendererPath, 'utf8');
  let change: Awaited<ReturnType<typeof regenerate>>;
  beforeAll(async () => {
    change = await regenerate('snooze-count', (spec) => {
      const task = (spec as SpecWithSchemas).components.schemas['taskrouter.v1.workspace.task']!;
      task.properties.snooze_count = { type: 'integer', description: 'How often the task was snoozed.' };
      task.required.push('snooze_count');
    });
  });

  it('stops the emulator compiling at the task renderer, naming the field', () => {
    const errors = typecheck("import '@taskrouter/testing-mocks';\n", change.bindings);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error).toMatch(/^packages\/testing-mocks\/src\/render\/tasks\.ts:\d+ /);
      expect(error).toMatch(/Property 'snooze_count' is missing/);
    }
  });

  it('compiles again once the renderer returns the field', () => {
    const returningTheField = rendererText.replace(/(\n(\s+)sid: task\.sid,\n)/, '$1$2snooze_count: 0,\n');
    expect(returningTheField).not.toBe(rendererText);
    const bindings = new Map([...change.bindings, [rendererPath, returningTheField]]);
    expect(typecheck("import '@taskrouter/testing-mocks';\n", bindings)).toEqual([]);
  });

  it('changes nothing for the emulator with the committed bindings', () => {
    expect(typecheck("import '@taskrouter/testing-mocks';\n")).toEqual([]);
  });
});
