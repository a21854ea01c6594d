import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, createTwilioHttpClient, type EmulatorServer } from '../src/index.js';

type TwilioClient = ReturnType<typeof twilio>;

/**
 * Routing seen through the official client: a support queue, a workflow for support tickets, a
 * support worker and a sales worker; a support task must go to the support worker only.
 */
async function routeOneTask(client: TwilioClient) {
  const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'Routing through twilio' });
  const ws = client.taskrouter.v1.workspaces(workspace.sid);
  const available = (await ws.activities.list({ friendlyName: 'Available' }))[0]!;
  const queue = await ws.taskQueues.create({
    friendlyName: 'Support',
    targetWorkers: "skills HAS 'support'",
  });
  const workflow = await ws.workflows.create({
    friendlyName: 'Support',
    configuration: JSON.stringify({
      task_routing: {
        filters: [{ expression: "type == 'support'", targets: [{ queue: queue.sid, priority: 2 }] }],
      },
    }),
  });
  const sales = await ws.workers.create({
    friendlyName: 'Sam',
    attributes: JSON.stringify({ skills: ['sales'] }),
    activitySid: available.sid,
  });
  const support = await ws.workers.create({
    friendlyName: 'Sue',
    attributes: JSON.stringify({ skills: ['support'] }),
  });
  // Sue is offline: nothing to route yet.
  const task = await ws.tasks.create({
    workflowSid: workflow.sid,
    attributes: JSON.stringify({ type: 'support' }),
  });
  expect(task).toMatchObject({ assignmentStatus: 'pending', taskQueueSid: queue.sid, priority: 2 });

  // Made available, Sue is offered the task; Sam, in no matching queue, never is.
  await ws.workers(support.sid).update({ activitySid: available.sid });
  expect((await ws.tasks(task.sid).fetch()).assignmentStatus).toBe('reserved');
  const reservations = await ws.tasks(task.sid).reservations.list();
  expect(reservations.map((reservation) => [reservation.workerSid, reservation.reservationStatus])).toEqual([
    [support.sid, 'pending'],
  ]);
  expect(await ws.workers(sales.sid).reservations.list()).toEqual([]);

  // Accepting assigns the task and takes Sue's default channel.
  const accepted = await ws
    .workers(support.sid)
    .reservations(reservations[0]!.sid)
    .update({ reservationStatus: 'accepted' });
  expect(accepted.reservationStatus).toBe('accepted');
  expect((await ws.tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
  const channel = () => ws.workers(support.sid).workerChannels('default').fetch();
  expect(await channel()).toMatchObject({ assignedTasks: 1, availableCapacityPercentage: 0 });
  const busy = await ws.taskQueues(queue.sid).realTimeStatistics().fetch();
  expect(busy.tasksByStatus).toMatchObject({ assigned: 1 });

  // Completing frees the channel.
  const completed = await ws.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'solved' });
  expect(completed.assignmentStatus).toBe('completed');
  expect(await channel()).toMatchObject({ assignedTasks: 0, availableCapacityPercentage: 100 });

  // Events and statistics tell each step.
  const events = await ws.events.list({ taskSid: task.sid });
  expect(events.map((event) => event.eventType)).toEqual([
    'workflow.entered',
    'task-queue.entered',
    'task.created',
    'workflow.target-matched',
    'reservation.created',
    'reservation.accepted',
    'task.completed',
    'reservation.completed',
  ]);
  const reservationEvent = events[4]!;
  expect(reservationEvent.eventData).toMatchObject({ worker_sid: support.sid, task_sid: task.sid });
  const cumulative = await ws.cumulativeStatistics().fetch();
  expect(cumulative).toMatchObject({
    tasksCreated: 1,
    tasksCompleted: 1,
    reservationsCreated: 1,
    reservationsAccepted: 1,
  });
  const sueStats = await ws.workers(support.sid).statistics().fetch();
  expect(sueStats.cumulative).toMatchObject({ reservations_accepted: 1 });
  const samStats = await ws.workers(sales.sid).statistics().fetch();
  expect(samStats.cumulative).toMatchObject({ reservations_created: 0 });
}

describe('routing through the official twilio client', () => {
  test('in-process', async () => {
    const emulator = createEmulator();
    const client = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
      httpClient: createTwilioHttpClient(emulator) as twilio.RequestClient,
    });
    await routeOneTask(client);
  });

  describe('over HTTP', () => {
    const emulator = createEmulator();
    let server: EmulatorServer;
    beforeAll(async () => {
      server = await emulator.listen();
    });
    afterAll(() => server.close());

    test('the same story', async () => {
      const client = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
        httpClient: createTwilioHttpClient(
          { fetch: globalThis.fetch },
          { baseUrl: server.url },
        ) as twilio.RequestClient,
      });
      await routeOneTask(client);
    });
  });
});
