// Where the other JavaScript runtimes the tests run the packages on (Bun and Deno) live: installed
// from npm, at pinned versions, into node_modules/.cache of the repository by ensure-runtimes.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtimes and the npm version of each that the tests use. */
export const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' };

/** The npm prefix the runtimes are installed into. */
export const RUNTIMES_DIR = join(
  dirname(dirname(fileURLToPath(import.meta.url))),
  'node_modules',
  '.cache',
  'taskrouter-runtimes',
);

/**
 * The binary of a runtime at its pinned version, or `undefined` when it is not installed there.
 * @param {keyof typeof RUNTIMES} name
 * @returns {string | undefined}
 */
export function findRuntime(name) {
  const manifest = join(RUNTIMES_DIR, 'node_modules', name, 'package.json');
  const binary = join(RUNTIMES_DIR, 'node_modules', '.bin', name);
  if (!existsSync(manifest) || !existsSync(binary)) return undefined;
  if (JSON.parse(readFileSync(manifest, 'utf8')).version !== RUNTIMES[name]) return undefined;
  return binary;
}
