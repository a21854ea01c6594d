import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  APP_TARGETS,
  BUDGET_FILE,
  BUDGETED_TARGETS,
  type Budget,
  budgetPlatform,
  bundle,
  compressedSizes,
  measureBundle,
  PACKAGE_TARGETS,
} from '../src/bundle.js';
import { BENCH_DIR } from '../src/processes.js';

const budgets = JSON.parse(readFileSync(join(BENCH_DIR, BUDGET_FILE), 'utf8')) as Record<string, Budget>;
const require = createRequire(join(BENCH_DIR, 'package.json'));

/** Fails with a clear instruction when a package's build output is missing. */
function assertBuilt(specifier: string): void {
  const packageName = specifier.split('/').slice(0, 2).join('/');
  const manifest = require.resolve(`${packageName}/package.json`);
  const { main } = JSON.parse(readFileSync(manifest, 'utf8')) as { main: string };
  const entry = join(dirname(manifest), main);
  if (!existsSync(entry)) {
    throw new Error(
      `${packageName} is not built (${main} is missing): run \`pnpm build\` before the budget test`,
    );
  }
}

describe('bundle budgets', () => {
  test('every budgeted bundle has a budget and every budget names a bundle', () => {
    expect(Object.keys(budgets).sort()).toEqual(BUDGETED_TARGETS.map((target) => target.id).sort());
    for (const budget of Object.values(budgets)) {
      expect(budget.maxGzipBytes).toBeGreaterThan(0);
      expect(budget.recordedGzipBytes).toBeLessThanOrEqual(budget.maxGzipBytes);
    }
  });

  test.each(BUDGETED_TARGETS.map((target) => [target.id, target] as const))(
    '%s stays within its minified + gzip budget',
    async (id, target) => {
      for (const { source } of PACKAGE_TARGETS) if ('reexport' in source) assertBuilt(source.reexport);
      const { gzip } = compressedSizes(await bundle(target, budgetPlatform(target)));
      const budget = budgets[id]!;
      const change = ((gzip - budget.recordedGzipBytes) / budget.recordedGzipBytes) * 100;
      const message =
        `${id} is ${gzip} B minified + gzip, over its budget of ${budget.maxGzipBytes} B ` +
        `(before: ${budget.recordedGzipBytes} B recorded in ${BUDGET_FILE}, after: ${gzip} B, ` +
        `${change >= 0 ? '+' : ''}${change.toFixed(1)}%). Shrink the bundle, or raise the limit in ` +
        `${BUDGET_FILE} on purpose and run \`pnpm --filter @taskrouter/bench budgets:record\`.`;
      expect(gzip <= budget.maxGzipBytes, message).toBe(true);
    },
  );
});

describe('platforms', () => {
  test.each(['app:resources', 'app:core'])('%s bundles for the browser and neutral platforms', async (id) => {
    const target = APP_TARGETS.find((candidate) => candidate.id === id)!;
    for (const platform of ['browser', 'neutral'] as const) {
      const outcome = await measureBundle(target, platform);
      expect(outcome, `${id} on ${platform}`).toMatchObject({ ok: true });
    }
  });

  test('a target that cannot bundle for a platform is reported, with the reason', async () => {
    const outcome = await measureBundle(
      { id: 'app:twilio', source: { file: 'src/apps/twilio.mjs' } },
      'neutral',
    );
    expect(outcome.ok).toBe(false);
    expect(outcome).toMatchObject({ error: expect.stringMatching(/Could not resolve/) });
  });
});
