/** Cold start: a fresh `node` process from spawn until it prints the stub's answer, and its peak memory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { alternate, medianOf, pairedRatio, type Sample } from '../harness.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID } from '../fixtures.js';
import { BENCH_DIR, runProcess } from '../processes.js';
import { formatNumber, formatRatio, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** A cold-start app: a name and the file that node runs. */
export interface ColdStartApp {
  name: string;
  file: string;
  /** Run it bundled into one file by esbuild (for node, ESM, not minified), as a deployment may ship it. */
  bundled?: boolean;
  /** Export conditions node resolves packages with (`--conditions`), besides its own. */
  conditions?: string[];
}

/** Lets bundled CommonJS code (twilio's dependencies) `require` Node's built-in modules. */
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Writes the bundled apps into `directory`; returns the file node runs for every app, by name. */
export async function prepareApps(apps: ColdStartApp[], directory: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [index, app] of apps.entries()) {
    if (!app.bundled) {
      files.set(app.name, app.file);
      continue;
    }
    const outfile = join(directory, `app-${index}.mjs`);
    await build({
      entryPoints: [join(BENCH_DIR, app.file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      banner: { js: REQUIRE_SHIM },
      outfile,
      logLevel: 'silent',
    });
    files.set(app.name, outfile);
  }
  return files;
}

const REPORT_MARKER = '@bench ';

/** What `exit-report.mjs` tells about a child as it exits. */
export interface ExitReport {
  /** Peak resident memory. */
  maxRssKb: number;
  /** CPU time of the whole process, user and system, on every thread. */
  cpuMs: number;
  /** Time from process start to exit. */
  uptimeMs: number;
}

/** Parses the exit report that `exit-report.mjs` writes to stderr. */
export function parseExitReport(stderr: string): ExitReport {
  const line = stderr.split('\n').find((candidate) => candidate.startsWith(REPORT_MARKER));
  if (line === undefined) throw new Error(`child printed no exit report:\n${stderr.slice(-2000)}`);
  return JSON.parse(line.slice(REPORT_MARKER.length)) as ExitReport;
}

/** Runs every app in alternation; `twilio` and `empty` must be among them as baselines. */
export async function measureColdStart(context: BenchContext, apps: ColdStartApp[]) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    TASKROUTER_BASE_URL: context.stubUrl,
    TASKROUTER_WORKSPACE_SID: WORKSPACE_SID,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  };
  const directory = await mkdtemp(join(tmpdir(), 'taskrouter-bench-apps-'));
  let series: Awaited<ReturnType<typeof alternate>>;
  try {
    const files = await prepareApps(apps, directory);
    const variants = apps.map((app) => ({
      name: app.name,
      async measure(): Promise<Sample> {
        const result = await runProcess(
          process.execPath,
          [
            ...(app.conditions ?? []).map((condition) => `--conditions=${condition}`),
            '--import',
            './src/exit-report.mjs',
            files.get(app.name)!,
          ],
          { env, timeoutMs: 30_000 },
        );
        if (result.firstLineMs === undefined) throw new Error(`${app.name} printed nothing`);
        if (app.name !== 'empty' && !/^WT[0-9a-f]{32}$/m.test(result.stdout)) {
          throw new Error(`${app.name} did not print a task SID:\n${result.stdout}`);
        }
        return {
          firstAnswerMs: result.firstLineMs,
          maxRssMb: parseExitReport(result.stderr).maxRssKb / 1024,
        };
      },
    }));
    series = await alternate(variants, {
      rounds: context.quick ? 4 : 15,
      warmupRounds: 1,
      onRound: (round) => context.log(`cold start: round ${round + 1} done`),
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  const rows = apps.map(({ name }) => [
    name,
    formatNumber(medianOf(series, name, 'firstAnswerMs'), 0, 'ms'),
    formatRatio(pairedRatio(series, name, 'twilio', 'firstAnswerMs')),
    formatRatio(pairedRatio(series, name, 'empty', 'firstAnswerMs')),
    formatNumber(medianOf(series, name, 'maxRssMb'), 1, 'MiB'),
    formatRatio(pairedRatio(series, name, 'twilio', 'maxRssMb')),
  ]);
  const section: Section = {
    title: 'Cold start',
    description:
      '`node app.mjs` per sample, from spawn until the process prints the task SID the stub answered ' +
      '(one POST over loopback), and the peak resident memory of the process itself (its high-water mark, ' +
      'VmHWM) reported as it exits. ' +
      `\`empty\` prints without loading anything. Rows marked \`bundled\` run the same app bundled into one ` +
      `file by esbuild, as a deployment may ship it. ${context.quick ? 4 : 15} alternating rounds after one ` +
      'warm-up; medians and paired per-round ratios.',
    tables: [
      {
        columns: ['app', 'to first answer', '× twilio', '× empty node', 'peak RSS', '× twilio'],
        rows,
      },
    ],
  };
  return { section, series };
}
