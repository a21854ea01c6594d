/**
 * The official worker SDK (`twilio-taskrouter`) against an emulator accepting any credentials:
 * tokens of each caller's account SID reach that account's state, in process and over the
 * `taskrouter-mock` command. Every outcome is checked over REST with the account's own SID.
 */
import { once } from 'node:events';
import { createAccessToken } from '@taskrouter/core';
import TaskRouter from 'twilio-taskrouter';
import type { Reservation, Worker } from 'twilio-taskrouter';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createEmulator } from '../src/index.js';
import { clientOf, readEvents, startCli } from './cli-process.js';

vi.setConfig({ testTimeout: 30_000 });

const WAIT_MS = 8000;
const ACCOUNT_A = `AC${'a1'.repeat(16)}`;
const ACCOUNT_B = `AC${'b2'.repeat(16)}`;
const sdkWorkers: Worker[] = [];
const stops: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const sdk of sdkWorkers.splice(0)) sdk.disconnect();
  for (const stop of stops.splice(0)) await stop();
});

/** Resolves with the first argument of the emitter's next `event`; fails after a few seconds. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's emitters are typed per event
async function next<T = any>(emitter: { on: any; off: any }, event: string): Promise<T> {
  const [value] = await once(emitter as unknown as NodeJS.EventEmitter, event, {
    signal: AbortSignal.timeout(WAIT_MS),
  });
  return value as T;
}

/**
 * One account's desk on a server at `url`: a FIFO workspace and a worker made over REST with the
 * account's SID, and the worker SDK connected with a token for that account signed by an API key
 * the server never heard of.
 */
async function deskOf(url: string, accountSid: string, name: string) {
  const client = clientOf(url, `Basic ${btoa(`${accountSid}:secret-of-${name}`)}`);
  const created = async (path: string, form: Record<string, string>) => {
    const answer = await client.api('POST', path, form);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  const workspace = await created('/v1/Workspaces', { FriendlyName: `${name} desk`, Template: 'FIFO' });
  const workspacePath = `/v1/Workspaces/${workspace.sid}`;
  const activities = (await client.api('GET', `${workspacePath}/Activities`)).body.activities as {
    sid: string;
    friendly_name: string;
  }[];
  const workflowSid: string = (await client.api('GET', `${workspacePath}/Workflows`)).body.workflows[0].sid;
  const worker = await created(`${workspacePath}/Workers`, { FriendlyName: name });
  const token = await createAccessToken({
    accountSid,
    apiKeySid: `SK${'5'.repeat(32)}`,
    apiKeySecret: 'a key this server never heard of',
    identity: name,
    taskRouter: { workspaceSid: workspace.sid, workerSid: worker.sid },
  });
  const sdk = new TaskRouter.Worker(token, {
    ebServer: `${url}/v1/wschannels`,
    wsServer: `${url.replace(/^http/, 'ws')}/v1/wschannels`,
    logLevel: 'silent',
  });
  sdkWorkers.push(sdk);
  await next(sdk, 'ready');
  // Every reservation the SDK hears of, in the order its websocket brought them.
  const heard: Reservation[] = [];
  sdk.on('reservationCreated', (reservation: Reservation) => heard.push(reservation));
  const available = activities.find((activity) => activity.friendly_name === 'Available')!;
  await sdk.activities.get(available.sid)!.setAsCurrent();
  return {
    accountSid,
    client,
    workspaceSid: workspace.sid as string,
    workspacePath,
    workflowSid,
    worker,
    sdk,
    heard,
  };
}
type Desk = Awaited<ReturnType<typeof deskOf>>;

async function createTask(desk: Desk, type: string): Promise<string> {
  const answer = await desk.client.api('POST', `${desk.workspacePath}/Tasks`, {
    WorkflowSid: desk.workflowSid,
    Attributes: JSON.stringify({ type }),
  });
  expect(answer.status).toBe(201);
  return answer.body.sid;
}

/** Each account's worker gets its own account's reservations, and its SDK calls change that account alone. */
async function twoAccounts(url: string) {
  const a = await deskOf(url, ACCOUNT_A, 'Ada');
  const b = await deskOf(url, ACCOUNT_B, 'Bea');
  for (const desk of [a, b]) {
    const worker = await desk.client.api('GET', `${desk.workspacePath}/Workers/${desk.worker.sid}`);
    expect(worker.body.activity_name).toBe('Available');
    expect(desk.sdk.accountSid).toBe(desk.accountSid);
  }

  const reservedB = next<Reservation>(b.sdk, 'reservationCreated');
  const taskB = await createTask(b, 'from-b');
  const reservation = await reservedB;
  expect(reservation.task.sid).toBe(taskB);
  expect(reservation.task.attributes).toEqual({ type: 'from-b' });
  const accepted = next(reservation, 'accepted');
  await reservation.accept();
  await accepted;
  const restTask = await b.client.api('GET', `${b.workspacePath}/Tasks/${taskB}`);
  expect(restTask.body.assignment_status).toBe('assigned');
  const restReservation = await b.client.api(
    'GET',
    `${b.workspacePath}/Tasks/${taskB}/Reservations/${reservation.sid}`,
  );
  expect(restReservation.body).toMatchObject({ reservation_status: 'accepted', worker_sid: b.worker.sid });
  expect((await a.client.api('GET', `${b.workspacePath}/Tasks/${taskB}`)).status).toBe(404);

  // A's websocket brings A's own reservation first: B's never reached it.
  const reservedA = next<Reservation>(a.sdk, 'reservationCreated');
  const taskA = await createTask(a, 'from-a');
  await reservedA;
  expect(a.heard.map((each) => each.task.sid)).toEqual([taskA]);
  expect(b.heard.map((each) => each.task.sid)).toEqual([taskB]);
  expect((await b.client.api('GET', `${b.workspacePath}/Tasks`)).body.tasks).toHaveLength(1);

  // The SDK's calls through the bridge are logged under their token's account.
  for (const desk of [a, b]) {
    const calls = (await desk.client.control('GET', '/__emulator/calls?OperationId=UpdateWorker')).body.calls;
    expect(calls.map((call: { path: string; accountSid: string }) => [call.path, call.accountSid])).toEqual([
      [`${desk.workspacePath}/Workers/${desk.worker.sid}`, desk.accountSid],
    ]);
  }
  return { a, b, reservationA: a.heard[0]! };
}

/** A remote reset by B closes B's websocket; A's worker goes on accepting its reservation. */
async function resetOfBLeavesA({ a, b, reservationA }: Awaited<ReturnType<typeof twoAccounts>>) {
  const dropped = next(b.sdk, 'disconnected');
  expect((await b.client.control('POST', '/__emulator/reset')).body).toMatchObject({
    reset: true,
    account_sid: ACCOUNT_B,
  });
  await dropped;
  const accepted = next(reservationA, 'accepted');
  await reservationA.accept();
  await accepted;
  const restTask = await a.client.api('GET', `${a.workspacePath}/Tasks/${reservationA.task.sid}`);
  expect(restTask.body.assignment_status).toBe('assigned');
  expect((await b.client.api('GET', '/v1/Workspaces')).body.workspaces).toEqual([]);
}

describe('the worker SDK of each account, accepting any credentials', () => {
  test('in process: each account hears its own events and its SDK acts on its own state', async () => {
    const emulator = createEmulator({ acceptAnyCredentials: true, eventBridge: { offlineGraceMs: 50 } });
    const server = await emulator.listen();
    stops.push(() => emulator.close());
    const desks = await twoAccounts(server.url);
    const { a, b } = desks;
    expect(
      emulator.eventBridge
        .connections()
        .map(({ accountSid, workerSid }) => [accountSid, workerSid])
        .sort(),
    ).toEqual([
      [ACCOUNT_A, a.worker.sid],
      [ACCOUNT_B, b.worker.sid],
    ]);
    await resetOfBLeavesA(desks);
    expect(emulator.eventBridge.connections().map((connection) => connection.accountSid)).toEqual([
      ACCOUNT_A,
    ]);
    // The filter names an account: B has no websocket left, and B's worker SID is none of A's.
    expect(emulator.eventBridge.disconnect({ accountSid: ACCOUNT_B })).toBe(0);
    expect(emulator.eventBridge.disconnect({ accountSid: ACCOUNT_A, workerSid: b.worker.sid })).toBe(0);
    // A's worker, left without a websocket, goes offline in A's state.
    a.sdk.disconnect();
    await expect
      .poll(
        async () =>
          (await a.client.api('GET', `${a.workspacePath}/Workers/${a.worker.sid}`)).body.activity_name,
      )
      .toBe('Offline');
    expect(emulator.eventBridge.connections()).toEqual([]);
  });

  test('over the command: the same', async () => {
    const server = await startCli(['--clock', 'virtual']);
    stops.push(() => server.stop());
    await resetOfBLeavesA(await twoAccounts(server.url));
  });

  test('a token for an account no caller has used is refused, and makes no account', async () => {
    const server = await startCli(['--clock', 'virtual']);
    stops.push(() => server.stop());
    const b = await deskOf(server.url, ACCOUNT_B, 'Bea');
    const stranger = `AC${'c3'.repeat(16)}`;
    const token = await createAccessToken({
      accountSid: stranger,
      apiKeySid: `SK${'5'.repeat(32)}`,
      apiKeySecret: 'any',
      taskRouter: { workspaceSid: b.workspaceSid, workerSid: b.worker.sid },
    });
    const refused = await fetch(`${server.url}/v1/wschannels`, {
      method: 'POST',
      body: JSON.stringify({ url: `Workspaces/${b.workspaceSid}`, method: 'GET', params: {}, token }),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toContain(`${stranger}, which has no state in the emulator`);
    const accounts = (await b.client.control('GET', '/__emulator/accounts')).body.accounts;
    expect(accounts.map((account: { sid: string }) => account.sid)).not.toContain(stranger);
  });

  test("over the command: each account's overview and event stream show its own workers' SDK websockets", async () => {
    const server = await startCli(['--clock', 'virtual']);
    stops.push(() => server.stop());
    const b = await deskOf(server.url, ACCOUNT_B, 'Bea');
    const sdkConnections = async (desk: Desk) =>
      (await desk.client.control('GET', '/__emulator/overview')).body.workspaces.flatMap(
        (workspace: { workers: { sid: string; sdk_connections: number }[] }) =>
          workspace.workers.map((worker) => [worker.sid, worker.sdk_connections]),
      );
    let a: Desk | undefined;
    const events = await readEvents(
      server.url,
      (seen) => seen.some((event) => event.event_type === 'emulator.worker-sdk' && event.connections === 0),
      async () => {
        a = await deskOf(server.url, ACCOUNT_A, 'Ada');
        expect(await sdkConnections(a)).toEqual([[a.worker.sid, 1]]);
        expect(await sdkConnections(b)).toEqual([[b.worker.sid, 1]]);
        // B's websocket closes first: A's stream must not hear of it.
        b.sdk.disconnect();
        await vi.waitFor(async () => expect(await sdkConnections(b)).toEqual([[b.worker.sid, 0]]), WAIT_MS);
        a.sdk.disconnect();
      },
      '',
      `Basic ${btoa(`${ACCOUNT_A}:secret-of-Ada`)}`,
    );
    const connections = events.filter((event) => event.event_type === 'emulator.worker-sdk');
    expect(
      connections.map(({ worker_sid, workspace_sid, connections }) => [
        worker_sid,
        workspace_sid,
        connections,
      ]),
    ).toEqual([
      [a!.worker.sid, a!.workspaceSid, 1],
      [a!.worker.sid, a!.workspaceSid, 0],
    ]);
    expect(await sdkConnections(a!)).toEqual([[a!.worker.sid, 0]]);
  });
});
