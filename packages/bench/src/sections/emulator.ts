/** Emulator throughput and memory, in-process and over HTTP, from a child started with --expose-gc. */
import { Agent, request } from 'node:http';
import { median } from '../harness.js';
import { runProcess, startService, TS_NODE_ARGS } from '../processes.js';
import { formatNumber, formatRatio, type GoalCheck, type Section } from '../report.js';
import type { BenchContext } from './context.js';

type ChildResult = { ok: true; [metric: string]: number | boolean } | { ok: false; error: string };

async function runMode(mode: string, amount: number): Promise<ChildResult> {
  const { stdout } = await runProcess(
    process.execPath,
    ['--expose-gc', ...TS_NODE_ARGS, 'src/emulator-bench.ts', mode, String(amount)],
    { timeoutMs: 300_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

/** Runs a mode `rounds` times and returns the median of each metric, or the first error. */
async function medianOfRuns(
  mode: string,
  amount: number,
  rounds: number,
): Promise<{ metrics: Record<string, number> } | { error: string }> {
  const runs: ChildResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const result = await runMode(mode, amount);
    if (!result.ok) return { error: result.error };
    runs.push(result);
  }
  const metrics: Record<string, number> = {};
  for (const key of Object.keys(runs[0]!).filter((name) => name !== 'ok')) {
    metrics[key] = median(runs.map((run) => Number((run as Record<string, unknown>)[key])));
  }
  return { metrics };
}

interface ServedEmulator {
  url: string;
  workspaceSid: string;
  taskSid: string;
  authorization: string;
}

/** 16 keep-alive clients alternate fetching a task and creating one, for `durationMs`. */
async function httpRequestsPerSecond(durationMs: number): Promise<number> {
  const service = await startService<ServedEmulator>([...TS_NODE_ARGS, 'src/emulator-bench.ts', 'serve']);
  const { url, workspaceSid, taskSid, authorization } = service.announcement;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const form = 'Attributes=%7B%22type%22%3A%22support%22%7D&Priority=5';
  const send = (method: string, path: string) =>
    new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { authorization };
      if (method === 'POST') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(form.length);
      }
      const req = request(`${url}${path}`, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 || res.statusCode === 201
            ? resolve()
            : reject(new Error(`${method} ${path} answered ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end(method === 'POST' ? form : undefined);
    });
  try {
    let completed = 0;
    const start = performance.now();
    const lane = async () => {
      for (let index = 0; performance.now() - start < durationMs && index < 1_000_000; index++) {
        if (index % 2 === 0) await send('GET', `/v1/Workspaces/${workspaceSid}/Tasks/${taskSid}`);
        else await send('POST', `/v1/Workspaces/${workspaceSid}/Tasks`);
        completed += 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    return completed / ((performance.now() - start) / 1000);
  } finally {
    agent.destroy();
    await service.stop();
  }
}

interface HostileEmulator {
  url: string;
  workspaceSid: string;
  queueSid: string;
  workflowSid: string;
  taskSid: string;
  /** Distinct configurations, each with its own 32 KB target expression. */
  configurations: string[];
  authorization: string;
}

/** Worst and median latency of one kind of request, in milliseconds. */
interface Latency {
  what: string;
  worstMs: number;
  medianMs: number;
}

/**
 * The hostile scenario over HTTP (the emulator in a child): each request kind `repeats` times,
 * one request at a time, so a request's latency is how long it held the server.
 */
export async function hostileLatencies(repeats: number): Promise<{ baseline: Latency; changes: Latency[] }> {
  const service = await startService<HostileEmulator>([...TS_NODE_ARGS, 'src/emulator-bench.ts', 'hostile']);
  const { url, workspaceSid, queueSid, workflowSid, taskSid, configurations, authorization } =
    service.announcement;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const timed = (method: string, path: string, form?: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const body = form === undefined ? undefined : new URLSearchParams(form).toString();
      const headers: Record<string, string> = { authorization };
      if (body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const start = performance.now();
      const req = request(`${url}${path}`, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - start)
            : reject(new Error(`${method} ${path} answered ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  const workspace = `/v1/Workspaces/${workspaceSid}`;
  const kinds: { what: string; send: (round: number) => Promise<number> }[] = [
    {
      what: 'workspace rename',
      send: (round) => timed('POST', workspace, { FriendlyName: `Hostile ${round}` }),
    },
    {
      what: 'PrioritizeQueueOrder change',
      send: (round) => timed('POST', workspace, { PrioritizeQueueOrder: round % 2 === 0 ? 'LIFO' : 'FIFO' }),
    },
    {
      what: "the queue's TargetWorkers change",
      send: (round) =>
        timed('POST', `${workspace}/TaskQueues/${queueSid}`, {
          TargetWorkers: round % 2 === 0 ? 'team != "none"' : '1==1',
        }),
    },
    {
      what: "the workflow's target expression change, ReEvaluateTasks",
      send: (round) =>
        timed('POST', `${workspace}/Workflows/${workflowSid}`, {
          Configuration: configurations[round % configurations.length]!,
          ReEvaluateTasks: 'true',
        }),
    },
    {
      what: 'ReEvaluateTasks, same configuration',
      send: () => timed('POST', `${workspace}/Workflows/${workflowSid}`, { ReEvaluateTasks: 'true' }),
    },
  ];
  const measure = async (what: string, send: (round: number) => Promise<number>): Promise<Latency> => {
    const samples: number[] = [];
    for (let round = 0; round < repeats; round++) samples.push(await send(round));
    return { what, worstMs: Math.max(...samples), medianMs: median(samples) };
  };
  try {
    const baseline = await measure('task fetch (baseline)', () =>
      timed('GET', `${workspace}/Tasks/${taskSid}`),
    );
    const changes: Latency[] = [];
    for (const { what, send } of kinds) changes.push(await measure(what, send));
    return { baseline, changes };
  } finally {
    agent.destroy();
    await service.stop();
  }
}

/** Measures the emulator figures its issues ask for. */
export async function measureEmulator(
  context: BenchContext,
): Promise<{ section: Section; goals: GoalCheck[] }> {
  const rounds = context.quick ? 1 : 3;
  const durationMs = context.quick ? 500 : 1500;
  context.log('emulator: in-process calls');
  const inProcess = await medianOfRuns('in-process', durationMs, rounds);
  context.log('emulator: HTTP with 16 clients');
  const httpRates: number[] = [];
  for (let round = 0; round < rounds; round++) httpRates.push(await httpRequestsPerSecond(durationMs));
  const http = median(httpRates);
  context.log('emulator: lifecycles');
  const lifecycle = await medianOfRuns('lifecycle', durationMs, rounds);
  context.log('emulator: routing cost by worker count');
  const routing = await medianOfRuns('routing', durationMs, rounds);
  context.log('emulator: hostile scenario over HTTP');
  let hostile: Awaited<ReturnType<typeof hostileLatencies>> | { error: string };
  try {
    hostile = await hostileLatencies(context.quick ? 4 : 10);
  } catch (error) {
    hostile = { error: error instanceof Error ? error.message : String(error) };
  }
  context.log('emulator: memory per idle task');
  const memory = await medianOfRuns('memory', context.quick ? 5000 : 20_000, rounds);
  context.log('emulator: invariant soak');
  const soakSteps = context.quick ? 5000 : 50_000;
  const soak = await medianOfRuns('soak', soakSteps, 1);

  const rows: string[][] = [];
  const goals: GoalCheck[] = [];
  const notes: string[] = [];
  const unavailable = (what: string, error: string) => {
    rows.push([what, 'not measured', error]);
    notes.push(`${what}: not measured, the emulator failed with "${error}".`);
  };
  if ('metrics' in inProcess) {
    const raw = inProcess.metrics.rawCallsPerSecond!;
    rows.push(['in-process API calls (raw `emulator.fetch`)', `${formatNumber(raw, 0)}/s`, '≥ 20,000/s']);
    rows.push([
      'in-process API calls through the core client',
      `${formatNumber(inProcess.metrics.coreCallsPerSecond!, 0)}/s`,
      '(for reference)',
    ]);
    rows.push([
      'in-process API calls through the official twilio client (`createTwilioHttpClient`)',
      `${formatNumber(inProcess.metrics.twilioCallsPerSecond!, 0)}/s`,
      '(for reference)',
    ]);
    goals.push({
      goal: 'emulator in-process at least 20,000 calls/s',
      measured: `${formatNumber(raw, 0)}/s`,
      met: raw >= 20_000,
    });
  } else unavailable('in-process API calls', inProcess.error);
  rows.push(['HTTP on loopback, 16 concurrent clients', `${formatNumber(http, 0)} req/s`, '≥ 5,000 req/s']);
  goals.push({
    goal: 'emulator over HTTP at least 5,000 req/s (16 clients)',
    measured: `${formatNumber(http, 0)}/s`,
    met: http >= 5000,
  });
  if ('metrics' in lifecycle) {
    const rate = lifecycle.metrics.lifecyclesPerSecond!;
    rows.push(['task lifecycles, 1,000 workers, 10 queues', `${formatNumber(rate, 0)}/s`, '≥ 5,000/s']);
    rows.push([
      'task lifecycles through the core client',
      `${formatNumber(lifecycle.metrics.coreLifecyclesPerSecond!, 0)}/s`,
      '(for reference)',
    ]);
    goals.push({
      goal: 'emulator at least 5,000 task lifecycles/s',
      measured: `${formatNumber(rate, 0)}/s`,
      met: rate >= 5000,
    });
  } else unavailable('task lifecycles', lifecycle.error);
  if ('metrics' in routing) {
    const small = routing.metrics.us100!;
    const large = routing.metrics.us10000!;
    rows.push(['routed task (create + route + cancel), 100 workers', formatNumber(small, 1, 'µs'), '']);
    rows.push([
      'routed task (create + route + cancel), 10,000 workers',
      formatNumber(large, 1, 'µs'),
      '≤ 2x the 100-worker cost',
    ]);
    goals.push({
      goal: 'routing with 10,000 workers within 2x of 100',
      measured: formatRatio(large / small),
      met: large / small <= 2,
    });
    const rejecting = [
      { metric: 'rejectingUs', target: '32 KB target rejecting all', goal: 'a rejecting target' },
      {
        metric: 'taskRejectingUs',
        target: '32 KB target reading `task.language` rejecting all',
        goal: 'a rejecting target that reads the task',
      },
    ];
    for (const { metric, target, goal } of rejecting) {
      const rejectingSmall = routing.metrics[`${metric}100`]!;
      const rejectingLarge = routing.metrics[`${metric}10000`]!;
      rows.push([
        `waiting task (create + route + cancel), ${target}, 100 workers`,
        `${formatNumber(rejectingSmall, 1, 'µs')} (${formatRatio(rejectingSmall / small)} the accepting one)`,
        '',
      ]);
      rows.push([
        `waiting task (create + route + cancel), ${target}, 10,000 workers`,
        `${formatNumber(rejectingLarge, 1, 'µs')} (${formatRatio(rejectingLarge / large)} the accepting one)`,
        '≤ 2x the 100-worker cost',
      ]);
      goals.push({
        goal: `routing with ${goal}, 10,000 workers within 2x of 100`,
        measured: formatRatio(rejectingLarge / rejectingSmall),
        met: rejectingLarge / rejectingSmall <= 2,
      });
    }
  } else unavailable('routing cost by worker count', routing.error);
  if ('metrics' in memory) {
    const bytes = memory.metrics.bytesPerTask!;
    rows.push(['heap per idle task', formatNumber(bytes, 0, 'B'), '< 2,048 B']);
    goals.push({
      goal: 'emulator memory per idle task under 2 KB',
      measured: formatNumber(bytes, 0, 'B'),
      met: bytes < 2048,
    });
  } else unavailable('memory per idle task', memory.error);
  const soakGoal = 'invariant soak (16 clients, 3 seeds) finds no violation';
  if ('metrics' in soak) {
    const { steps, requests, refused, tasks, seconds } = soak.metrics;
    rows.push([
      `invariant soak: 3 seeds × ${formatNumber(soakSteps, 0)} steps, 16 clients`,
      `0 violations; ${formatNumber(requests!, 0)} requests (${formatNumber(refused!, 0)} refused), ` +
        `${formatNumber(tasks!, 0)} tasks, ${formatNumber(seconds!, 1)} s`,
      'no violation',
    ]);
    goals.push({ goal: soakGoal, measured: `0 in ${formatNumber(steps!, 0)} steps`, met: true });
  } else {
    rows.push(['invariant soak', 'violations found', soak.error]);
    goals.push({ goal: soakGoal, measured: soak.error, met: false });
  }

  const hostileRows: string[][] = [];
  const hostileGoal = 'hostile scenario: no request holds the emulator over 100 ms';
  if ('changes' in hostile) {
    const { baseline, changes } = hostile;
    for (const latency of [baseline, ...changes]) {
      hostileRows.push([
        latency.what,
        formatNumber(latency.worstMs, 1, 'ms'),
        formatNumber(latency.medianMs, 1, 'ms'),
        latency === baseline ? '(reference)' : '≤ 100 ms',
      ]);
    }
    const worst = Math.max(...changes.map((latency) => latency.worstMs));
    goals.push({ goal: hostileGoal, measured: `worst ${formatNumber(worst, 1, 'ms')}`, met: worst <= 100 });
  } else {
    hostileRows.push(['hostile scenario', 'not measured', hostile.error, '']);
    goals.push({ goal: hostileGoal, measured: hostile.error, met: false });
  }

  return {
    goals,
    section: {
      title: 'Emulator',
      description:
        `Each figure comes from a fresh child process (with --expose-gc), median of ${rounds} run(s) of ` +
        `${durationMs} ms, each after an untimed warm-up a third as long (so that no variant pays for ` +
        `compiling the emulator's code for the others). In-process: a create, a fetch and a workspace read per step, handed straight ` +
        `to \`emulator.fetch\`, through the core client, and through the official twilio client with ` +
        `\`createTwilioHttpClient\`. HTTP: the emulator's ` +
        `own server in a child, 16 keep-alive node:http clients in this process alternating a fetch and a ` +
        `create. Lifecycle: create, read its reservation, accept it, complete the task, with requests ` +
        `handed straight to \`emulator.fetch\` and, for reference, through the core client (which sends ` +
        `through the emulator's direct send). Memory: heap growth after garbage collection per pending ` +
        `task created by the seeder. Soak: the package's \`runSoak\` (random valid and invalid operations ` +
        `of 16 interleaved clients, clock advances, paged list walks, invariants checked after every step), ` +
        `one run per seed. Routing: tasks created, routed and canceled in a workspace of 10 queues, with ` +
        `a target that takes any worker of its queue and with a 32 KB target expression that rejects every ` +
        `worker (the task waits), alone and behind \`worker.languages HAS task.language\` (four languages), ` +
        `after one warm-up task per queue (and language). Hostile scenario: the emulator's own ` +
        `server in a child, one keep-alive client sending one request at a time; each kind ${context.quick ? 4 : 10} ` +
        `times, alternating two values (a distinct 32 KB expression each time for the workflow), against ` +
        `a task fetch as the reference.`,
      tables: [
        { columns: ['measurement', 'result', 'target'], rows },
        {
          columns: [
            'request, 200 available workers, 100 waiting tasks, 32 KB target rejecting all (HTTP)',
            'worst',
            'median',
            'target',
          ],
          rows: hostileRows,
        },
      ],
      notes,
    },
  };
}
