import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator } from '../src/index.js';
import { cli, clientOf, readEvents, runCli, seedEscalation, startCli } from './cli-process.js';

const accountSid = `AC${'d'.repeat(32)}`;
const authToken = 'dev-server-token';
const credentials = ['--account-sid', accountSid, '--auth-token', authToken];
const authorization = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
const clientOfServer = (url: string) => clientOf(url, authorization);

describe('taskrouter-mock remote control over HTTP', () => {
  let server: Awaited<ReturnType<typeof startCli>>;
  let client: ReturnType<typeof clientOf>;

  beforeAll(async () => {
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `pnpm --filter @taskrouter/testing-mocks build`');
    server = await startCli([...credentials, '--clock', 'virtual']);
    client = clientOfServer(server.url);
  }, 30_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  test('the clock stands still in virtual mode; advancing it fires the escalation; reset forgets everything', async () => {
    const { workspaceSid, tier1, tier2, workflowSid } = await seedEscalation(client, 60);
    const before = await client.control('GET', '/__emulator/clock');
    expect(before.body).toMatchObject({ mode: 'virtual' });
    const task = await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
      WorkflowSid: workflowSid,
      Attributes: JSON.stringify({ type: 'support' }),
    });
    expect(task.body.task_queue_sid).toBe(tier1);
    expect((await client.control('GET', '/__emulator/clock')).body.now_ms).toBe(before.body.now_ms);

    const advanced = await client.control('POST', '/__emulator/clock/advance', { seconds: 60 });
    expect(advanced.status).toBe(200);
    expect(advanced.body.now_ms).toBe(before.body.now_ms + 60_000);
    const moved = await client.api('GET', `/v1/Workspaces/${workspaceSid}/Tasks/${task.body.sid}`);
    expect(moved.body.task_queue_sid).toBe(tier2);

    const reset = await client.control('POST', '/__emulator/reset');
    expect(reset.status).toBe(200);
    expect((await client.api('GET', '/v1/Workspaces')).body.workspaces).toEqual([]);
    expect((await client.control('GET', '/__emulator/clock')).body.now_ms).toBe(before.body.now_ms + 60_000);
  }, 30_000);

  test('bad input gets a Twilio-shaped 400 naming the field, and changes nothing', async () => {
    const bad = async (path: string, body: unknown, parameter: string) => {
      const answer = await client.control('POST', path, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 20001, status: 400, details: { parameter } });
      expect(answer.body.message).toContain(parameter);
    };
    const clock = (await client.control('GET', '/__emulator/clock')).body;
    await bad('/__emulator/clock/advance', {}, 'seconds');
    await bad('/__emulator/clock/advance', { seconds: '60' }, 'seconds');
    await bad('/__emulator/clock/advance', { seconds: -1 }, 'seconds');
    await bad('/__emulator/clock/advance', '{"seconds":', 'body');
    await bad('/__emulator/clock/advance', [60], 'body');
    expect((await client.control('GET', '/__emulator/clock')).body.now_ms).toBe(clock.now_ms);

    // A document that fails half-way leaves nothing behind.
    await bad(
      '/__emulator/seed',
      { workspaces: [{ FriendlyName: 'Half', workers: [{ FriendlyName: 'Ann' }, { FriendlyName: 'ann' }] }] },
      'workspaces[0].workers[1].FriendlyName',
    );
    await bad(
      '/__emulator/seed',
      { workspaces: [{ FriendlyName: 'X', queues: [] }] },
      'workspaces[0].queues',
    );
    await bad('/__emulator/seed', { workspace: [] }, 'workspace');
    // A misspelt parameter, which the REST API would ignore as TaskRouter does, fails a seed.
    await bad(
      '/__emulator/seed',
      { workspaces: [{ FriendlyName: 'Typo', EventCallbackURL: 'https://example.com/events' }] },
      'workspaces[0].EventCallbackURL',
    );
    await bad(
      '/__emulator/seed',
      { workspaces: [{ FriendlyName: 'Typo', workers: [{ FriendlyName: 'Ann', Skills: 'fr' }] }] },
      'workspaces[0].workers[0].Skills',
    );
    expect((await client.api('GET', '/v1/Workspaces')).body.workspaces).toEqual([]);
  }, 30_000);

  test('GET /__emulator/calls and /__emulator/callbacks list the requests answered and the callbacks sent', async () => {
    const received: string[] = [];
    const receiver = createServer((request, response) => {
      received.push(request.url ?? '');
      request.resume();
      request.on('end', () => response.end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
      const seeded = await client.control('POST', '/__emulator/seed', {
        workspaces: [{ FriendlyName: 'Logged', EventCallbackUrl: callbackUrl, EventsFilter: 'task.created' }],
      });
      const workspaceSid: string = seeded.body.workspaces[0].workspace.sid;
      const task = await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
        TaskQueueSid: (
          await client.api('POST', `/v1/Workspaces/${workspaceSid}/TaskQueues`, { FriendlyName: 'Q' })
        ).body.sid,
        Attributes: '{"kind":"logged"}',
      });
      const calls = await client.control('GET', '/__emulator/calls?OperationId=CreateTask');
      expect(calls.status).toBe(200);
      expect(calls.body.calls.at(-1)).toMatchObject({
        operationId: 'CreateTask',
        method: 'POST',
        status: 201,
        path: `/v1/Workspaces/${workspaceSid}/Tasks`,
        params: { Attributes: '{"kind":"logged"}' },
      });
      expect(
        calls.body.calls.every((call: { operationId: string }) => call.operationId === 'CreateTask'),
      ).toBe(true);
      const bad = await client.control('GET', '/__emulator/calls?OperationId=MakeCoffee');
      expect(bad.body).toMatchObject({ status: 400, details: { parameter: 'OperationId' } });

      await expect
        .poll(async () => (await client.control('GET', '/__emulator/callbacks')).body.callbacks.at(-1))
        .toMatchObject({
          kind: 'event',
          url: callbackUrl,
          status: 200,
          params: { EventType: 'task.created', ResourceSid: task.body.sid },
        });
      expect(received).toEqual(['/events']);
    } finally {
      receiver.close();
    }
  }, 30_000);

  test('authentication, unknown paths and wrong methods answer as the API does', async () => {
    const anonymous = await fetch(`${server.url}/__emulator/state`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await anonymous.json()).toMatchObject({ code: 20003 });
    const wrong = await fetch(`${server.url}/__emulator/clock`, {
      headers: { authorization: `Basic ${btoa(`${accountSid}:other`)}` },
    });
    expect(wrong.status).toBe(401);
    expect((await client.control('GET', '/__emulator/nothing')).body).toMatchObject({
      status: 404,
      code: 20404,
    });
    const method = await client.control('GET', '/__emulator/reset');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');
  }, 30_000);

  test('GET /__emulator/state is the snapshot; /__emulator/events streams every event as it happens', async () => {
    const { workspaceSid, workflowSid } = await seedEscalation(client, 60);
    const state = await client.control('GET', '/__emulator/state');
    expect(state.body).toMatchObject({ format: 'taskrouter-emulator-snapshot', version: 2 });
    expect(JSON.stringify(state.body)).toContain(workspaceSid);

    let taskSid = '';
    const events = await readEvents(
      server.url,
      (seen) => seen.some((event) => event.event_type === 'task-queue.timeout'),
      async () => {
        const task = await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
          WorkflowSid: workflowSid,
          Attributes: JSON.stringify({ type: 'support' }),
        });
        taskSid = task.body.sid;
        await client.control('POST', '/__emulator/clock/advance', { seconds: 61 });
      },
      '',
      authorization,
    );
    const types = events.map((event) => event.event_type);
    expect(types.slice(0, 4)).toEqual([
      'workflow.entered',
      'task-queue.entered',
      'task.created',
      'workflow.target-matched',
    ]);
    expect(types).toContain('emulator.clock');
    const logged = await client.api(
      'GET',
      `/v1/Workspaces/${workspaceSid}/Events?TaskSid=${taskSid}&PageSize=100`,
    );
    // Every event the API lists came through the stream, in the same order.
    const streamed = events.filter((event) => event.sid !== undefined).map((event) => event.sid);
    const listed = (logged.body.events as { sid: string }[]).map((event) => event.sid);
    expect(streamed.filter((sid) => listed.includes(sid!))).toEqual(
      listed.filter((sid) => streamed.includes(sid)),
    );
    expect(listed.every((sid) => streamed.includes(sid))).toBe(true);
  }, 30_000);
});

describe('the remote control of emulator.listen()', () => {
  test('is served in-process too; ?WorkspaceSid= keeps one workspace; ui: false leaves the dashboard out', async () => {
    const emulator = createEmulator({ clock: 'virtual' });
    const server = await emulator.listen({ port: 0, ui: false });
    try {
      const auth = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
      const own = clientOf(server.url, auth);
      const noisy = emulator.seed.workspace({ FriendlyName: 'Noisy', Template: 'FIFO' });
      const quiet = emulator.seed.workspace({ FriendlyName: 'Quiet', Template: 'FIFO' });
      let quietTask = '';
      const events = await readEvents(
        server.url,
        (seen) =>
          seen.some((event) => event.event_type === 'task.created' && event.resource_sid === quietTask),
        async () => {
          emulator.seed.task(noisy.sid!, { Attributes: { type: 'noise' } });
          quietTask = emulator.seed.task(quiet.sid!, { Attributes: { type: 'signal' } }).sid!;
        },
        `?WorkspaceSid=${quiet.sid}`,
        auth,
      );
      expect(events.length).toBeGreaterThan(1);
      expect(events.every((event) => event.workspace_sid === quiet.sid)).toBe(true);

      expect((await own.control('GET', '/__emulator/clock')).body.mode).toBe('virtual');
      expect((await own.control('GET', '/__emulator/ui')).status).toBe(404);
      expect((await own.control('GET', '/__emulator/ui/app.js')).status).toBe(404);
    } finally {
      await emulator.close();
    }
  }, 30_000);
});

describe('taskrouter-mock --state-file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'taskrouter-state-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** Starts the command on `file`, creates a task that waits for escalation, and returns the state. */
  async function startWithWork(file: string) {
    const server = await startCli([...credentials, '--clock', 'virtual', '--state-file', file]);
    const client = clientOfServer(server.url);
    const { workspaceSid, workflowSid } = await seedEscalation(client, 60);
    await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
      WorkflowSid: workflowSid,
      Attributes: '{"type":"support"}',
    });
    await client.control('POST', '/__emulator/clock/advance', { seconds: 30 });
    return { server, client, workspaceSid };
  }

  async function restart(file: string, clock: 'virtual' | 'real' = 'virtual') {
    const server = await startCli([...credentials, '--clock', clock, '--state-file', file]);
    return { server, client: clientOfServer(server.url) };
  }

  test('a graceful stop loses nothing: the restarted server has the same state and fires the same timers', async () => {
    const file = join(folder, 'graceful.json');
    const { server, client, workspaceSid } = await startWithWork(file);
    // The last change comes right before the stop: it must be written on the way out.
    await client.api('POST', `/v1/Workspaces/${workspaceSid}`, { FriendlyName: 'Renamed' });
    const before = (await client.control('GET', '/__emulator/state')).body;
    expect(await server.stop('SIGTERM')).toBe(0);

    const again = await restart(file);
    try {
      expect(again.server.output()).toContain(`Restored the state of ${file}`);
      expect((await again.client.control('GET', '/__emulator/state')).body).toEqual(before);
      await again.client.control('POST', '/__emulator/clock/advance', { seconds: 30 });
      const events = await again.client.api(
        'GET',
        `/v1/Workspaces/${workspaceSid}/Events?EventType=task-queue.timeout`,
      );
      expect(events.body.events).toHaveLength(1);
      expect(events.body.events[0].event_date_ms).toBe(before.state.clock.now + 30_000);
    } finally {
      expect(await again.server.stop('SIGINT')).toBe(0);
    }
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  test('kill -9 loses at most the last moments: changes older than the write delay survive', async () => {
    const file = join(folder, 'killed.json');
    const { server, client } = await startWithWork(file);
    const before = (await client.control('GET', '/__emulator/state')).body;
    // Well past the write delay (at most about 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 400));
    await server.stop('SIGKILL');

    const again = await restart(file);
    try {
      expect((await again.client.control('GET', '/__emulator/state')).body).toEqual(before);
    } finally {
      expect(await again.server.stop()).toBe(0);
    }
  }, 60_000);

  test('with the real clock, a restart catches up with the downtime: timers due meanwhile fire at once, dated when due', async () => {
    const file = join(folder, 'real-clock.json');
    const server = await startCli([...credentials, '--clock', 'real', '--state-file', file]);
    const client = clientOfServer(server.url);
    const { workspaceSid, workflowSid, tier1, tier2 } = await seedEscalation(client, 3);
    const task = await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
      WorkflowSid: workflowSid,
      Attributes: '{"type":"support"}',
    });
    expect(task.body.task_queue_sid).toBe(tier1);
    const created = await client.api(
      'GET',
      `/v1/Workspaces/${workspaceSid}/Events?EventType=task.created&TaskSid=${task.body.sid}`,
    );
    const createdMs: number = created.body.events[0].event_date_ms;
    expect(await server.stop('SIGTERM')).toBe(0);
    // The escalation was still pending when the command stopped, due 3 s after the task's creation
    // (give or take the millisecond real time moves between the two records).
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const [escalation] = (saved.state.clock.timers as { at: number; job: { sid?: string } }[])
      .filter((timer) => timer.job.sid === task.body.sid)
      .sort((first, second) => first.at - second.at);
    expect(Math.abs(escalation!.at - (createdMs + 3000))).toBeLessThan(100);

    // The downtime outlasts the escalation's 3 s.
    const restartedAt = await new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), 3500));
    const again = await restart(file, 'real');
    try {
      const restarted = await again.client.api(
        'GET',
        `/v1/Workspaces/${workspaceSid}/Tasks/${task.body.sid}`,
      );
      // Right after the start, not 3 s later: the timer fired while the clock caught up.
      expect(restarted.body.task_queue_sid).toBe(tier2);
      const timeouts = await again.client.api(
        'GET',
        `/v1/Workspaces/${workspaceSid}/Events?EventType=task-queue.timeout`,
      );
      const [timeout] = timeouts.body.events as { event_date_ms: number }[];
      expect(timeout?.event_date_ms).toBe(escalation!.at);
      const clock = (await again.client.control('GET', '/__emulator/clock')).body;
      expect(clock.mode).toBe('real');
      expect(clock.now_ms).toBeGreaterThanOrEqual(restartedAt);
    } finally {
      expect(await again.server.stop()).toBe(0);
    }
  }, 60_000);

  test.each([
    ['not JSON', '{"format": "taskrouter-emulator-snapshot", "vers', 'is not valid JSON'],
    [
      'of another version',
      JSON.stringify({ format: 'taskrouter-emulator-snapshot', version: 99, state: {} }),
      'version is 99; this emulator reads versions 1 and 2 only',
    ],
    ['of another kind', JSON.stringify({ hello: 'world' }), "format must be 'taskrouter-emulator-snapshot'"],
  ])(
    'a file %s stops the command with a clear message and is never overwritten',
    async (_, content, reason) => {
      const file = join(folder, 'unusable.json');
      writeFileSync(file, content);
      const { code, stderr } = await runCli([...credentials, '--state-file', file]);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot use the state file ${file}`);
      expect(stderr).toContain(reason);
      expect(stderr).toContain('To start fresh, move or delete it');
      expect(readFileSync(file, 'utf8')).toBe(content);
    },
    30_000,
  );

  test('a state file of another account is refused', async () => {
    const file = join(folder, 'account.json');
    const { server } = await startWithWork(file);
    expect(await server.stop()).toBe(0);
    const saved = readFileSync(file, 'utf8');
    const { code, stderr } = await runCli([
      '--account-sid',
      `AC${'e'.repeat(32)}`,
      '--auth-token',
      'x',
      '--state-file',
      file,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("differs from the snapshot's account");
    expect(readFileSync(file, 'utf8')).toBe(saved);
  }, 30_000);
});

describe('taskrouter-mock accepting any credentials: every account on its own', () => {
  const callerA = `AC${'a'.repeat(32)}`;
  const callerB = `AC${'b'.repeat(32)}`;
  const authA = `Basic ${btoa(`${callerA}:token-a`)}`;
  const authB = `Basic ${btoa(`${callerB}:token-b`)}`;
  const folder = mkdtempSync(join(tmpdir(), 'taskrouter-accounts-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** Seeds each caller an escalation and a support task waiting in Tier 1. */
  async function workOfBoth(url: string) {
    const work = async (auth: string) => {
      const client = clientOf(url, auth);
      const seeded = await seedEscalation(client, 60);
      const task = await client.api('POST', `/v1/Workspaces/${seeded.workspaceSid}/Tasks`, {
        WorkflowSid: seeded.workflowSid,
        Attributes: '{"type":"support"}',
      });
      expect(task.status).toBe(201);
      return { client, ...seeded, taskSid: task.body.sid as string };
    };
    return { a: await work(authA), b: await work(authB) };
  }
  type Work = Awaited<ReturnType<typeof workOfBoth>>['a'];
  const queueOf = async (work: Work) =>
    (await work.client.api('GET', `/v1/Workspaces/${work.workspaceSid}/Tasks/${work.taskSid}`)).body
      .task_queue_sid;
  const stateOf = async (work: Work) => (await work.client.control('GET', '/__emulator/state')).body;

  test('state, calls, callbacks and events show each caller its own; reset of one leaves the other; advance fires both', async () => {
    const server = await startCli(['--clock', 'virtual']);
    try {
      expect(server.output()).toContain('Accepting any Basic credentials');
      const { a, b } = await workOfBoth(server.url);

      const stateA = await stateOf(a);
      expect(
        stateA.state.accounts.map((account: { store: { accountSid: string } }) => account.store.accountSid),
      ).toEqual([callerA]);
      expect(JSON.stringify(stateA)).toContain(a.workspaceSid);
      expect(JSON.stringify(stateA)).not.toContain(b.workspaceSid);
      expect(JSON.stringify(await stateOf(b))).not.toContain(a.workspaceSid);

      const callsA = (await a.client.control('GET', '/__emulator/calls')).body.calls;
      expect(callsA.map((call: { path: string }) => call.path)).toContain(
        `/v1/Workspaces/${a.workspaceSid}/Tasks`,
      );
      expect(callsA.every((call: { accountSid: string }) => call.accountSid === callerA)).toBe(true);
      const callsB = (await b.client.control('GET', '/__emulator/calls?OperationId=CreateTask')).body.calls;
      expect(callsB.map((call: { path: string }) => call.path)).toEqual([
        `/v1/Workspaces/${b.workspaceSid}/Tasks`,
      ]);

      // A seed document that fails half-way leaves every account as it was.
      const failed = await b.client.control('POST', '/__emulator/seed', {
        workspaces: [{ FriendlyName: 'Half', workers: [{ FriendlyName: 'Ann' }, { FriendlyName: 'ann' }] }],
      });
      expect(failed.body).toMatchObject({
        status: 400,
        details: { parameter: 'workspaces[0].workers[1].FriendlyName' },
      });
      expect(await stateOf(a)).toEqual(stateA);
      expect((await b.client.api('GET', '/v1/Workspaces')).body.workspaces).toHaveLength(1);

      const accounts = (await a.client.control('GET', '/__emulator/accounts')).body;
      expect(accounts.account_sid).toBe(callerA);
      expect(accounts.accounts.map((account: { sid: string }) => account.sid).slice(1)).toEqual([
        callerA,
        callerB,
      ]);
      expect(accounts.accounts[0].own).toBe(true);
      // Each caller's callbacks are signed with its own token and listed to it alone.
      const receiver = createServer((request, response) => {
        request.resume();
        request.on('end', () => response.end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/b-events`;
        await b.client.api('POST', `/v1/Workspaces/${b.workspaceSid}`, { EventCallbackUrl: callbackUrl });
        await b.client.api('POST', `/v1/Workspaces/${b.workspaceSid}/Workers`, { FriendlyName: 'Called' });
        await expect
          .poll(async () => (await b.client.control('GET', '/__emulator/callbacks')).body.callbacks.at(-1))
          .toMatchObject({ url: callbackUrl, status: 200, signatureValid: true });
        expect((await a.client.control('GET', '/__emulator/callbacks')).body.callbacks).toEqual([]);
      } finally {
        receiver.close();
      }

      // The dashboard picks an account with ?AccountSid= (an event stream cannot send its own header).
      const picked = await a.client.control('GET', `/__emulator/overview?AccountSid=${callerB}`);
      expect(picked.body.account_sid).toBe(callerB);
      expect(picked.body.workspaces.map((workspace: { sid: string }) => workspace.sid)).toEqual([
        b.workspaceSid,
      ]);
      const badPick = await a.client.control('GET', '/__emulator/overview?AccountSid=nobody');
      expect(badPick.body).toMatchObject({ status: 400, details: { parameter: 'AccountSid' } });

      // A's stream carries A's events only, while both accounts' timers fire on the one clock.
      const events = await readEvents(
        server.url,
        (seen) => seen.some((event) => event.event_type === 'task-queue.timeout'),
        async () => {
          await b.client.api('POST', `/v1/Workspaces/${b.workspaceSid}/Tasks`, {
            WorkflowSid: b.workflowSid,
            Attributes: '{"type":"support"}',
          });
          await b.client.control('POST', '/__emulator/clock/advance', { seconds: 60 });
        },
        '',
        authA,
      );
      const recorded = events.filter((event) => event.sid !== undefined);
      expect(recorded.length).toBeGreaterThan(0);
      expect(recorded.every((event) => event.workspace_sid === a.workspaceSid)).toBe(true);
      expect(events.map((event) => event.event_type)).toContain('emulator.clock');
      expect(await queueOf(a)).toBe(a.tier2);
      expect(await queueOf(b)).toBe(b.tier2);

      expect((await a.client.control('POST', '/__emulator/reset')).body).toMatchObject({
        account_sid: callerA,
      });
      expect((await a.client.control('GET', '/__emulator/calls')).body.calls).toEqual([]);
      expect((await a.client.api('GET', '/v1/Workspaces')).body.workspaces).toEqual([]);
      expect((await b.client.api('GET', '/v1/Workspaces')).body.workspaces).toHaveLength(1);
      expect(
        (await b.client.control('GET', '/__emulator/calls?OperationId=CreateTask')).body.calls,
      ).toHaveLength(2);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  test.each([
    ['a graceful stop', 'SIGTERM'],
    ['kill -9', 'SIGKILL'],
  ] as const)(
    '--state-file keeps both accounts across %s, timers included',
    async (_, signal) => {
      const file = join(folder, `${signal}.json`);
      const server = await startCli(['--clock', 'virtual', '--state-file', file]);
      const { a, b } = await workOfBoth(server.url);
      await a.client.control('POST', '/__emulator/clock/advance', { seconds: 30 });
      const before = { a: await stateOf(a), b: await stateOf(b) };
      if (signal === 'SIGKILL') await new Promise((resolve) => setTimeout(resolve, 400));
      await server.stop(signal);

      const again = await startCli(['--clock', 'virtual', '--state-file', file]);
      try {
        const moved = {
          a: { ...a, client: clientOf(again.url, authA) },
          b: { ...b, client: clientOf(again.url, authB) },
        };
        expect(await stateOf(moved.a)).toEqual(before.a);
        expect(await stateOf(moved.b)).toEqual(before.b);
        await moved.a.client.control('POST', '/__emulator/clock/advance', { seconds: 30 });
        for (const work of [moved.a, moved.b]) {
          expect(await queueOf(work)).toBe(work.tier2);
          const timeouts = await work.client.api(
            'GET',
            `/v1/Workspaces/${work.workspaceSid}/Events?EventType=task-queue.timeout`,
          );
          expect(timeouts.body.events.map((event: { event_date_ms: number }) => event.event_date_ms)).toEqual(
            [before.a.state.clock.now + 30_000],
          );
        }
      } finally {
        expect(await again.stop()).toBe(0);
      }
    },
    60_000,
  );
});

describe('taskrouter-mock --help', () => {
  test('documents the remote control, --clock, --state-file and the dashboard', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const text of [
      '--clock <real|virtual>',
      '--state-file <file>',
      '--no-ui',
      'POST /__emulator/clock/advance',
      'GET  /__emulator/events',
      'GET  /__emulator/accounts',
      '?AccountSid=AC…',
      'GET  /__emulator/ui',
    ]) {
      expect(stdout).toContain(text);
    }
  }, 30_000);
});
