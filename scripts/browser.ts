/**
 * Headless Chromium for the repository's browser tests (Debian's `chromium`, driven by playwright-core,
 * since Playwright's own browser download is not available everywhere). `pnpm test` installs Chromium
 * first when it can (`scripts/ensure-chromium.mjs`).
 */
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';
import { findChromium } from './chromium-path.mjs';

export { findChromium };

/** Flags for a headless run on a machine without a GPU or outside network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts a headless Chromium; throws when none is installed. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: install it or set CHROMIUM_PATH.');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * `describe` for tests that need Chromium: skipped (and said so) when it is missing on a developer's
 * machine, but run, and so failing, under CI where the browser must be there.
 */
export const describeWithBrowser: typeof describe =
  findChromium() || process.env.CI ? describe : (describe.skip as typeof describe);
