/** Consumer type-check cost: `tsc --noEmit` on a one-file consumer of each library vs a trivial file. */
import { createRequire } from 'node:module';
import { alternate, medianOf, pairedRatio } from '../harness.js';
import { runProcess } from '../processes.js';
import { formatNumber, formatRatio, type Section } from '../report.js';
import { parseExitReport } from './cold-start.js';
import type { BenchContext } from './context.js';

/** Compiler options of a typical strict Node consumer (the defaults `tsc --init` writes, plus NodeNext). */
export const CONSUMER_TSC_FLAGS = [
  '--noEmit',
  '--strict',
  '--skipLibCheck',
  '--target',
  'es2022',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--types',
  'node',
];

/** Consumers by name; `trivial` is the baseline. */
export const CONSUMERS = ['trivial', 'fetch', 'core', 'resources', 'twilio'];

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Type-checks each consumer in alternation. */
export async function measureTypecheck(context: BenchContext) {
  const variants = CONSUMERS.map((name) => ({
    name,
    async measure() {
      const result = await runProcess(
        process.execPath,
        ['--import', './src/exit-report.mjs', TSC, ...CONSUMER_TSC_FLAGS, `consumers/${name}.ts`],
        { timeoutMs: 120_000 },
      );
      const report = parseExitReport(result.stderr);
      return { wallMs: result.wallMs, cpuMs: report.cpuMs, maxRssMb: report.maxRssKb / 1024 };
    },
  }));
  const rounds = context.quick ? 2 : 11;
  const series = await alternate(variants, {
    rounds,
    warmupRounds: 1,
    onRound: (round) => context.log(`type-check: round ${round + 1} done`),
  });
  const section: Section = {
    title: 'Consumer type-check',
    description:
      `\`tsc ${CONSUMER_TSC_FLAGS.join(' ')} consumers/<name>.ts\` (whole process: start-up, lib files, the ` +
      `consumer and the declarations it reaches). Each consumer creates a client, creates a task and lists ` +
      `tasks; \`trivial\` exports a constant. Wall time from spawn to exit, and CPU time (user + system) ` +
      `of the process, which waiting for a busy core does not inflate. ${rounds} alternating rounds after ` +
      `one warm-up.`,
    tables: [
      {
        columns: [
          'consumer',
          'wall time',
          '× trivial',
          'CPU time',
          '× trivial',
          '× twilio',
          'peak RSS',
          '× trivial',
        ],
        rows: CONSUMERS.map((name) => [
          name,
          formatNumber(medianOf(series, name, 'wallMs'), 0, 'ms'),
          formatRatio(pairedRatio(series, name, 'trivial', 'wallMs')),
          formatNumber(medianOf(series, name, 'cpuMs'), 0, 'ms'),
          formatRatio(pairedRatio(series, name, 'trivial', 'cpuMs')),
          formatRatio(pairedRatio(series, name, 'twilio', 'cpuMs')),
          formatNumber(medianOf(series, name, 'maxRssMb'), 1, 'MiB'),
          formatRatio(pairedRatio(series, name, 'trivial', 'maxRssMb')),
        ]),
      },
    ],
  };
  return { section, series };
}
