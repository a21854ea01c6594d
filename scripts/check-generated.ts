/**
 * Fails when the committed bindings differ from what the spec generates.
 * Regenerates in place, then asks git which generated files changed.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const generatedDir = 'packages/core/src/generated';

await generate();
const changed = execFileSync('git', ['status', '--porcelain', '--', generatedDir], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
if (changed.length > 0) {
  console.error('The generated bindings are out of date with specs/taskrouter.v1.yaml:');
  for (const line of changed) console.error('  ' + line.slice(3));
  console.error('Fix: run `pnpm generate` and commit the result.');
  process.exit(1);
}
console.log('Generated bindings match the spec.');
