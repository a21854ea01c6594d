import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../generate.ts';
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
    expect(readFileSync(join(outDir, 'taskrouter.ts'), 'utf8')).toBe(committed('taskrouter.ts'));
    expect(readFileSync(join(outDir, 'operations.ts'), 'utf8')).toBe(committed('operations.ts'));
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

describe('pnpm generate:check', () => {
  it('passes on a clean checkout and names the stale files after a spec edit', () => {
    const clone = join(scratch, 'clone');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone]);
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', join(clone, 'scripts/check-generated.ts')], {
        cwd: clone,
        encoding: 'utf8',
      });
    const clean = run();
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);

    writeFileSync(join(clone, 'specs/taskrouter.v1.yaml'), specWithNewListTaskParameter());
    const stale = run();
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('packages/core/src/generated/taskrouter.ts');
    expect(stale.stderr).toContain('pnpm generate');
  });
});
