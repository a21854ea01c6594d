#!/usr/bin/env node
// Browser tests drive a real headless Chromium through playwright-core, which cannot download its own
// build here; Debian's `chromium` package is the one it drives. Installs it when it is missing and this
// user can (root with apt-get); otherwise says how, and the browser tests report themselves skipped
// (or fail under CI=true).
import { spawnSync } from 'node:child_process';
import { findChromium } from './chromium-path.mjs';

if (process.env.TASKROUTER_SKIP_BROWSER_INSTALL === '1' || findChromium()) process.exit(0);

const canInstall =
  process.platform === 'linux' &&
  typeof process.getuid === 'function' &&
  process.getuid() === 0 &&
  spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

if (!canInstall) {
  console.warn(
    'Chromium was not found, so the browser tests will be skipped. Install it (Debian/Ubuntu: ' +
      '`apt-get install -y chromium`) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
  process.exit(0);
}

console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', 'chromium'],
]) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(process.env.CI ? 1 : 0);
  }
}
if (!findChromium()) {
  console.error('Chromium was installed but no binary was found on PATH.');
  process.exit(process.env.CI ? 1 : 0);
}
