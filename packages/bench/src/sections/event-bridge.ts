/**
 * The event bridge under load: N protocol-level websocket clients (plain `ws`, not N worker SDKs)
 * connected to one emulator in its own process; tasks created over REST one after another, each
 * timed from the moment its POST is sent to the moment its `reservation.created` frame reaches the
 * worker it was offered to.
 */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { createAccessToken } from '@taskrouter/core';
import { WebSocket } from 'ws';
import type { EventBridgeServerAnnouncement, EventBridgeServerMemory } from '../event-bridge-server.js';
import { quantile } from '../harness.js';
import { startService, TS_NODE_ARGS } from '../processes.js';
import { formatBytes, formatNumber, formatRatio, type GoalCheck, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** Connections opened at once while the clients connect. */
const CONNECT_CONCURRENCY = 50;
/** How long a task's frame may take before it counts as lost. */
const FRAME_WAIT_MS = 5_000;
/** Quiet time after the last task, so late duplicates are counted too. */
const SETTLE_MS = 300;

/** Figures of one run: `workers` clients connected, `tasks` created one after another. */
export interface EventBridgeRun {
  workers: number;
  tasks: number;
  /** Milliseconds from sending the POST to the reservation frame, one per task that got one. */
  frameLatenciesMs: number[];
  /** Milliseconds from sending the POST to its answer, one per task. */
  restLatenciesMs: number[];
  /** Tasks whose `reservation.created` frame never came. */
  lost: number;
  /** Extra `reservation.created` frames for a task that already had one. */
  duplicated: number;
  /** Frames whose payload names another worker than the connection's. */
  misdelivered: number;
  /** Growth of the emulator's heap and resident set per open websocket, after a full GC. */
  heapBytesPerConnection: number;
  rssBytesPerConnection: number;
}

interface Arrival {
  atMs: number;
  count: number;
}

/** The task a reservation frame is about: its `task_sid`, or the SID of its nested task. */
function frameTaskSid(payload: Record<string, unknown>): string | undefined {
  const task = payload.task as { sid?: string } | undefined;
  return (payload.task_sid as string | undefined) ?? task?.sid;
}

function postTask(
  agent: Agent,
  server: EventBridgeServerAnnouncement,
  attributes: Record<string, unknown>,
): Promise<string> {
  const body = new URLSearchParams({
    WorkflowSid: server.workflowSid,
    Attributes: JSON.stringify(attributes),
  }).toString();
  return new Promise((resolve, reject) => {
    const call = request(
      `${server.url}/v1/Workspaces/${server.workspaceSid}/Tasks`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: server.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          if (response.statusCode !== 201)
            reject(new Error(`create task answered ${response.statusCode}: ${text}`));
          else resolve((JSON.parse(text) as { sid: string }).sid);
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

async function askMemory(service: {
  process: { stdin: NodeJS.WritableStream | null; stdout: NodeJS.ReadableStream | null };
}): Promise<EventBridgeServerMemory> {
  const stdout = service.process.stdout!;
  const line = new Promise<string>((resolve) => {
    let buffer = '';
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      stdout.off('data', onData);
      resolve(buffer.slice(0, newline));
    };
    stdout.on('data', onData);
  });
  service.process.stdin!.write('memory\n');
  return JSON.parse(await line) as EventBridgeServerMemory;
}

/** Connects `workers` clients to a fresh emulator, creates `tasks` tasks and times their frames. */
export async function runEventBridge(workers: number, tasks: number): Promise<EventBridgeRun> {
  if (tasks > workers) throw new RangeError('each task needs an idle worker: tasks must not exceed workers');
  const service = await startService<EventBridgeServerAnnouncement>([
    '--expose-gc',
    ...TS_NODE_ARGS,
    'src/event-bridge-server.ts',
    String(workers),
  ]);
  const server = service.announcement;
  const sockets: WebSocket[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const before = await askMemory(service);
    const arrivals = new Map<string, Arrival>();
    const waiters = new Map<string, () => void>();
    let misdelivered = 0;
    const connect = async (workerSid: string) => {
      const token = await createAccessToken({
        accountSid: server.accountSid,
        apiKeySid: server.apiKey.sid,
        apiKeySecret: server.apiKey.secret,
        identity: workerSid,
        taskRouter: { workspaceSid: server.workspaceSid, workerSid },
      });
      const query = new URLSearchParams({
        token,
        closeExistingSessions: 'false',
        clientVersion: 'bench',
        setWorkerOfflineIfDisconnected: 'false',
      });
      const socket = new WebSocket(`${server.wsServer}?${query}`);
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('close', (code, reason) => reject(new Error(`websocket closed ${code}: ${reason}`)));
        socket.on('message', (data) => {
          const atMs = performance.now();
          const text = data.toString();
          if (text === '') return; // heartbeat
          const frame = JSON.parse(text) as { event_type: string; payload: Record<string, unknown> };
          if (frame.event_type === 'init') return resolve();
          if (frame.event_type !== 'reservation.created') return;
          if (frame.payload.worker_sid !== workerSid) misdelivered += 1;
          const taskSid = frameTaskSid(frame.payload) ?? '';
          const seen = arrivals.get(taskSid);
          if (seen) seen.count += 1;
          else arrivals.set(taskSid, { atMs, count: 1 });
          waiters.get(taskSid)?.();
        });
      });
    };
    for (let start = 0; start < workers; start += CONNECT_CONCURRENCY) {
      await Promise.all(server.workerSids.slice(start, start + CONNECT_CONCURRENCY).map(connect));
    }
    const connected = await askMemory(service);
    if (connected.connections !== workers) {
      throw new Error(`expected ${workers} open websockets, the emulator has ${connected.connections}`);
    }

    const frameLatenciesMs: number[] = [];
    const restLatenciesMs: number[] = [];
    const taskSids: string[] = [];
    let lost = 0;
    for (let index = 0; index < tasks; index++) {
      const sentMs = performance.now();
      const taskSid = await postTask(agent, server, { type: 'support', index });
      restLatenciesMs.push(performance.now() - sentMs);
      taskSids.push(taskSid);
      if (!arrivals.has(taskSid)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, FRAME_WAIT_MS);
          waiters.set(taskSid, () => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiters.delete(taskSid);
      }
      const arrival = arrivals.get(taskSid);
      if (arrival) frameLatenciesMs.push(arrival.atMs - sentMs);
      else lost += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    let duplicated = 0;
    for (const [taskSid, arrival] of arrivals) {
      duplicated += arrival.count - 1;
      if (!taskSids.includes(taskSid)) duplicated += 1; // a frame for a task this run never made
    }
    return {
      workers,
      tasks,
      frameLatenciesMs,
      restLatenciesMs,
      lost,
      duplicated,
      misdelivered,
      heapBytesPerConnection: (connected.heapUsedBytes - before.heapUsedBytes) / workers,
      rssBytesPerConnection: (connected.rssBytes - before.rssBytes) / workers,
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    agent.destroy();
    await service.stop();
  }
}

/** The benchmark section: 100 and 1,000 connected workers, a task per worker. */
export async function measureEventBridge(
  context: BenchContext,
): Promise<{ section: Section; goals: GoalCheck[] }> {
  const runs: EventBridgeRun[] = [];
  for (const workers of [100, 1000]) {
    context.log(`event bridge: ${workers} websocket workers`);
    const tasks = context.quick ? Math.min(workers, 200) : workers;
    runs.push(await runEventBridge(workers, tasks));
  }
  const ms = (value: number) => formatNumber(value, 1, 'ms');
  const rows = runs.map((run) => {
    const p50 = quantile(run.frameLatenciesMs, 0.5);
    const restP50 = quantile(run.restLatenciesMs, 0.5);
    return [
      formatNumber(run.workers, 0),
      formatNumber(run.tasks, 0),
      ms(p50),
      ms(quantile(run.frameLatenciesMs, 0.99)),
      ms(Math.max(...run.frameLatenciesMs)),
      ms(restP50),
      formatRatio(p50 / restP50),
      `${run.lost} / ${run.duplicated} / ${run.misdelivered}`,
      formatBytes(Math.round(run.heapBytesPerConnection)),
      formatBytes(Math.round(run.rssBytesPerConnection)),
    ];
  });
  const largest = runs.at(-1)!;
  const p99 = quantile(largest.frameLatenciesMs, 0.99);
  const intact = runs.every((run) => run.lost === 0 && run.duplicated === 0 && run.misdelivered === 0);
  return {
    section: {
      title: 'Event bridge (worker SDK websockets)',
      description:
        'N plain `ws` clients connected to one emulator (its own process) as N workers, with access ' +
        'tokens from `createAccessToken`; tasks created over REST one after another, each timed from ' +
        'sending its POST to its `reservation.created` frame at the worker it was offered to. ' +
        'Memory is the growth of the emulator process per open websocket, after a full GC.',
      tables: [
        {
          columns: [
            'workers connected',
            'tasks',
            'frame p50',
            'frame p99',
            'frame max',
            'REST answer p50',
            'frame p50 × REST p50',
            'lost / duplicated / misdelivered',
            'heap per connection',
            'RSS per connection',
          ],
          rows,
        },
      ],
      notes: [
        `Load average when the section ended: ${loadavg()
          .map((load) => load.toFixed(1))
          .join(
            ', ',
          )} (1, 5, 15 min); the latencies are wall time, so other work on the machine shows in the tail.`,
        'The frame usually arrives before the REST answer: the emulator sends it as soon as the task is routed, before it writes the response.',
      ],
    },
    goals: [
      {
        goal: 'reservation frame p99 at most 50 ms with 1,000 websocket workers',
        measured: ms(p99),
        met: p99 <= 50,
      },
      {
        goal: 'no reservation frame lost, duplicated or sent to another worker',
        measured: intact
          ? 'none'
          : runs.map((run) => `${run.lost}/${run.duplicated}/${run.misdelivered}`).join(', '),
        met: intact,
      },
    ],
  };
}
