import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import * as core from '@taskrouter/core/facts';
import { GENERATED_FILES, generate } from '../generate.ts';
import { repoRoot } from './spec-helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const committed = (name: string) => readFileSync(join(repoRoot, 'packages/core/src/generated', name), 'utf8');
const specText = readFileSync(join(repoRoot, 'specs/taskrouter.v1.yaml'), 'utf8');

/** A copy of the spec with one more optional query parameter on ListTask. */
function specWithNewListTaskParameter(): string {
  const anchor = '      operationId: ListTask\n';
  expect(specText).toContain(anchor);
  const [before, after] = specText.split(anchor) as [string, string];
  const withParam = after.replace(
    '      parameters:\n',
    '      parameters:\n      - name: SnoozedUntil\n        in: query\n        description: Only tasks snoozed until this time.\n        schema:\n          type: string\n          format: date-time\n',
  );
  return before + anchor + withParam;
}

describe('pnpm generate', () => {
  it('reproduces the committed bindings byte for byte', async () => {
    const outDir = join(scratch, 'same');
    await generate({ outDir });
    for (const file of GENERATED_FILES) {
      expect(readFileSync(join(outDir, file), 'utf8'), file).toBe(committed(file));
    }
  });

  it('carries a spec change into the types and the banner hash', async () => {
    const specPath = join(scratch, 'changed.yaml');
    writeFileSync(specPath, specWithNewListTaskParameter());
    const outDir = join(scratch, 'changed');
    await generate({ specPath, outDir });
    const types = readFileSync(join(outDir, 'taskrouter.ts'), 'utf8');
    expect(committed('taskrouter.ts')).not.toContain('SnoozedUntil');
    expect(types).toMatch(/SnoozedUntil\?: string;/);
    const hash = (text: string) => /Spec SHA-256: ([0-9a-f]{64})/.exec(text)?.[1];
    expect(hash(types)).toBeDefined();
    expect(hash(types)).not.toBe(hash(committed('taskrouter.ts')));
  });
});

type EditableSpec = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters: unknown[];
        requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      }
    >
  >;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};

/** The facts module's exports, as @taskrouter/core/facts re-exports them. */
type SpecFacts = Pick<
  typeof core,
  | 'sidParameters'
  | 'sidFieldPrefixes'
  | 'requiredBodyFields'
  | 'bodyFields'
  | 'dateTimeFields'
  | 'dateTimeResponseFields'
>;

/** Generates from an edited copy of the spec and loads the facts module it wrote. */
async function factsAfter(name: string, edit: (spec: EditableSpec) => void) {
  const spec = parse(specText) as EditableSpec;
  edit(spec);
  const specPath = join(scratch, `${name}.yaml`);
  writeFileSync(specPath, stringify(spec));
  const outDir = join(scratch, name);
  await generate({ specPath, outDir });
  return (await import(pathToFileURL(join(outDir, 'facts.ts')).href)) as SpecFacts;
}

const taskSchema = (spec: EditableSpec) => spec.components.schemas['taskrouter.v1.workspace.task']!;
const listTask = (spec: EditableSpec) => spec.paths['/v1/Workspaces/{WorkspaceSid}/Tasks']!.get!;

describe('the facts pnpm generate reads from the spec', () => {
  it('states the SID prefix, required body fields and date-time fields the committed spec gives', async () => {
    const facts: SpecFacts = core;
    expect(facts.sidParameters.FetchTaskReservation).toEqual({
      path: { WorkspaceSid: 'WS', TaskSid: 'WT', Sid: 'WR' },
    });
    expect(facts.sidParameters.ListEvent.query).toMatchObject({ Sid: 'EV', TaskSid: 'WT' });
    // A channel {Sid} also takes a unique name, so the spec gives it no pattern.
    expect(facts.sidParameters.FetchTaskChannel).toEqual({ path: { WorkspaceSid: 'WS' } });
    expect(facts.requiredBodyFields.CreateWorkflow).toEqual(['FriendlyName', 'Configuration']);
    expect(facts.bodyFields.CreateActivity).toEqual(['FriendlyName', 'Available']);
    expect(facts.bodyFields.CreateWorkflow).toEqual(
      expect.arrayContaining([...facts.requiredBodyFields.CreateWorkflow]),
    );
    expect(facts.bodyFields).not.toHaveProperty('FetchTask');
    expect(facts.dateTimeFields['taskrouter.v1.workspace.worker']).toEqual([
      'date_created',
      'date_status_changed',
      'date_updated',
    ]);
    expect(facts.dateTimeFields.ListWorkerResponse).toContain('workers[].date_status_changed');
  });

  it('carries a new date-time response field into every schema that holds it', async () => {
    const facts = await factsAfter('date-snoozed', (spec) => {
      taskSchema(spec).properties.date_snoozed = { type: 'string', format: 'date-time', nullable: true };
    });
    expect(facts.dateTimeFields['taskrouter.v1.workspace.task']).toContain('date_snoozed');
    expect(facts.dateTimeFields.ListTaskResponse).toContain('tasks[].date_snoozed');
    expect(facts.dateTimeResponseFields).toContain('date_snoozed');
  });

  it('carries a new body field into the fields of its operation', async () => {
    const facts = await factsAfter('activity-color', (spec) => {
      const body = spec.paths['/v1/Workspaces/{WorkspaceSid}/Activities']!.post!.requestBody!;
      Object.values(body.content)[0]!.schema.properties.Color = { type: 'string' };
    });
    expect(facts.bodyFields.CreateActivity).toEqual(['FriendlyName', 'Available', 'Color']);
    expect(facts.bodyFields.UpdateActivity).toEqual(['FriendlyName']);
  });

  it('carries a new SID-valued parameter into the per-operation and by-name tables', async () => {
    const facts = await factsAfter('supervisor-sid', (spec) => {
      listTask(spec).parameters.push({
        name: 'SupervisorSid',
        in: 'query',
        schema: { type: 'string', pattern: '^WK[0-9a-fA-F]{32}$' },
      });
    });
    expect(facts.sidParameters.ListTask.query).toMatchObject({ SupervisorSid: 'WK' });
    expect(facts.sidFieldPrefixes.SupervisorSid).toBe('WK');
  });

  it('refuses a field name that is a date-time in one response and plain text in another', async () => {
    await expect(
      factsAfter('two-formats', (spec) => {
        taskSchema(spec).properties.start_time = { type: 'string', nullable: true };
      }),
    ).rejects.toThrow(/start_time is a date-time in .* but not in taskrouter\.v1\.workspace\.task/);
  });

  it('refuses a field name that takes SIDs of two kinds in different operations', async () => {
    await expect(
      factsAfter('two-prefixes', (spec) => {
        listTask(spec).parameters.push({
          name: 'ActivitySid',
          in: 'query',
          schema: { type: 'string', pattern: '^WQ[0-9a-fA-F]{32}$' },
        });
      }),
    ).rejects.toThrow(/ActivitySid takes (WA|WQ) SIDs in \w+ but (WA|WQ) SIDs in \w+/);
  });
});

describe('pnpm generate:check', () => {
  it('names stale, missing and leftover files with the fix, and passes right after pnpm generate', () => {
    const clone = join(scratch, 'clone');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone]);
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    const run = (script: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(clone, 'scripts', script)], {
        cwd: clone,
        encoding: 'utf8',
      });
    const generated = join(clone, 'packages/core/src/generated');
    writeFileSync(join(clone, 'specs/taskrouter.v1.yaml'), specWithNewListTaskParameter());
    const stale = run('check-generated.ts');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('packages/core/src/generated/taskrouter.ts differs from the spec');
    expect(stale.stderr).toContain('Fix: run `pnpm generate` and commit the result.');

    // Regenerated but not committed: the files on disk match the spec, whatever git says.
    expect(run('generate.ts').status).toBe(0);
    const status = execFileSync('git', ['status', '--porcelain', '--', generated], {
      cwd: clone,
      encoding: 'utf8',
    });
    expect(status).toContain('taskrouter.ts');
    const fresh = run('check-generated.ts');
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);

    rmSync(join(generated, 'facts.ts'));
    writeFileSync(join(generated, 'extra.ts'), 'export const leftover = 1;\n');
    const broken = run('check-generated.ts');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('packages/core/src/generated/facts.ts is missing');
    expect(broken.stderr).toContain('packages/core/src/generated/extra.ts is not generated any more');
    expect(broken.stderr).not.toContain('taskrouter.ts');
    expect(broken.stderr).toContain('Fix: delete the files the generator does not write any more');
  }, 240_000);
});
