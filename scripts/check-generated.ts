/**
 * Fails when the bindings on disk differ from what the spec generates. Generates afresh into a
 * temporary folder and compares file by file with packages/core/src/generated, so it passes as soon
 * as `pnpm generate` has run, before anything is committed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_FILES, generate } from './generate.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const generatedDir = join(root, 'packages/core/src/generated');

/** A generated file that does not match the spec, and why. */
interface StaleFile {
  path: string;
  reason: 'differs from the spec' | 'is missing' | 'is not generated any more';
}

async function staleFiles(): Promise<StaleFile[]> {
  const fresh = mkdtempSync(join(tmpdir(), 'taskrouter-generate-check-'));
  try {
    await generate({ outDir: fresh });
    const stale: StaleFile[] = [];
    for (const name of GENERATED_FILES) {
      const onDisk = join(generatedDir, name);
      if (!existsSync(onDisk)) stale.push({ path: onDisk, reason: 'is missing' });
      else if (readFileSync(onDisk, 'utf8') !== readFileSync(join(fresh, name), 'utf8')) {
        stale.push({ path: onDisk, reason: 'differs from the spec' });
      }
    }
    // A module the generator no longer writes would still be compiled and exported.
    const known = new Set<string>(GENERATED_FILES);
    for (const name of existsSync(generatedDir) ? readdirSync(generatedDir) : []) {
      if (name.endsWith('.ts') && !known.has(name)) {
        stale.push({ path: join(generatedDir, name), reason: 'is not generated any more' });
      }
    }
    return stale;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

const stale = await staleFiles();
if (stale.length > 0) {
  console.error('The generated bindings are out of date with specs/taskrouter.v1.yaml:');
  for (const { path, reason } of stale) {
    console.error(`  ${relative(root, path).split('\\').join('/')} ${reason}`);
  }
  if (stale.some(({ reason }) => reason !== 'is not generated any more')) {
    console.error('Fix: run `pnpm generate` and commit the result.');
  }
  if (stale.some(({ reason }) => reason === 'is not generated any more')) {
    console.error('Fix: delete the files the generator does not write any more, and commit.');
  }
  process.exit(1);
}
console.log('Generated bindings match the spec.');
