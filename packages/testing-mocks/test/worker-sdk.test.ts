/**
 * The official worker SDK (`twilio-taskrouter`, pinned at 2.1.1) running in Node against the
 * emulator's event bridge over loopback. Every outcome the SDK reports is checked again over
 * REST (resources, events, statistics).
 */
import { once } from 'node:events';
import { createAccessToken, decodeAccessToken } from '@taskrouter/core';
import TaskRouter from 'twilio-taskrouter';
import type { Reservation, Worker } from 'twilio-taskrouter';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createEmulator, type Emulator, type EmulatorOptions, type EmulatorServer } from '../src/index.js';
import { apiClient } from './helpers.js';

type SdkWorker = Worker;
type SdkReservation = Reservation;

const START = new Date('2030-01-01T00:00:00Z');
const WAIT_MS = 8000;

interface Setup {
  emulator: Emulator;
  server: EmulatorServer;
  api: ReturnType<typeof apiClient>;
  workspaceSid: string;
  workflowSid: string;
  queueSid: string;
  activity: (name: 'Offline' | 'Available' | 'Unavailable') => string;
  alice: string;
  bob: string;
}

vi.setConfig({ testTimeout: 20_000 });

let setup: Setup;
const sdkWorkers: SdkWorker[] = [];

async function start(options: EmulatorOptions = {}): Promise<Setup> {
  const emulator = createEmulator({ clock: 'virtual', startTime: START, ...options });
  const server = await emulator.listen();
  const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
  const workspaceSid = workspace.sid!;
  const activities = new Map(
    emulator.inspect.activities(workspaceSid).map((a) => [a.friendly_name!, a.sid!]),
  );
  const workflow = emulator.inspect.workflows(workspaceSid)[0]!;
  const queue = emulator.inspect.taskQueues(workspaceSid)[0]!;
  const alice = emulator.seed.worker(workspaceSid, {
    FriendlyName: 'Alice',
    Attributes: { languages: ['en'] },
  }).sid!;
  const bob = emulator.seed.worker(workspaceSid, { FriendlyName: 'Bob', Attributes: { languages: ['fr'] } })
    .sid!;
  return {
    emulator,
    server,
    api: apiClient(emulator),
    workspaceSid,
    workflowSid: workflow.sid!,
    queueSid: queue.sid!,
    activity: (name) => activities.get(name)!,
    alice,
    bob,
  };
}

/** Resolves with the arguments of the emitter's next `event`; fails after a few seconds. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's emitters are typed per event
async function next<T = any>(emitter: { on: any; off: any }, event: string): Promise<T> {
  const [value] = await once(emitter as unknown as NodeJS.EventEmitter, event, {
    signal: AbortSignal.timeout(WAIT_MS),
  });
  return value as T;
}

async function tokenFor(workerSid: string, ttlSeconds?: number): Promise<string> {
  return setup.emulator.createAccessToken({
    workspaceSid: setup.workspaceSid,
    workerSid,
    identity: workerSid === setup.alice ? 'alice' : 'bob',
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
}

/** A worker SDK instance for `workerSid`, once it is ready. */
async function connect(
  workerSid: string,
  options: { token?: string; setWorkerOfflineIfDisconnected?: boolean; closeExistingSessions?: boolean } = {},
): Promise<SdkWorker> {
  const { token, ...rest } = options;
  const sdk = new TaskRouter.Worker(token ?? (await tokenFor(workerSid)), {
    ebServer: setup.server.ebServer,
    wsServer: setup.server.wsServer,
    logLevel: 'silent',
    ...rest,
  });
  sdkWorkers.push(sdk);
  await next(sdk, 'ready');
  return sdk;
}

async function available(sdk: SdkWorker): Promise<void> {
  const activity = sdk.activities.get(setup.activity('Available'))!;
  await activity.setAsCurrent();
}

function createTask(attributes: Record<string, unknown> = { type: 'support' }) {
  return setup.emulator.seed.task(setup.workspaceSid, {
    WorkflowSid: setup.workflowSid,
    Attributes: attributes,
  });
}

async function restWorker(workerSid: string) {
  return (await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/Workers/${workerSid}`)).body;
}

async function restTask(taskSid: string) {
  return (await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/Tasks/${taskSid}`)).body;
}

/** Event types recorded for a resource, oldest first. */
async function eventTypes(filter: Record<string, string>): Promise<string[]> {
  const { body } = await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/Events`, {
    ...filter,
    PageSize: 1000,
  });
  return (body.events as { event_type: string }[]).map((event) => event.event_type);
}

async function workerStatistics(workerSid: string) {
  const { body } = await setup.api.get(
    `/v1/Workspaces/${setup.workspaceSid}/Workers/${workerSid}/Statistics`,
  );
  return body.cumulative;
}

/** Raw JSON-over-HTTP call to the bridge, as the SDK makes it. */
async function bridgeCall(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(setup.server.ebServer, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', apiVersion: 'v1', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

beforeEach(async () => {
  setup = await start();
});

afterEach(async () => {
  for (const sdk of sdkWorkers.splice(0)) sdk.disconnect();
  await setup.emulator.close();
});

describe('the worker SDK against the emulator', () => {
  test('ready: the SDK loads the worker, its activities and channels as REST shows them', async () => {
    const sdk = await connect(setup.alice);
    const rest = await restWorker(setup.alice);
    expect(sdk.sid).toBe(setup.alice);
    expect(sdk.name).toBe('Alice');
    expect(sdk.attributes).toEqual({ languages: ['en'] });
    expect(sdk.activity.sid).toBe(rest.activity_sid);
    expect(sdk.activity.name).toBe('Offline');
    const etag = (await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`)).headers;
    expect(sdk.version).toBe(etag.get('etag'));
    expect([...sdk.activities.values()].map((a) => a.name).sort()).toEqual([
      'Available',
      'Offline',
      'Unavailable',
    ]);
    const channels = setup.emulator.inspect.workerChannels(setup.workspaceSid, setup.alice);
    expect([...sdk.channels.keys()].sort()).toEqual(channels.map((c) => c.sid).sort());
    expect(setup.emulator.eventBridge.connections()).toMatchObject([
      { workerSid: setup.alice, workspaceSid: setup.workspaceSid, identity: 'alice' },
    ]);
  });

  test('activity change from the SDK, and one made over REST reaching the SDK', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    expect(sdk.activity.name).toBe('Available');
    expect((await restWorker(setup.alice)).activity_name).toBe('Available');

    const pushed = next<SdkWorker>(sdk, 'activityUpdated');
    await setup.api.post(`/v1/Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`, {
      ActivitySid: setup.activity('Unavailable'),
    });
    expect((await pushed).activity.name).toBe('Unavailable');
    expect(await eventTypes({ WorkerSid: setup.alice, EventType: 'worker.activity.update' })).toHaveLength(2);
    const { body } = await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/Workers/RealTimeStatistics`);
    const byName = Object.fromEntries(
      (body.activity_statistics as { friendly_name: string; workers: number }[]).map((a) => [
        a.friendly_name,
        a.workers,
      ]),
    );
    expect(byName).toMatchObject({ Unavailable: 1, Offline: 1, Available: 0 });
  });

  test('a task created over REST reaches the worker as reservationCreated, and accept assigns it', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask({ type: 'support', customer: { name: 'Ada', tier: 'gold' } });
    const reservation = await created;
    expect(reservation.status).toBe('pending');
    expect(reservation.task.sid).toBe(task.sid);
    expect(reservation.task.attributes).toEqual({ type: 'support', customer: { name: 'Ada', tier: 'gold' } });
    expect(reservation.task.status).toBe('reserved');
    expect(reservation.task.queueName).toBe('Sample Queue');
    expect(reservation.task.workflowName).toBe('Default Fifo Workflow');
    expect(sdk.reservations.get(reservation.sid)).toBe(reservation);

    const accepted = next(reservation, 'accepted');
    await reservation.accept();
    await accepted;
    expect(reservation.status).toBe('accepted');
    expect(reservation.task.status).toBe('assigned');
    expect((await restTask(task.sid!)).assignment_status).toBe('assigned');
    expect(await eventTypes({ ReservationSid: reservation.sid })).toEqual([
      'reservation.created',
      'reservation.accepted',
    ]);
    expect(await workerStatistics(setup.alice)).toMatchObject({
      reservations_created: 1,
      reservations_accepted: 1,
    });
  });

  test('reject with an activity: the reservation ends and the worker moves', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask();
    const reservation = await created;
    const rejected = next(reservation, 'rejected');
    const moved = next<SdkWorker>(sdk, 'activityUpdated');
    await reservation.reject({ activitySid: setup.activity('Unavailable') });
    await rejected;
    expect(reservation.status).toBe('rejected');
    expect((await moved).activity.name).toBe('Unavailable');
    expect((await restWorker(setup.alice)).activity_name).toBe('Unavailable');
    expect((await restTask(task.sid!)).assignment_status).toBe('pending');
    expect(await eventTypes({ ReservationSid: reservation.sid })).toEqual([
      'reservation.created',
      'reservation.rejected',
    ]);
    expect(await workerStatistics(setup.alice)).toMatchObject({ reservations_rejected: 1 });
  });

  test('timeout: the reservation times out on the virtual clock and the worker goes to the timeout activity', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    createTask();
    const reservation = await created;
    expect(reservation.timeout).toBe(120);
    const timedOut = next(reservation, 'timeout');
    const moved = next<SdkWorker>(sdk, 'activityUpdated');
    setup.emulator.clock.advance(120_000);
    await timedOut;
    expect(reservation.status).toBe('timeout');
    expect((await moved).activity.name).toBe('Offline');
    expect((await restWorker(setup.alice)).activity_name).toBe('Offline');
    expect(await eventTypes({ ReservationSid: reservation.sid })).toEqual([
      'reservation.created',
      'reservation.timeout',
    ]);
    expect(await workerStatistics(setup.alice)).toMatchObject({ reservations_timed_out: 1 });
  });

  test('rescind: with two reserved workers, one accepts and the other sees its offer rescinded', async () => {
    await setup.api.post(`/v1/Workspaces/${setup.workspaceSid}/TaskQueues/${setup.queueSid}`, {
      MaxReservedWorkers: 2,
    });
    const [alice, bob] = await Promise.all([connect(setup.alice), connect(setup.bob)]);
    await Promise.all([available(alice), available(bob)]);
    const offers = Promise.all([
      next<SdkReservation>(alice, 'reservationCreated'),
      next<SdkReservation>(bob, 'reservationCreated'),
    ]);
    const task = createTask();
    const [aliceOffer, bobOffer] = await offers;
    expect(aliceOffer.task.sid).toBe(task.sid);
    expect(bobOffer.task.sid).toBe(task.sid);
    const rescinded = next(bobOffer, 'rescinded');
    await aliceOffer.accept();
    await rescinded;
    expect(bobOffer.status).toBe('rescinded');
    expect(await eventTypes({ ReservationSid: bobOffer.sid })).toEqual([
      'reservation.created',
      'reservation.rescinded',
    ]);
    expect(await workerStatistics(setup.bob)).toMatchObject({ reservations_rescinded: 1 });
    expect((await restTask(task.sid!)).assignment_status).toBe('assigned');
  });

  test('a task canceled over REST while reserved cancels the offer', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask();
    const reservation = await created;
    const canceled = next(reservation, 'canceled');
    const taskCanceled = next(reservation.task, 'canceled');
    await setup.api.post(`/v1/Workspaces/${setup.workspaceSid}/Tasks/${task.sid}`, {
      AssignmentStatus: 'canceled',
      Reason: 'customer hung up',
    });
    await canceled;
    await taskCanceled;
    expect(reservation.status).toBe('canceled');
    expect(reservation.task.status).toBe('canceled');
    expect(reservation.task.reason).toBe('customer hung up');
    expect(await eventTypes({ TaskSid: task.sid! })).toEqual(
      expect.arrayContaining(['reservation.canceled', 'task.canceled']),
    );
    expect(await workerStatistics(setup.alice)).toMatchObject({ reservations_canceled: 1 });
  });

  test('wrap-up and complete from the SDK', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask();
    const reservation = await created;
    await reservation.accept();
    const wrapping = next(reservation, 'wrapup');
    await reservation.task.wrapUp({ reason: 'call ended' });
    await wrapping;
    expect(reservation.task.status).toBe('wrapping');
    expect(reservation.status).toBe('wrapping');
    expect((await restTask(task.sid!)).assignment_status).toBe('wrapping');

    const completed = next(reservation, 'completed');
    await reservation.task.complete('resolved');
    await completed;
    expect(reservation.status).toBe('completed');
    expect(reservation.task.status).toBe('completed');
    const rest = await restTask(task.sid!);
    expect(rest).toMatchObject({ assignment_status: 'completed', reason: 'resolved' });
    expect(await eventTypes({ ReservationSid: reservation.sid })).toEqual([
      'reservation.created',
      'reservation.accepted',
      'reservation.wrapup',
      'reservation.completed',
    ]);
    const { body } = await setup.api.get(`/v1/Workspaces/${setup.workspaceSid}/CumulativeStatistics`);
    expect(body).toMatchObject({ tasks_completed: 1, reservations_accepted: 1 });
  });

  test('attribute updates both ways, for the worker and the task', async () => {
    const sdk = await connect(setup.alice);
    await sdk.setAttributes({ languages: ['en', 'es'], level: 3 });
    expect(sdk.attributes).toEqual({ languages: ['en', 'es'], level: 3 });
    expect(JSON.parse((await restWorker(setup.alice)).attributes)).toEqual({
      languages: ['en', 'es'],
      level: 3,
    });

    const pushed = next<SdkWorker>(sdk, 'attributesUpdated');
    await setup.api.post(`/v1/Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`, {
      Attributes: JSON.stringify({ languages: ['de'] }),
    });
    expect((await pushed).attributes).toEqual({ languages: ['de'] });

    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask({ type: 'support' });
    const reservation = await created;
    await reservation.task.setAttributes({ type: 'support', note: 'VIP' });
    expect(JSON.parse((await restTask(task.sid!)).attributes)).toEqual({ type: 'support', note: 'VIP' });
    const updated = next(reservation.task, 'updated');
    await setup.api.post(`/v1/Workspaces/${setup.workspaceSid}/Tasks/${task.sid}`, {
      Attributes: JSON.stringify({ type: 'support', note: 'escalated' }),
    });
    await updated;
    expect(reservation.task.attributes).toEqual({ type: 'support', note: 'escalated' });
    expect(await eventTypes({ TaskSid: task.sid!, EventType: 'task.updated' })).toHaveLength(2);
  });

  test('token expiry and renewal: tokenExpired, updateToken, and the session continues', async () => {
    const sdk = await connect(setup.alice, { token: await tokenFor(setup.alice, 6) });
    // The SDK warns 5 s before the expiry it learns from `init`: here after about a second.
    await next(sdk, 'tokenExpired');
    const renewed = await tokenFor(setup.alice, 3600);
    sdk.updateToken(renewed);
    const [first] = setup.emulator.eventBridge.connections();
    expect(first?.tokenExpiresAt).toEqual(new Date(START.valueOf() + 6000));

    // The first token runs out on the emulator's clock: the emulator closes its websocket and
    // the SDK reconnects with the new one, initialising again.
    const ready = next(sdk, 'ready');
    setup.emulator.clock.advance(6000);
    await ready;
    const [second] = setup.emulator.eventBridge.connections();
    expect(second?.tokenExpiresAt).toEqual(new Date(START.valueOf() + 3600_000));
    await available(sdk);
    expect((await restWorker(setup.alice)).activity_name).toBe('Available');

    // The expired token no longer works.
    const expired = await bridgeCall({
      url: `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`,
      method: 'GET',
      params: {},
      token: await createAccessToken({
        accountSid: setup.emulator.credentials.accountSid,
        apiKeySid: setup.emulator.apiKeys[0]!.sid,
        apiKeySecret: setup.emulator.apiKeys[0]!.secret,
        ttlSeconds: 6,
        issuedAt: START,
        taskRouter: { workspaceSid: setup.workspaceSid, workerSid: setup.alice },
      }),
    });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired at 2030-01-01T00:00:06.000Z.*updateToken/);
  });

  test('reconnect after the server drops the websocket: the SDK comes back and keeps receiving offers', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const disconnected = next<{ message: string }>(sdk, 'disconnected');
    const ready = next(sdk, 'ready');
    expect(setup.emulator.eventBridge.disconnect({ workerSid: setup.alice, reason: 'network blip' })).toBe(1);
    expect((await disconnected).message).toBe('network blip');
    await ready;
    expect(setup.emulator.eventBridge.connections()).toHaveLength(1);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    const task = createTask();
    expect((await created).task.sid).toBe(task.sid);
    // Back within the grace period: the worker never went offline.
    expect((await restWorker(setup.alice)).activity_name).toBe('Available');
    expect(await eventTypes({ WorkerSid: setup.alice, EventType: 'worker.activity.update' })).toHaveLength(1);
  });
});

describe('sessions', () => {
  test('setWorkerOfflineIfDisconnected moves a worker offline when its last websocket closes', async () => {
    await setup.emulator.close();
    setup = await start({ eventBridge: { offlineGraceMs: 30 } });
    const sdk = await connect(setup.alice);
    await available(sdk);
    const kept = await connect(setup.bob, { setWorkerOfflineIfDisconnected: false });
    await available(kept);
    sdk.disconnect();
    kept.disconnect();
    await waitUntil(async () => (await restWorker(setup.alice)).activity_name === 'Offline');
    expect((await restWorker(setup.bob)).activity_name).toBe('Available');
    expect(await eventTypes({ WorkerSid: setup.alice, EventType: 'worker.activity.update' })).toHaveLength(2);
  });

  test('closeExistingSessions closes the worker’s other websockets without moving it offline', async () => {
    const first = await connect(setup.alice);
    await available(first);
    const closed = next<{ message: string }>(first, 'disconnected');
    await connect(setup.alice, { closeExistingSessions: true });
    expect((await closed).message).toMatch(/closeExistingSessions/);
    first.disconnect();
    expect((await restWorker(setup.alice)).activity_name).toBe('Available');
    const plain = await connect(setup.alice);
    expect(setup.emulator.eventBridge.connections().length).toBeGreaterThanOrEqual(2);
    plain.disconnect();
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A raw websocket to the bridge: the close code and reason it gets, and the frames before. */
async function rawSocket(token: string): Promise<{ code: number; reason: string; frames: string[] }> {
  const socket = new WebSocket(`${setup.server.wsServer}?token=${token}&closeExistingSessions=false`);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  const [code, reason] = await once(socket, 'close', { signal: AbortSignal.timeout(WAIT_MS) });
  return { code, reason: String(reason), frames };
}

describe('refusals: a clear message and nothing changed', () => {
  async function foreignToken(override: Partial<Parameters<typeof createAccessToken>[0]> = {}) {
    return createAccessToken({
      accountSid: setup.emulator.credentials.accountSid,
      apiKeySid: setup.emulator.apiKeys[0]!.sid,
      apiKeySecret: setup.emulator.apiKeys[0]!.secret,
      issuedAt: START,
      taskRouter: { workspaceSid: setup.workspaceSid, workerSid: setup.alice },
      ...override,
    });
  }

  test('expired token, bad signature, unknown worker: the websocket closes with the reason before init', async () => {
    const eventsBefore = setup.emulator.inspect.events(setup.workspaceSid).length;
    const expired = await rawSocket(await foreignToken({ issuedAt: new Date(START.valueOf() - 7200_000) }));
    expect(expired).toMatchObject({ code: 4401, frames: [] });
    expect(expired.reason).toMatch(/expired/);
    const forged = await rawSocket(await foreignToken({ apiKeySecret: 'not the secret' }));
    expect(forged).toMatchObject({ code: 4403, frames: [] });
    expect(forged.reason).toMatch(/signature does not match/);
    const unknown = await rawSocket(
      await foreignToken({
        taskRouter: { workspaceSid: setup.workspaceSid, workerSid: `WK${'0'.repeat(32)}` },
      }),
    );
    expect(unknown.code).toBe(4403);
    expect(unknown.reason).toMatch(/does not exist/);
    expect(setup.emulator.eventBridge.connections()).toEqual([]);
    expect(setup.emulator.inspect.events(setup.workspaceSid)).toHaveLength(eventsBefore);
    expect((await restWorker(setup.alice)).activity_name).toBe('Offline');
  });

  test('the SDK reports a refused websocket in its disconnected event', async () => {
    const sdk = new TaskRouter.Worker(await foreignToken({ apiKeySecret: 'not the secret' }), {
      ebServer: setup.server.ebServer,
      wsServer: setup.server.wsServer,
      logLevel: 'silent',
    });
    sdkWorkers.push(sdk);
    expect((await next<{ message: string }>(sdk, 'disconnected')).message).toMatch(/signature/);
  });

  test('over HTTP: a grant for another worker, a bad signature, an expired token', async () => {
    const path = `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`;
    const before = await restWorker(setup.alice);
    const bobsToken = await foreignToken({
      taskRouter: { workspaceSid: setup.workspaceSid, workerSid: setup.bob },
    });
    const other = await bridgeCall({
      url: path,
      method: 'POST',
      params: { ActivitySid: setup.activity('Available') },
      token: bobsToken,
    });
    expect(other.status).toBe(403);
    expect(other.body.message).toContain(`grant is for worker ${setup.bob}`);
    const forged = await bridgeCall({
      url: path,
      method: 'POST',
      params: { ActivitySid: setup.activity('Available') },
      token: await foreignToken({ apiKeySecret: 'wrong' }),
    });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/signature/);
    const after = await restWorker(setup.alice);
    expect(after).toEqual(before);
  });

  test('apiVersion v2 transfer and participant calls name the feature that is not emulated', async () => {
    const sdk = await connect(setup.alice);
    await available(sdk);
    const created = next<SdkReservation>(sdk, 'reservationCreated');
    createTask();
    const reservation = await created;
    await reservation.accept();
    await expect(reservation.task.transfer(setup.bob, { mode: 'COLD' })).rejects.toThrow(
      /Task transfers .*not emulated/,
    );
    const participant = await bridgeCall({
      url: `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}/CustomerParticipant`,
      method: 'POST',
      params: { TaskSid: reservation.task.sid, Hold: true },
      token: await tokenFor(setup.alice),
    });
    expect(participant.status).toBe(501);
    expect(participant.body.message).toMatch(/Conference participant control .*not emulated/);
  });
});

describe('the bridge protocol', () => {
  test('init first, then heartbeats at the configured interval', async () => {
    await setup.emulator.close();
    setup = await start({ eventBridge: { heartbeatIntervalMs: 20 } });
    const token = await tokenFor(setup.alice, 600);
    const socket = new WebSocket(`${setup.server.wsServer}?token=${token}&closeExistingSessions=false`);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    await waitUntil(async () => frames.length >= 4);
    socket.close();
    expect(JSON.parse(frames[0]!)).toEqual({
      event_type: 'init',
      payload: {
        channel_id: setup.alice,
        account_sid: setup.emulator.credentials.accountSid,
        workspace_sid: setup.workspaceSid,
        token_lifetime: 600_000,
      },
    });
    expect(frames.slice(1, 4)).toEqual(['', '', '']);
  });

  test('CORS: the preflight and the answers allow any origin', async () => {
    const preflight = await fetch(setup.server.ebServer, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://desk.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'apiversion,clientversion,if-match',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(
      /apiVersion.*clientVersion.*If-Match/,
    );
    const answer = await bridgeCall(
      {
        url: `Workspaces/${setup.workspaceSid}/Activities`,
        method: 'GET',
        params: {},
        token: await tokenFor(setup.alice),
      },
      { origin: 'http://desk.example' },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('lists page with PageSize and AfterSid, answering contents and after_sid', async () => {
    const token = await tokenFor(setup.alice);
    const url = `Workspaces/${setup.workspaceSid}/Activities`;
    const first = await bridgeCall({ url, method: 'GET', params: { PageSize: 2 }, token });
    expect(first.body.payload.contents).toHaveLength(2);
    expect(first.body.payload.after_sid).toBe(first.body.payload.contents[1].sid);
    const second = await bridgeCall({
      url,
      method: 'GET',
      params: { PageSize: 2, AfterSid: first.body.payload.after_sid },
      token,
    });
    expect(second.body.payload).toMatchObject({ after_sid: null });
    expect(second.body.payload.contents).toHaveLength(1);
    expect(second.body.payload.contents[0]).toEqual({
      account_sid: setup.emulator.credentials.accountSid,
      workspace_sid: setup.workspaceSid,
      sid: setup.activity('Unavailable'),
      date_created: START.valueOf() / 1000,
      date_updated: START.valueOf() / 1000,
      friendly_name: 'Unavailable',
      available: false,
    });
  });

  test('If-Match goes through the operation: a stale version is refused with 412', async () => {
    const token = await tokenFor(setup.alice);
    const url = `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`;
    const { body } = await bridgeCall({ url, method: 'GET', params: {}, token });
    const version = body.payload.version;
    const stale = await bridgeCall(
      { url, method: 'POST', params: { Attributes: { a: 1 } }, token },
      { 'If-Match': String(version + 5) },
    );
    expect(stale.status).toBe(412);
    expect(JSON.parse((await restWorker(setup.alice)).attributes)).toEqual({ languages: ['en'] });
    const fresh = await bridgeCall(
      { url, method: 'POST', params: { Attributes: { a: 1 } }, token },
      { 'If-Match': String(version) },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body.payload).toMatchObject({ attributes: '{"a":1}', version: version + 1 });
  });
});

describe('API keys', () => {
  const key = { sid: `SK${'5'.repeat(32)}`, secret: 'the-key-secret' };

  test('REST accepts Basic auth with an API key and its secret, and nothing else', async () => {
    const emulator = createEmulator({ apiKeys: [key] });
    const basic = (user: string, password: string) => ({
      headers: { authorization: `Basic ${btoa(`${user}:${password}`)}` },
    });
    const url = `${emulator.baseUrl}/v1/Workspaces`;
    expect((await emulator.fetch(url, basic(key.sid, key.secret))).status).toBe(200);
    expect((await emulator.fetch(url, basic(key.sid, 'wrong'))).status).toBe(401);
    expect((await emulator.fetch(url, basic(`SK${'6'.repeat(32)}`, key.secret))).status).toBe(401);
    expect(emulator.apiKeys).toEqual([key]);
  });

  test('keys are checked when the emulator is made; tokens are signed with a known one', async () => {
    expect(() => createEmulator({ apiKeys: [{ sid: 'SK123', secret: 'x' }] })).toThrow(/apiKeys\[0\]\.sid/);
    expect(() => createEmulator({ apiKeys: [{ sid: key.sid, secret: '' }] })).toThrow(/apiKeys\[0\]\.secret/);
    const emulator = createEmulator({ apiKeys: [key] });
    expect(() =>
      emulator.createAccessToken({
        workspaceSid: setup.workspaceSid,
        workerSid: setup.alice,
        apiKeySid: `SK${'7'.repeat(32)}`,
      }),
    ).toThrow(/not one of the emulator's API keys/);
  });

  test('in any-credentials mode every check but the signature applies', async () => {
    await setup.emulator.close();
    setup = await start({ acceptAnyCredentials: true });
    const sign = (override: Partial<Parameters<typeof createAccessToken>[0]>) =>
      createAccessToken({
        accountSid: setup.emulator.credentials.accountSid,
        apiKeySid: `SK${'8'.repeat(32)}`,
        apiKeySecret: 'a key the emulator never heard of',
        issuedAt: START,
        taskRouter: { workspaceSid: setup.workspaceSid, workerSid: setup.alice },
        ...override,
      });
    const url = `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`;
    const unsigned = await bridgeCall({ url, method: 'GET', params: {}, token: await sign({}) });
    expect(unsigned.status).toBe(200);
    expect(unsigned.body.payload.sid).toBe(setup.alice);
    const otherAccount = await bridgeCall({
      url,
      method: 'GET',
      params: {},
      token: await sign({ accountSid: `AC${'9'.repeat(32)}` }),
    });
    // An account no REST caller has used has no state: refused, and not made.
    expect(otherAccount.status).toBe(403);
    expect(otherAccount.body.message).toContain(`AC${'9'.repeat(32)}, which has no state in the emulator`);
    expect(JSON.stringify(setup.emulator.snapshot())).not.toContain(`AC${'9'.repeat(32)}`);
    const notAccount = await bridgeCall({
      url,
      method: 'GET',
      params: {},
      token: await sign({ accountSid: `AC${'9'.repeat(32)}` }).then((token) => {
        // The same token with a sub that is no account SID (createAccessToken refuses to make one).
        const [header, claims, signature] = token.split('.');
        const decoded = JSON.parse(Buffer.from(claims!, 'base64url').toString());
        const changed = Buffer.from(JSON.stringify({ ...decoded, sub: 'SK-not-an-account' })).toString(
          'base64url',
        );
        return `${header}.${changed}.${signature}`;
      }),
    });
    expect(notAccount.status).toBe(403);
    expect(notAccount.body.message).toContain('sub must be an account SID');
  });

  test('emulator.createAccessToken mints for another account only when any credentials are accepted', async () => {
    const other = `AC${'9'.repeat(32)}`;
    const grant = { workspaceSid: setup.workspaceSid, workerSid: setup.alice };
    expect(() => setup.emulator.createAccessToken({ ...grant, accountSid: other })).toThrow(
      /accountSid AC9+ is not the emulator's account .*acceptAnyCredentials/,
    );
    const open = createEmulator({ acceptAnyCredentials: true });
    const token = await open.createAccessToken({ ...grant, accountSid: other });
    expect(decodeAccessToken(token)).toMatchObject({ sub: other, iss: open.apiKeys[0]!.sid });
    expect(decodeAccessToken(await open.createAccessToken(grant)).sub).toBe(open.credentials.accountSid);
  });

  test('with configured credentials a token of another account is refused', async () => {
    const token = await createAccessToken({
      accountSid: `AC${'9'.repeat(32)}`,
      apiKeySid: setup.emulator.apiKeys[0]!.sid,
      apiKeySecret: setup.emulator.apiKeys[0]!.secret,
      issuedAt: START,
      taskRouter: { workspaceSid: setup.workspaceSid, workerSid: setup.alice },
    });
    const url = `Workspaces/${setup.workspaceSid}/Workers/${setup.alice}`;
    const refused = await bridgeCall({ url, method: 'GET', params: {}, token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain(`not ${setup.emulator.credentials.accountSid}`);
  });
});
