import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TaskRouterClient } from '@taskrouter/resources';
import type { EventCallback } from '@taskrouter/resources/webhooks';
import { createEmulator, type Emulator } from '@taskrouter/testing-mocks';
import { afterEach, describe, expect, test } from 'vitest';
import { type Agent, createEdgeHandler, type Ticket } from './webhooks-edge.js';
import { callbackListener } from './webhooks-node-http.js';

const AUTH_TOKEN = 'desk-auth-token';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A desk whose callbacks go to `baseUrl`, with one French-speaking and one English-speaking task ahead. */
async function desk(emulator: Emulator, baseUrl: string) {
  const client = new TaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
  const workspace = await client.workspaces.create({
    friendlyName: 'Desk',
    eventCallbackUrl: `${baseUrl}/taskrouter/events`,
  });
  const activities = await client.activities(workspace.sid).list().toArray();
  const activity = (name: string) => activities.find((each) => each.friendlyName === name)!.sid;
  const queue = await client.taskQueues(workspace.sid).create({ friendlyName: 'All', targetWorkers: '1==1' });
  await client.workflows(workspace.sid).create({
    friendlyName: 'Desk',
    assignmentCallbackUrl: `${baseUrl}/taskrouter/assignment`,
    configuration: { task_routing: { default_filter: { queue: queue.sid } } },
  });
  const amelie = await client.workers<Agent>(workspace.sid).create({
    friendlyName: 'Amélie',
    attributes: { languages: ['fr'] },
    activitySid: activity('Available'),
  });
  const tasks = client.tasks<Ticket>(workspace.sid);
  return { client, workspace, activity, amelie, tasks };
}

describe('webhook handler examples, against the emulator’s signed callbacks', () => {
  test('fetch-style edge handler: accepts a speaker of the language, declines otherwise', async () => {
    const events: EventCallback<Ticket, Agent>[] = [];
    let handler: ReturnType<typeof createEdgeHandler> | undefined;
    const emulator = createEmulator({
      authToken: AUTH_TOKEN,
      callbackFetch: async (input, init) => handler!.fetch(new Request(input, init)),
    });
    const { activity, amelie, tasks, client, workspace } = await desk(emulator, 'https://desk.example.com');
    handler = createEdgeHandler({
      authToken: AUTH_TOKEN,
      declineActivitySid: activity('Offline'),
      onEvent: (event) => events.push(event),
    });

    const french = await tasks.create({ attributes: { language: 'fr' } });
    await emulator.idle();
    expect((await tasks.get(french.sid)).assignmentStatus).toBe('assigned');
    const accepted = events.find((event) => event.eventType === 'reservation.accepted');
    expect(accepted?.known && accepted.eventType === 'reservation.accepted' && accepted.workerSid).toBe(
      amelie.sid,
    );

    await tasks.update(french.sid, { assignmentStatus: 'wrapping' });
    await tasks.update(french.sid, { assignmentStatus: 'completed' });
    const english = await tasks.create({ attributes: { language: 'en' } });
    await emulator.idle();
    expect((await tasks.get(english.sid)).assignmentStatus).toBe('pending');
    expect((await client.workers(workspace.sid).get(amelie.sid)).activityName).toBe('Offline');
    expect(events.map((event) => event.eventType)).toContain('reservation.rejected');
  });

  test('fetch-style edge handler: a forged callback is answered 403 and changes nothing', async () => {
    const emulator = createEmulator({ authToken: AUTH_TOKEN });
    const handler = createEdgeHandler({ authToken: AUTH_TOKEN, declineActivitySid: `WA${'0'.repeat(32)}` });
    const forged = new Request('https://desk.example.com/taskrouter/assignment', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      body: 'TaskSid=WT1',
    });
    expect((await handler.fetch(forged)).status).toBe(403);
    expect(emulator.inspect.workspaces()).toEqual([]);
  });

  test('node:http server: the emulator posts its callbacks over real HTTP', async () => {
    const eventTypes: string[] = [];
    const emulator = createEmulator({ authToken: AUTH_TOKEN });
    // Until the desk exists, callbacks are answered without being looked at.
    let listener: RequestListener = (_req, res) => res.writeHead(204).end();
    const server = createServer((req, res) => listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { activity, amelie, tasks, client, workspace } = await desk(emulator, origin);
    await emulator.idle();
    listener = callbackListener({
      authToken: AUTH_TOKEN,
      publicOrigin: origin,
      declineActivitySid: activity('Offline'),
      onEvent: (eventType) => eventTypes.push(eventType),
    });

    const french = await tasks.create({ attributes: { language: 'fr' } });
    await emulator.idle();
    expect((await tasks.get(french.sid)).assignmentStatus).toBe('assigned');
    expect(eventTypes).toEqual(
      expect.arrayContaining(['task.created', 'reservation.created', 'reservation.accepted']),
    );

    await tasks.update(french.sid, { assignmentStatus: 'wrapping' });
    await tasks.update(french.sid, { assignmentStatus: 'completed' });
    await tasks.create({ attributes: { language: 'en' } });
    await emulator.idle();
    expect((await client.workers(workspace.sid).get(amelie.sid)).activityName).toBe('Offline');

    const forged = await fetch(`${origin}/taskrouter/assignment`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      body: 'TaskSid=WT1',
    });
    expect(forged.status).toBe(403);
  });
});
