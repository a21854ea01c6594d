/** The built `taskrouter-mock` command as a child process, for the tests that run it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ApiAnswer } from './helpers.js';

/** The built command, as `npx taskrouter-mock` runs it. */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built command with `args` and resolves with its exit code and output once it exits. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Starts the built command with `args`; resolves with its URL, what it printed so far, a `stop`
 * that sends SIGTERM (or the signal given) and resolves with the exit code.
 */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    child.kill(signal);
    return exited;
  };
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`CLI exited early: ${output}`)));
    });
    return { url, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A client of a running command: JSON control calls and form-encoded API calls. */
export function clientOf(url: string, authorization: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? null : JSON.parse(text)) as ApiAnswer['body'],
      headers: response.headers,
    };
  };
  return {
    control: call,
    api: (method: string, path: string, form: Record<string, string> = {}) =>
      call(method, path, method === 'GET' ? undefined : new URLSearchParams(form).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      }),
  };
}

/** A client made by {@link clientOf}. */
export type ServerClient = ReturnType<typeof clientOf>;

/**
 * Seeds a workspace over the remote control: queues Tier 1 (`tier == 1`) and Tier 2 (`tier == 2`),
 * the given workers, and a workflow that moves support tasks from Tier 1 to Tier 2 after `timeout`
 * seconds.
 */
export async function seedEscalation(client: ServerClient, timeout: number, workers: object[] = []) {
  const seeded = await client.control('POST', '/__emulator/seed', {
    workspaces: [
      {
        FriendlyName: 'Support desk',
        workers,
        taskQueues: [
          { FriendlyName: 'Tier 1', TargetWorkers: 'tier == 1' },
          { FriendlyName: 'Tier 2', TargetWorkers: 'tier == 2' },
        ],
      },
    ],
  });
  expect(seeded.status).toBe(201);
  const [created] = seeded.body.workspaces;
  const workspaceSid: string = created.workspace.sid;
  const [tier1, tier2] = created.taskQueues;
  const more = await client.control('POST', '/__emulator/seed', {
    workspaces: [
      {
        sid: workspaceSid,
        workflows: [
          {
            FriendlyName: 'Escalation',
            Configuration: {
              task_routing: {
                filters: [
                  {
                    filter_friendly_name: 'Support',
                    expression: "type == 'support'",
                    targets: [{ queue: tier1.sid, timeout }, { queue: tier2.sid }],
                  },
                ],
              },
            },
          },
        ],
      },
    ],
  });
  expect(more.status).toBe(201);
  return {
    workspaceSid,
    tier1: tier1.sid as string,
    tier2: tier2.sid as string,
    workflowSid: more.body.workspaces[0].workflows[0].sid as string,
    workers: (created.workers ?? []) as { sid: string; friendly_name: string }[],
  };
}

/** A message of the remote control's event stream. */
export interface StreamedEvent {
  event_type: string;
  sid?: string;
  workspace_sid?: string;
  resource_sid?: string;
  /** `emulator.worker-sdk` messages: the worker and its open websockets. */
  worker_sid?: string;
  connections?: number;
}

/**
 * Reads the remote control's event stream (`query` appended to its path, `auth` as Authorization),
 * calling `start` once it is open, until `enough` says stop.
 */
export async function readEvents(
  url: string,
  enough: (events: StreamedEvent[]) => boolean,
  start: () => Promise<void>,
  query: string,
  auth: string,
) {
  const controller = new AbortController();
  const response = await fetch(`${url}/__emulator/events${query}`, {
    headers: { authorization: auth },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamedEvent[] = [];
  let buffer = '';
  let started = false;
  while (!enough(events)) {
    if (!started) {
      // The stream is open once its first frame (the retry hint) arrives.
      const { value } = await reader.read();
      buffer += value ?? '';
      started = true;
      await start();
      continue;
    }
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)));
    }
  }
  controller.abort();
  return events;
}
