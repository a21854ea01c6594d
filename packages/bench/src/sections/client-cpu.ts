/** Client CPU per request: sequential creates, 16 concurrent creates, and a 1,000-task list walk. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { CpuJob, CpuJobResult } from '../cpu-worker.js';
import { FETCH_ENTRY_CLIENTS, FETCH_ENTRY_CONDITION } from '../fixtures.js';
import { alternate, medianOf, pairedRatio, type Series } from '../harness.js';
import { BENCH_DIR, TS_NODE_ARGS } from '../processes.js';
import { formatNumber, formatRatio, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** A running CPU worker (`cpu-worker.ts`) and the batches it is asked to run. */
export interface CpuWorker {
  process: ChildProcess;
  run(job: CpuJob): Promise<CpuJobResult>;
  stop(): Promise<void>;
}

/** Forks a CPU worker holding the named client, and resolves once it has warmed up. */
export function startCpuWorker(clientName: string, baseUrl: string): Promise<CpuWorker> {
  return new Promise((resolve, reject) => {
    const child = fork(join(BENCH_DIR, 'src/cpu-worker.ts'), [clientName, baseUrl], {
      cwd: BENCH_DIR,
      execArgv: [
        '--expose-gc',
        ...TS_NODE_ARGS,
        ...(FETCH_ENTRY_CLIENTS.has(clientName) ? [`--conditions=${FETCH_ENTRY_CONDITION}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    child.once('message', () => {
      resolve({
        process: child,
        run: (job) =>
          new Promise((done, fail) => {
            child.once('message', (reply: { ok: boolean; result?: CpuJobResult; error?: string }) =>
              reply.ok ? done(reply.result!) : fail(new Error(`${clientName}: ${reply.error}`)),
            );
            child.send(job);
          }),
        stop: async () => {
          child.disconnect();
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`cpu worker ${clientName} exited with ${code}`)));
  });
}

/** Metrics of one sample, in the order of the table columns. */
const METRICS = [
  { key: 'createSeqUs', label: 'create, sequential (µs CPU/call)' },
  { key: 'createConcUs', label: 'create, 16 concurrent (µs CPU/call)' },
  { key: 'listMs', label: '1,000-item list walk (ms CPU)' },
] as const;

/** Measures every client in `clientNames` against the stub; `twilio` is the baseline of the ratios. */
export async function measureClientCpu(
  context: BenchContext,
  clientNames: string[],
): Promise<{
  section: Section;
  series: Series;
}> {
  const calls = context.quick ? 100 : 300;
  const rounds = context.quick ? 3 : 15;
  // One walk is 20 requests and a few milliseconds of CPU: several per round keep a single GC pause
  // from deciding the round's figure.
  const listWalks = context.quick ? 1 : 8;
  const workers = new Map<string, CpuWorker>();
  try {
    for (const name of clientNames) workers.set(name, await startCpuWorker(name, context.stubUrl));
    const variants = clientNames.map((name) => ({
      name,
      async measure() {
        const worker = workers.get(name)!;
        const sequential = await worker.run({ kind: 'create', calls, concurrency: 1 });
        const concurrent = await worker.run({ kind: 'create', calls: calls * 2, concurrency: 16 });
        const list = await worker.run({ kind: 'list', calls: listWalks, concurrency: 1 });
        return {
          createSeqUs: sequential.cpuUsPerCall,
          createConcUs: concurrent.cpuUsPerCall,
          listMs: list.cpuUsPerCall / 1000,
          listPageFaults: list.pageFaultsPerCall,
        };
      },
    }));
    const series = await alternate(variants, {
      rounds,
      warmupRounds: 1,
      onRound: (round) => context.log(`client CPU: round ${round + 1} done`),
    });
    const rows = clientNames.map((name) => [
      name,
      ...METRICS.flatMap(({ key }) => [
        formatNumber(medianOf(series, name, key), key === 'listMs' ? 2 : 0),
        formatRatio(pairedRatio(series, name, 'twilio', key)),
      ]),
      formatNumber(medianOf(series, name, 'listPageFaults'), 0),
    ]);
    return {
      series,
      section: {
        title: 'Client CPU per request',
        description:
          `CPU time (user + system) of the client process only; the stub server runs in its own process. ` +
          `Each client lives in its own process, warmed up first; a round runs ${calls} sequential creates, ` +
          `${calls * 2} creates 16 at a time, and ${listWalks} walk(s) of 1,000 tasks in pages of 50. ` +
          `Medians over ${rounds} rounds (after a warm-up round); ratios are paired per round against twilio. ` +
          "Before warming up, each client process frees one 4 MiB block, which raises the C library's " +
          'threshold for giving memory back to the system as any long-running process has done; a fresh ' +
          "process otherwise gives back Node's socket read buffers after each scavenge and faults them " +
          'in again, which made identical code walk up to 70% slower in one process than in another. ' +
          'Page faults per walk: minor and major faults of the client process during a walk, whose ' +
          "kernel time is part of the walk's CPU time.",
        tables: [
          {
            columns: [
              'client',
              ...METRICS.flatMap(({ label }) => [label, '× twilio']),
              'page faults per walk',
            ],
            rows,
          },
        ],
      },
    };
  } finally {
    await Promise.all([...workers.values()].map((worker) => worker.stop()));
  }
}
