/**
 * The path from "TaskRouter added a field" to a release, performed on a temporary copy of the spec:
 * classify the change with spec:diff, regenerate the bindings, and type-check code that uses the new
 * field through @taskrouter/core and @taskrouter/resources, with the compiler, against the new
 * bindings and against the committed ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
      '@taskrouter/resources': [join(repoRoot, 'packages/resources/src/index.ts')],
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
