/**
 * `pnpm --filter @taskrouter/bench budgets:record`: writes the current gzip size of every budgeted
 * bundle into budgets.json as its recorded size. Limits are never changed here: raising one is a
 * decision for a reviewer, made by editing the file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUDGET_FILE,
  BUDGETED_TARGETS,
  type Budget,
  budgetPlatform,
  bundle,
  compressedSizes,
} from './bundle.js';
import { BENCH_DIR } from './processes.js';

const path = join(BENCH_DIR, BUDGET_FILE);
const budgets = JSON.parse(await readFile(path, 'utf8')) as Record<string, Budget>;
for (const target of BUDGETED_TARGETS) {
  const { gzip } = compressedSizes(await bundle(target, budgetPlatform(target)));
  const budget = budgets[target.id];
  if (budget === undefined) throw new Error(`${BUDGET_FILE} has no budget for ${target.id}: add one by hand`);
  process.stdout.write(
    `${target.id}: ${budget.recordedGzipBytes} -> ${gzip} B (limit ${budget.maxGzipBytes} B)\n`,
  );
  budget.recordedGzipBytes = gzip;
}
await writeFile(path, `${JSON.stringify(budgets, null, 2)}\n`);
