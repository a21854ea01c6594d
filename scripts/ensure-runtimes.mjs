#!/usr/bin/env node
// The tests run the packages on Bun and Deno too. Both are published on npm; installs the pinned
// versions into node_modules/.cache when they are missing. When that fails, says so: the tests that
// need a runtime then report themselves skipped (or fail under CI=true).
import { spawnSync } from 'node:child_process';
import { RUNTIMES, RUNTIMES_DIR, findRuntime } from './runtime-path.mjs';

if (process.env.TASKROUTER_SKIP_RUNTIME_INSTALL === '1') process.exit(0);

const names = /** @type {(keyof typeof RUNTIMES)[]} */ (Object.keys(RUNTIMES));
const missing = names.filter((name) => findRuntime(name) === undefined);
if (missing.length === 0) process.exit(0);

const specs = missing.map((name) => `${name}@${RUNTIMES[name]}`);
console.log(`Installing ${specs.join(' and ')} for the tests on other runtimes (npm install)…`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(
  npm,
  [
    'install',
    '--prefix',
    RUNTIMES_DIR,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    ...specs,
  ],
  { stdio: 'inherit' },
);
const broken = names.filter((name) => {
  const binary = findRuntime(name);
  return binary === undefined || spawnSync(binary, ['--version'], { timeout: 30_000 }).status !== 0;
});
if (result.status !== 0 || broken.length > 0) {
  console.error(
    `Could not install ${broken.join(' and ') || specs.join(' and ')}: the tests on other runtimes will be skipped.`,
  );
  process.exit(process.env.CI ? 1 : 0);
}
