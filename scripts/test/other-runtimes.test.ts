/**
 * The packages on Bun and Deno, the real runtimes (pinned, installed from npm by
 * `scripts/ensure-runtimes.mjs`): each runs a script of the fixtures in a child process and prints a
 * report, which is checked here together with what the emulator saw. The worker SDK's fixture
 * checks its outcomes against the emulator's state itself, as the emulator runs inside it.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '@taskrouter/testing-mocks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findRuntime, RUNTIMES } from '../runtime-path.mjs';

const ACCOUNT_SID = `AC${'7'.repeat(32)}`;
const AUTH_TOKEN = 'other-runtimes-token';
const OTHER_ORIGIN = 'http://elsewhere.example';

/** The built `taskrouter-mock` command. */
const CLI = fileURLToPath(new URL('../../packages/testing-mocks/dist/cli.js', import.meta.url));

/** How each runtime runs a script: Deno with no more permissions than the scripts need. */
const RUN_ARGS: Record<keyof typeof RUNTIMES, string[]> = {
  bun: ['run'],
  deno: ['run', '--no-lock', '--allow-net=127.0.0.1', '--allow-env', '--allow-read'],
};

/** The binary and arguments that run `file` with `args` on a runtime. */
function commandLine(runtime: keyof typeof RUNTIMES, file: string, args: string[] = []): [string, string[]] {
  const binary = findRuntime(runtime);
  if (binary === undefined) throw new Error(`${runtime} ${RUNTIMES[runtime]} is not installed`);
  return [binary, [...RUN_ARGS[runtime], file, ...args]];
}

/** Runs a fixture script and parses the JSON line it prints. */
function runFixture(
  runtime: keyof typeof RUNTIMES,
  script: string,
  env: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const file = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      ...commandLine(runtime, file),
      { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${runtime} ${script} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
      },
    );
  });
}

/**
 * Answers every request with a redirect to another origin (`/redirect`), never (`/hang`), or with
 * an oversized body.
 */
function startHostileServer(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/redirect/')) {
      response.writeHead(302, { location: `${OTHER_ORIGIN}/v1/Workspaces` }).end();
      return;
    }
    if (request.url?.startsWith('/hang/')) return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ sid: 'x'.repeat(4096) }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The URL of a loopback port nothing listens on (one just closed). */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const runtimes = (Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[]).map((name) => ({
  name,
  // Run, and so fail, under CI even when the runtime is missing; skipped elsewhere.
  describe: findRuntime(name) || process.env.CI ? describe : describe.skip,
}));

for (const runtime of runtimes) {
  runtime.describe(`${runtime.name} ${RUNTIMES[runtime.name]}`, () => {
    const emulator = createEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    let emulatorUrl = '';
    let closeEmulator = async () => {};
    let hostile: Server;
    beforeAll(async () => {
      const server = await emulator.listen({ port: 0, host: '127.0.0.1' });
      emulatorUrl = server.url;
      closeEmulator = server.close;
      hostile = await startHostileServer();
    });
    afterAll(async () => {
      await closeEmulator();
      hostile.closeAllConnections();
      await new Promise((resolve) => hostile.close(resolve));
    });

    test('the default clients take the fetch entry, and answers they must refuse fail typed', async () => {
      const workspace = emulator.seed.workspace({ FriendlyName: runtime.name, Template: 'FIFO' });
      const earlier = emulator.seed.task(workspace.sid, { Attributes: { runtime: 'seeded' } });
      const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
      const report = await runFixture(runtime.name, 'other-runtime-client.mjs', {
        RUNTIME_NAME: runtime.name,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TASKROUTER_BASE_URL: emulatorUrl,
        TASKROUTER_WORKSPACE_SID: workspace.sid,
        REDIRECTING_BASE_URL: `${hostileUrl}/redirect`,
        OVERSIZED_BASE_URL: `${hostileUrl}/oversized`,
        HANGING_BASE_URL: `${hostileUrl}/hang`,
        UNREACHABLE_BASE_URL: await closedPortUrl(),
      });

      // The runtime's own export condition picks the fetch entry, not the node:http one.
      expect(report.coreEntry).toMatch(/\/packages\/core\/dist\/index\.js$/);
      const created = report.created as { sid: string; priority: number; attributes: string };
      expect(created).toEqual({
        sid: expect.stringMatching(/^WT[0-9a-f]{32}$/),
        priority: 7,
        attributes: JSON.stringify({ runtime: runtime.name }),
      });
      const stored = emulator.inspect.tasks(workspace.sid).find((task) => task.sid === created.sid);
      expect(stored?.attributes).toBe(JSON.stringify({ runtime: runtime.name }));
      // A page size of 1 makes the resources client follow next-page links.
      expect(report.listed).toEqual(emulator.inspect.tasks(workspace.sid).map((task) => task.sid));
      expect(report.listed).toEqual(expect.arrayContaining([earlier.sid, created.sid]));
      const safe = { typed: true, leaksToken: false };
      expect(report.missing).toEqual({ thrown: 'TaskRouterApiError', ...safe, status: 404, code: 20404 });
      expect(report.redirect).toEqual({
        thrown: 'TaskRouterRedirectError',
        ...safe,
        status: 302,
        targetOrigin: OTHER_ORIGIN,
      });
      expect(report.oversized).toEqual({ thrown: 'TaskRouterResponseTooLargeError', ...safe });
      expect(report.timedOut).toEqual({ thrown: 'TaskRouterTimeoutError', ...safe, timeoutMs: 300 });
      expect(report.refused).toEqual({ thrown: 'TaskRouterNetworkError', ...safe });
    });

    test('the taskrouter-mock command serves the API and stops on SIGTERM', async () => {
      const child = spawn(
        ...commandLine(runtime.name, CLI, [
          '--port',
          '0',
          '--account-sid',
          ACCOUNT_SID,
          '--auth-token',
          AUTH_TOKEN,
        ]),
        { env: { ...process.env, NO_COLOR: '1' } },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let output = '';
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            output += chunk;
            const listening = /listening on (http:\/\/\S+)/.exec(output);
            if (listening) resolve(listening[1]!);
          });
          child.on('exit', () => reject(new Error(`the command exited before listening: ${output}`)));
        });
        const authorization = `Basic ${btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`)}`;
        const created = await fetch(`${url}/v1/Workspaces`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ FriendlyName: 'Served', Template: 'FIFO' }),
        });
        expect(created.status).toBe(201);
        const { sid } = (await created.json()) as { sid: string };
        const queues = await fetch(`${url}/v1/Workspaces/${sid}/TaskQueues`, { headers: { authorization } });
        expect(((await queues.json()) as { task_queues: { friendly_name: string }[] }).task_queues).toEqual([
          expect.objectContaining({ friendly_name: 'Sample Queue' }),
        ]);
        const refused = await fetch(`${url}/v1/Workspaces`, {
          headers: { authorization: `Basic ${btoa(`${ACCOUNT_SID}:wrong`)}` },
        });
        expect(refused.status).toBe(401);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    });

    test('the emulator routes a task in-process and serves it over HTTP', async () => {
      expect(await runFixture(runtime.name, 'other-runtime-emulator.mjs')).toEqual({
        reservation: { workerIsAda: true, status: 'pending' },
        assigned: 'assigned',
        completed: { status: 'completed', age: 60 },
        overHttp: { status: 200, assignmentStatus: 'completed' },
      });
    });

    test("the official worker SDK takes a reservation over the emulator's event bridge", async () => {
      const report = await runFixture(runtime.name, 'other-runtime-worker-sdk.mjs');
      expect(report.error).toBeUndefined();
      const { ready, reservation } = report as {
        ready: { sdkWorkerSid: string; seededWorkerSid: string; activity: string };
        reservation: { sdkTaskSid: string; seededTaskSid: string; status: string };
      };
      expect(ready.sdkWorkerSid).toBe(ready.seededWorkerSid);
      expect(ready.activity).toBe('Offline');
      // The activity set through the SDK, the reservation it was sent and its accept and complete
      // calls, each checked against the emulator's own state.
      expect(report.activityOverRest).toBe('Available');
      expect(reservation.sdkTaskSid).toBe(reservation.seededTaskSid);
      expect(reservation.status).toBe('pending');
      expect(report.accepted).toBe('assigned');
      expect(report.completed).toBe('completed');
    });
  });
}
