/**
 * `pnpm bench`: runs every measurement side by side and writes the Markdown report.
 *
 *   pnpm bench                     full run, writes results/latest.md
 *   pnpm bench -- --quick          fewer rounds, writes results/partial.md
 *   pnpm bench -- --only=cpu,cold  some sections only (bundle, install, cold, cpu, types, workflow,
 *                                  emulator, bridge), also to results/partial.md
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { FETCH_ENTRY_CONDITION } from './fixtures.js';
import { medianOf, pairedRatio } from './harness.js';
import { BENCH_DIR, startStubProcess } from './processes.js';
import {
  formatBytes,
  formatNumber,
  formatRatio,
  type GoalCheck,
  renderReport,
  type Section,
} from './report.js';
import { measureBundleSizes } from './sections/bundle-size.js';
import { measureClientCpu } from './sections/client-cpu.js';
import { type ColdStartApp, measureColdStart } from './sections/cold-start.js';
import type { BenchContext } from './sections/context.js';
import { measureEmulator } from './sections/emulator.js';
import { measureEventBridge } from './sections/event-bridge.js';
import { measureInstallFootprint } from './sections/install-footprint.js';
import { measureTypecheck } from './sections/typecheck.js';
import { measureWorkflowBuilder } from './sections/workflow-builder.js';

const SECTION_NAMES = [
  'bundle',
  'install',
  'cold',
  'cpu',
  'types',
  'workflow',
  'emulator',
  'bridge',
] as const;
type SectionName = (typeof SECTION_NAMES)[number];

function parseArguments(argv: string[]): { quick: boolean; only: Set<SectionName> } {
  let quick = false;
  let only = new Set<SectionName>(SECTION_NAMES);
  for (const argument of argv) {
    if (argument === '--') continue;
    if (argument === '--quick') quick = true;
    else if (argument.startsWith('--only=')) {
      const names = argument.slice('--only='.length).split(',');
      const unknown = names.filter((name) => !(SECTION_NAMES as readonly string[]).includes(name));
      if (unknown.length > 0)
        throw new Error(`unknown section ${unknown.join(', ')}; known: ${SECTION_NAMES.join(', ')}`);
      only = new Set(names as SectionName[]);
    } else throw new Error(`unknown argument ${argument}; use --quick and/or --only=<sections>`);
  }
  return { quick, only };
}

const CPU_CLIENTS = [
  'twilio',
  'fetch',
  'node:http',
  'fetch code on createNodeFetch',
  'core',
  'resources',
  'resources class',
  'core, fetch entry',
  'resources, fetch entry',
];

const COLD_START_APPS: ColdStartApp[] = [
  ...['empty', 'node-http', 'fetch', 'twilio', 'core', 'resources', 'resources-class'].map((name) => ({
    name,
    file: `src/apps/${name}.mjs`,
  })),
  ...['core', 'resources'].map((name) => ({
    name: `${name}, fetch entry`,
    file: `src/apps/${name}.mjs`,
    conditions: [FETCH_ENTRY_CONDITION],
  })),
  // The default clients' apps bundled too: on Node 24 the peak memory of an app importing the
  // packages includes the module loader's first import and the packages' whole entry points (see
  // the README), which bundling removes.
  ...['twilio', 'resources', 'core', 'resources-class'].map((name) => ({
    name: `${name}, bundled`,
    file: `src/apps/${name}.mjs`,
    bundled: true,
  })),
];

/** The default clients the goals are set for: `createTaskRouterClient` and `new TaskRouterClient`. */
const DEFAULT_CLIENT_GOALS = [
  { app: 'core', client: 'core', label: 'createTaskRouterClient' },
  { app: 'resources-class', client: 'resources class', label: 'new TaskRouterClient' },
];

async function main(): Promise<void> {
  const { quick, only } = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const log = (message: string) =>
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`);
  const sections: Section[] = [];
  const goals: GoalCheck[] = [];
  const stub = await startStubProcess();
  const context: BenchContext = { quick, stubUrl: stub.url, log };
  try {
    if (only.has('bundle')) {
      log('bundle sizes');
      const { section, results } = await measureBundleSizes();
      sections.push(section);
      const gzip = (id: string) => results.get(id)?.sizes?.gzip ?? Number.NaN;
      // Size goals are for what a page or an edge function ships (the CI budgets measure the same);
      // the comparison with twilio is on the node platform, the only one twilio bundles for.
      const browserGzip = (id: string) => results.get(id)?.browserSizes?.gzip ?? Number.NaN;
      const resources = results.get('app:resources');
      goals.push(
        {
          goal: 'resources create-task app under 10 KB gzip (browser)',
          measured: formatBytes(browserGzip('app:resources')),
          met: browserGzip('app:resources') < 10_000,
        },
        {
          goal: 'resources app over 40x smaller than twilio (gzip, node)',
          measured: `${formatNumber(gzip('app:twilio') / gzip('app:resources'), 1)}x smaller`,
          met: gzip('app:twilio') / gzip('app:resources') > 40,
        },
        {
          goal: 'resources app bundles for browser and neutral',
          measured: `browser ${resources?.platforms.browser ? 'yes' : 'no'}, neutral ${resources?.platforms.neutral ? 'yes' : 'no'}`,
          met: Boolean(resources?.platforms.browser && resources.platforms.neutral),
        },
        {
          goal: 'core-only create-task app under 6 KB gzip (browser)',
          measured: formatBytes(browserGzip('app:core')),
          met: browserGzip('app:core') < 6_000,
        },
      );
    }
    if (only.has('install')) {
      log('install footprint');
      const { section } = await measureInstallFootprint(context);
      sections.push(section);
    }
    if (only.has('cold')) {
      log('cold start');
      const { section, series } = await measureColdStart(context, COLD_START_APPS);
      sections.push(section);
      for (const { app, label } of DEFAULT_CLIENT_GOALS) {
        const time = pairedRatio(series, app, 'twilio', 'firstAnswerMs');
        const memory = pairedRatio(series, app, 'twilio', 'maxRssMb');
        goals.push(
          {
            goal: `cold start to first answer, default ${label}, at most 0.4x twilio`,
            measured: formatRatio(time),
            met: time <= 0.4,
          },
          {
            goal: `peak memory, default ${label}, at most 0.65x twilio`,
            measured: formatRatio(memory),
            met: memory <= 0.65,
          },
        );
      }
    }
    if (only.has('cpu')) {
      log('client CPU');
      const { section, series } = await measureClientCpu(context, CPU_CLIENTS);
      sections.push(section);
      for (const { client, label } of DEFAULT_CLIENT_GOALS) {
        const sequential = pairedRatio(series, client, 'twilio', 'createSeqUs');
        const concurrent = pairedRatio(series, client, 'twilio', 'createConcUs');
        const list = pairedRatio(series, client, 'twilio', 'listMs');
        goals.push(
          {
            goal: `CPU per create, default ${label}, at most 0.4x twilio (sequential, 16 concurrent)`,
            measured: `${formatRatio(sequential)}, ${formatRatio(concurrent)}`,
            met: sequential <= 0.4 && concurrent <= 0.4,
          },
          {
            goal: `CPU per 1,000-item list walk, default ${label}, at most 0.4x twilio`,
            measured: formatRatio(list),
            met: list <= 0.4,
          },
        );
      }
    }
    if (only.has('types')) {
      log('consumer type-check');
      const { section, series } = await measureTypecheck(context);
      sections.push(section);
      for (const consumer of ['core', 'resources']) {
        // Judged on CPU time: on a shared machine, wall time also measures the wait for a core.
        const cpu = pairedRatio(series, consumer, 'trivial', 'cpuMs');
        const wall = pairedRatio(series, consumer, 'trivial', 'wallMs');
        goals.push({
          goal: `type-check of a ${consumer} consumer at most 1.2x a trivial file`,
          measured: `${formatRatio(cpu)} CPU (${formatNumber(medianOf(series, consumer, 'cpuMs'), 0, 'ms')}), ${formatRatio(wall)} wall`,
          met: cpu <= 1.2,
        });
      }
    }
    if (only.has('workflow')) {
      log('workflow builder');
      const { section, worstExpressionNs, routesPerSecond } = await measureWorkflowBuilder(context);
      sections.push(section);
      goals.push(
        {
          goal: 'compiled expression well under 1 µs',
          measured: `${formatNumber(worstExpressionNs, 0, 'ns')} (largest)`,
          met: worstExpressionNs < 500,
        },
        {
          goal: 'routeTask over 50 filters at least 200,000 tasks/s',
          measured: `${formatNumber(routesPerSecond, 0)}/s`,
          met: routesPerSecond >= 200_000,
        },
      );
    }
    if (only.has('emulator')) {
      log('emulator');
      const { section, goals: emulatorGoals } = await measureEmulator(context);
      sections.push(section);
      goals.push(...emulatorGoals);
    }
    if (only.has('bridge')) {
      log('event bridge');
      const { section, goals: bridgeGoals } = await measureEventBridge(context);
      sections.push(section);
      goals.push(...bridgeGoals);
    }
  } finally {
    await stub.stop();
  }

  const full = !quick && only.size === SECTION_NAMES.length;
  const header = [
    '# Benchmark results',
    '',
    `Run of ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}` +
      `${quick ? ', quick mode (fewer rounds: indicative only)' : ''}. ` +
      `Produced by \`pnpm bench\` in ${formatNumber((performance.now() - started) / 1000, 0)} s; ` +
      'see the README of this package for what each number means.',
  ];
  const report = renderReport(header, goals, sections);
  const file = join(BENCH_DIR, 'results', full ? 'latest.md' : 'partial.md');
  await mkdir(join(BENCH_DIR, 'results'), { recursive: true });
  await writeFile(file, report);
  process.stdout.write(report);
  log(`written to ${file}`);
}

await main();
