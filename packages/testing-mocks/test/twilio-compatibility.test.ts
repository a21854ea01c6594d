import { DIRECT_SEND, type DirectSend } from '@taskrouter/core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, createTwilioHttpClient, type EmulatorServer } from '../src/index.js';
import type { Emulator } from '../src/emulator/types.js';

type TwilioClient = ReturnType<typeof twilio>;

function inProcessClient(emulator: Emulator): TwilioClient {
  return twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
    httpClient: createTwilioHttpClient(emulator) as twilio.RequestClient,
  });
}

/** CRUD and paging of every resource through the official client's own methods. */
async function exerciseEveryResource(client: TwilioClient) {
  const workspaces = client.taskrouter.v1.workspaces;
  const workspace = await workspaces.create({ friendlyName: 'Twilio client', template: 'FIFO' });
  expect(workspace.sid).toMatch(/^WS/);
  expect(workspace.defaultActivityName).toBe('Offline');
  expect((await workspaces(workspace.sid).fetch()).friendlyName).toBe('Twilio client');
  expect((await workspaces(workspace.sid).update({ friendlyName: 'Renamed' })).friendlyName).toBe('Renamed');
  expect((await workspaces.list({ friendlyName: 'Renamed' })).map((item) => item.sid)).toEqual([
    workspace.sid,
  ]);
  const ws = workspaces(workspace.sid);

  const activity = await ws.activities.create({ friendlyName: 'Lunch', available: false });
  expect((await ws.activities(activity.sid).fetch()).available).toBe(false);
  expect((await ws.activities(activity.sid).update({ friendlyName: 'Break' })).friendlyName).toBe('Break');
  expect((await ws.activities.list()).map((item) => item.friendlyName)).toEqual([
    'Offline',
    'Available',
    'Unavailable',
    'Break',
  ]);

  const channel = await ws.taskChannels.create({ friendlyName: 'Email', uniqueName: 'email' });
  expect((await ws.taskChannels('email').fetch()).sid).toBe(channel.sid);
  expect(
    (await ws.taskChannels(channel.sid).update({ channelOptimizedRouting: true })).channelOptimizedRouting,
  ).toBe(true);
  expect(await ws.taskChannels.list()).toHaveLength(6);

  const queue = await ws.taskQueues.create({
    friendlyName: 'Support',
    targetWorkers: 'skills HAS "support"',
  });
  expect((await ws.taskQueues(queue.sid).fetch()).targetWorkers).toBe('skills HAS "support"');
  expect((await ws.taskQueues(queue.sid).update({ maxReservedWorkers: 3 })).maxReservedWorkers).toBe(3);
  expect((await ws.taskQueues.list({ friendlyName: 'Support' })).map((item) => item.sid)).toEqual([
    queue.sid,
  ]);

  const worker = await ws.workers.create({
    friendlyName: 'Alice',
    attributes: JSON.stringify({ skills: ['support'] }),
  });
  expect((await ws.workers(worker.sid).fetch()).activityName).toBe('Offline');
  const available = (await ws.activities.list({ friendlyName: 'Available' }))[0]!;
  const updatedWorker = await ws.workers(worker.sid).update({ activitySid: available.sid });
  expect(updatedWorker.available).toBe(true);
  expect((await ws.workers.list({ taskQueueSid: queue.sid })).map((item) => item.sid)).toEqual([worker.sid]);
  const channels = await ws.workers(worker.sid).workerChannels.list();
  expect(channels.map((item) => item.taskChannelUniqueName)).toContain('email');
  expect(
    (await ws.workers(worker.sid).workerChannels('email').update({ capacity: 4 })).configuredCapacity,
  ).toBe(4);
  expect((await ws.workers(worker.sid).workerChannels('email').fetch()).configuredCapacity).toBe(4);

  const configuration = JSON.stringify({
    task_routing: {
      filters: [
        { filter_friendly_name: 'Support', expression: 'type == "support"', targets: [{ queue: queue.sid }] },
      ],
      default_filter: { queue: queue.sid },
    },
  });
  const workflow = await ws.workflows.create({
    friendlyName: 'Main',
    configuration,
    taskReservationTimeout: 60,
  });
  expect((await ws.workflows(workflow.sid).fetch()).taskReservationTimeout).toBe(60);
  expect((await ws.workflows(workflow.sid).update({ friendlyName: 'Main 2' })).friendlyName).toBe('Main 2');
  expect((await ws.workflows.list()).map((item) => item.friendlyName)).toEqual([
    'Default Fifo Workflow',
    'Main 2',
  ]);

  const task = await ws.tasks.create({
    workflowSid: workflow.sid,
    attributes: JSON.stringify({ type: 'support' }),
    priority: 3,
  });
  // Alice is available and in the queue, so routing reserves the task for her at once.
  expect(task.assignmentStatus).toBe('reserved');
  expect((await ws.tasks(task.sid).fetch()).priority).toBe(3);
  expect((await ws.tasks(task.sid).update({ priority: 7 })).priority).toBe(7);
  expect((await ws.tasks.list({ assignmentStatus: ['reserved'] })).map((item) => item.sid)).toEqual([
    task.sid,
  ]);

  const reservation = (await ws.tasks(task.sid).reservations.list())[0]!;
  expect(reservation.workerSid).toBe(worker.sid);
  const fromTask = await ws.tasks(task.sid).reservations(reservation.sid).fetch();
  expect(fromTask.reservationStatus).toBe('pending');
  expect((await ws.workers(worker.sid).reservations.list()).map((item) => item.sid)).toEqual([
    reservation.sid,
  ]);
  const accepted = await ws
    .workers(worker.sid)
    .reservations(reservation.sid)
    .update({ reservationStatus: 'accepted' });
  expect(accepted.reservationStatus).toBe('accepted');
  expect((await ws.tasks(task.sid).reservations.list()).map((item) => item.reservationStatus)).toEqual([
    'accepted',
  ]);
  const completed = await ws.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'done' });
  expect(completed.assignmentStatus).toBe('completed');

  const events = await ws.events.list({ taskSid: task.sid });
  expect(events.map((event) => event.eventType)).toEqual([
    'workflow.entered',
    'task-queue.entered',
    'task.created',
    'workflow.target-matched',
    'reservation.created',
    'task.updated',
    'reservation.accepted',
    'task.completed',
    'reservation.completed',
  ]);
  expect((await ws.events(events[2]!.sid).fetch()).eventType).toBe('task.created');

  const realtime = await ws.realTimeStatistics().fetch();
  expect(realtime.totalWorkers).toBe(1);
  expect((await ws.cumulativeStatistics().fetch()).tasksCompleted).toBe(1);
  expect((await ws.statistics().fetch()).cumulative).toMatchObject({ tasks_created: 1 });
  expect((await ws.taskQueues(queue.sid).realTimeStatistics().fetch()).totalEligibleWorkers).toBe(1);
  expect((await ws.taskQueues(queue.sid).cumulativeStatistics().fetch()).tasksCompleted).toBe(1);
  expect((await ws.taskQueues(queue.sid).statistics().fetch()).taskQueueSid).toBe(queue.sid);
  expect((await ws.taskQueues.statistics.list()).map((item) => item.taskQueueSid)).toContain(queue.sid);
  const bulk = await ws.taskQueues.bulkRealTimeStatistics.create({ QueueSids: [queue.sid] });
  expect(bulk.taskQueueResponseCount).toBe(1);
  expect((await ws.workers.realTimeStatistics().fetch()).totalWorkers).toBe(1);
  expect((await ws.workers.cumulativeStatistics().fetch()).reservationsAccepted).toBe(1);
  expect((await ws.workers.statistics().fetch()).realtime).toMatchObject({ total_workers: 1 });
  expect((await ws.workers(worker.sid).statistics().fetch()).cumulative).toMatchObject({
    reservations_accepted: 1,
  });
  expect((await ws.workflows(workflow.sid).realTimeStatistics().fetch()).totalTasks).toBe(1);
  expect((await ws.workflows(workflow.sid).cumulativeStatistics().fetch()).tasksCompleted).toBe(1);
  expect((await ws.workflows(workflow.sid).statistics().fetch()).workflowSid).toBe(workflow.sid);

  expect(await ws.tasks(task.sid).remove()).toBe(true);
  expect(await ws.workers(worker.sid).remove()).toBe(true);
  expect(await ws.workflows(workflow.sid).remove()).toBe(true);
  expect(await ws.taskQueues(queue.sid).remove()).toBe(true);
  expect(await ws.activities(activity.sid).remove()).toBe(true);
  expect(await ws.taskChannels(channel.sid).remove()).toBe(true);
  expect(await ws.remove()).toBe(true);
  expect(await workspaces.list()).toEqual([]);
}

describe('the official twilio client, in-process', () => {
  test('create, fetch, list, update and delete every resource', async () => {
    const emulator = createEmulator();
    await exerciseEveryResource(inProcessClient(emulator));
  });

  test('auto-pagination follows next_page_url through every page', async () => {
    const emulator = createEmulator();
    const client = inProcessClient(emulator);
    const workspace = emulator.seed.workspace({ Template: 'FIFO' });
    const created: string[] = [];
    for (let index = 0; index < 23; index++) created.push(emulator.seed.worker(workspace.sid).sid);
    const workers = client.taskrouter.v1.workspaces(workspace.sid).workers;
    expect((await workers.list({ pageSize: 5 })).map((worker) => worker.sid)).toEqual(created);
    const seen: string[] = [];
    await workers.each({ pageSize: 4 }, (worker) => {
      seen.push(worker.sid);
    });
    expect(seen).toEqual(created);
    expect((await workers.list({ pageSize: 5, limit: 7 })).map((worker) => worker.sid)).toEqual(
      created.slice(0, 7),
    );
    const page = await workers.page({ pageSize: 10 });
    const next = await page.nextPage();
    expect(next?.instances.map((worker) => worker.sid)).toEqual(created.slice(10, 20));
  });

  test('errors surface as RestException with the Twilio code', async () => {
    const emulator = createEmulator();
    const client = inProcessClient(emulator);
    const workspace = emulator.seed.workspace();
    const ws = client.taskrouter.v1.workspaces(workspace.sid);
    await ws.workers.create({ friendlyName: 'Alice' });
    await expect(ws.workers.create({ friendlyName: 'alice' })).rejects.toMatchObject({
      status: 400,
      code: 20001,
    });
    await expect(ws.tasks('WT0123456789abcdef0123456789abcdef').fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
    const stranger: TwilioClient = twilio(`AC${'0'.repeat(32)}`, 'wrong', {
      httpClient: createTwilioHttpClient(emulator) as twilio.RequestClient,
    });
    await expect(stranger.taskrouter.v1.workspaces.list()).rejects.toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  test('If-Match through the client: a stale version is refused with 412', async () => {
    const emulator = createEmulator();
    const client = inProcessClient(emulator);
    const workspace = emulator.seed.workspace({ Template: 'FIFO' });
    const ws = client.taskrouter.v1.workspaces(workspace.sid);
    const task = await ws.tasks.create({ attributes: '{}' });
    await ws.tasks(task.sid).update({ priority: 1, ifMatch: '0' });
    await expect(ws.tasks(task.sid).update({ priority: 2, ifMatch: '0' })).rejects.toMatchObject({
      status: 412,
    });
  });
});

describe('the official twilio client through the direct send', () => {
  test('builds and reads no Response body when the target offers the direct send', async () => {
    const emulator = createEmulator();
    const withoutBodies = Object.assign(
      async (): Promise<Response> => {
        throw new Error('the fetch path was taken');
      },
      { [DIRECT_SEND]: (emulator.fetch as { [DIRECT_SEND]?: DirectSend })[DIRECT_SEND] },
    );
    const client: TwilioClient = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
      httpClient: createTwilioHttpClient({ fetch: withoutBodies }) as twilio.RequestClient,
    });
    const workspace = await client.taskrouter.v1.workspaces.create({
      friendlyName: 'Direct',
      template: 'FIFO',
    });
    const tasks = client.taskrouter.v1.workspaces(workspace.sid).tasks;
    const task = await tasks.create({ attributes: '{"type":"support"}' });
    expect(JSON.parse((await tasks(task.sid).fetch()).attributes)).toEqual({ type: 'support' });
    // Header names reach the emulator in lower case: If-Match is honoured.
    await expect(tasks(task.sid).update({ priority: 2, ifMatch: '"stale"' })).rejects.toMatchObject({
      status: 412,
    });
    await expect(tasks('WT0123456789abcdef0123456789abcdef').fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
  });
});

describe('the official twilio client, over HTTP', () => {
  const emulator = createEmulator();
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await emulator.listen();
  });
  afterAll(() => server.close());

  test('create, fetch, list, update and delete every resource', async () => {
    const client: TwilioClient = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
      httpClient: createTwilioHttpClient(
        { fetch: globalThis.fetch },
        { baseUrl: server.url },
      ) as twilio.RequestClient,
    });
    await exerciseEveryResource(client);
  });
});
