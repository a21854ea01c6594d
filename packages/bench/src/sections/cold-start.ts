/** Cold start: a fresh `node` process from spawn until it prints the stub's answer, and its peak memory. */
import { alternate, medianOf, pairedRatio, type Sample } from '../harness.js';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID } from '../fixtures.js';
import { runProcess } from '../processes.js';
import { formatNumber, formatRatio, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** A cold-start app: a name and the file that node runs. */
export interface ColdStartApp {
  name: string;
  file: string;
}

const REPORT_MARKER = '@bench ';

/** Parses the exit report that `exit-report.mjs` writes to stderr. */
export function parseExitReport(stderr: string): { maxRssKb: number; uptimeMs: number } {
  const line = stderr.split('\n').find((candidate) => candidate.startsWith(REPORT_MARKER));
  if (line === undefined) throw new Error(`child printed no exit report:\n${stderr.slice(-2000)}`);
  return JSON.parse(line.slice(REPORT_MARKER.length)) as { maxRssKb: number; uptimeMs: number };
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
  const variants = apps.map((app) => ({
    name: app.name,
    async measure(): Promise<Sample> {
      const result = await runProcess(process.execPath, ['--import', './src/exit-report.mjs', app.file], {
        env,
        timeoutMs: 30_000,
      });
      if (result.firstLineMs === undefined) throw new Error(`${app.name} printed nothing`);
      if (app.name !== 'empty' && !/^WT[0-9a-f]{32}$/m.test(result.stdout)) {
        throw new Error(`${app.name} did not print a task SID:\n${result.stdout}`);
      }
      return { firstAnswerMs: result.firstLineMs, maxRssMb: parseExitReport(result.stderr).maxRssKb / 1024 };
    },
  }));
  const series = await alternate(variants, {
    rounds: context.quick ? 4 : 15,
    warmupRounds: 1,
    onRound: (round) => context.log(`cold start: round ${round + 1} done`),
  });
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
      '(one POST over loopback), and the peak resident memory (`maxRSS`) reported as the process exits. ' +
      `\`empty\` prints without loading anything. ${context.quick ? 4 : 15} alternating rounds after one warm-up; ` +
      'medians and paired per-round ratios.',
    tables: [
      {
        columns: ['app', 'to first answer', '× twilio', '× empty node', 'peak RSS', '× twilio'],
        rows,
      },
    ],
  };
  return { section, series };
}
