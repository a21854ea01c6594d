import { TaskRouterClient } from '@taskrouter/resources';
import { useEmulator } from '@taskrouter/testing-mocks/vitest';
import { describe, expect, test } from 'vitest';
import { type AssignmentHandlerOptions, createAssignmentHandler } from './assignment-handler.js';

const AUTH_TOKEN = 'test-auth-token';
const CALLBACK_URL = 'https://support.example.com/taskrouter/assignment';

/** The application under test, as TaskRouter reaches it; each test decides what it is. */
let app: (request: Request) => Promise<Response>;

// A fresh emulator for every test. Its clock starts at a fixed instant and only moves when a test
// says so; it signs callbacks with AUTH_TOKEN and delivers them to `app` instead of the network.
const emulator = useEmulator({
  authToken: AUTH_TOKEN,
  startTime: new Date('2030-01-01T09:00:00Z'),
  callbackFetch: async (input, init) => app(new Request(input, init)),
});

/** A workspace with one queue for everyone and a workflow whose assignment callback is our handler. */
async function supportDesk(options: Partial<AssignmentHandlerOptions> = {}) {
  const client = new TaskRouterClient({ ...emulator().credentials, fetch: emulator().fetch });
  const workspace = await client.workspaces.create({ friendlyName: 'Support' });
  const activities = await client.activities(workspace.sid).list().toArray();
  const activity = (name: string) => activities.find((item) => item.friendlyName === name)!.sid;
  const queue = await client
    .taskQueues(workspace.sid)
    .create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
  await client.workflows(workspace.sid).create({
    friendlyName: 'Support',
    assignmentCallbackUrl: CALLBACK_URL,
    configuration: { task_routing: { filters: [], default_filter: { queue: queue.sid } } },
  });
  app = createAssignmentHandler({
    authToken: AUTH_TOKEN,
    acceptAnyoneAfterSeconds: 300,
    declineActivitySid: activity('Unavailable'),
    ...options,
  });
  const tasks = client.tasks(workspace.sid);
  const workers = client.workers(workspace.sid);
  const hire = (friendlyName: string, languages: string[]) =>
    workers.create({ friendlyName, attributes: { languages }, activitySid: activity('Available') });
  const reservations = (taskSid: string) => client.taskReservations(workspace.sid, taskSid).list().toArray();
  return { tasks, workers, hire, reservations, activity };
}

describe('assignment callback handler', () => {
  test('accepts a worker who speaks the language of the task', async () => {
    const desk = await supportDesk();
    const amelie = await desk.hire('Amélie', ['fr', 'en']);

    const task = await desk.tasks.create({ attributes: { language: 'fr' } });
    await emulator().idle(); // the callback was delivered and its answer carried out

    expect(await desk.tasks.get(task.sid)).toMatchObject({ assignmentStatus: 'assigned' });
    const [reservation] = await desk.reservations(task.sid);
    expect(reservation).toMatchObject({ workerSid: amelie.sid, reservationStatus: 'accepted' });
  });

  test('declines a worker without the language until the task has waited five minutes', async () => {
    const desk = await supportDesk();
    const bruno = await desk.hire('Bruno', ['en']);

    const task = await desk.tasks.create({ attributes: { language: 'fr' } });
    await emulator().idle();
    expect(await desk.tasks.get(task.sid)).toMatchObject({ assignmentStatus: 'pending', age: 0 });
    expect(await desk.workers.get(bruno.sid)).toMatchObject({ activityName: 'Unavailable' });

    // Nobody else comes. Five minutes pass in an instant; then Bruno is back.
    emulator().clock.advance(5 * 60_000);
    await desk.workers.update(bruno.sid, { activitySid: desk.activity('Available') });
    await emulator().idle();

    expect(await desk.tasks.get(task.sid)).toMatchObject({ assignmentStatus: 'assigned', age: 300 });
    const statuses = (await desk.reservations(task.sid)).map((reservation) => reservation.reservationStatus);
    expect(statuses.sort()).toEqual(['accepted', 'rejected']);
  });

  test('refuses a callback whose parameters were changed after TaskRouter signed them', async () => {
    const desk = await supportDesk();
    await desk.hire('Bruno', ['en']);
    const handler = app;
    const delivered: Request[] = [];
    app = async (request) => {
      delivered.push(request.clone());
      return handler(request);
    };
    await desk.tasks.create({ attributes: { language: 'fr' } });
    await emulator().idle();

    const [callback] = delivered;
    const params = new URLSearchParams(await callback!.text());
    const resend = () =>
      new Request(callback!.url, { method: 'POST', headers: callback!.headers, body: params });
    expect((await handler(resend())).status).toBe(200); // the copy itself passes
    params.set('WorkerAttributes', JSON.stringify({ languages: ['fr'] }));
    expect((await handler(resend())).status).toBe(403);
  });

  test('behind a proxy, checks the signature against the public URL', async () => {
    // What the application server sees: the proxy's internal address instead of CALLBACK_URL.
    const behindProxy = (handler: (request: Request) => Promise<Response>) => async (request: Request) => {
      const internalUrl = request.url.replace('https://support.example.com', 'http://10.0.0.7:8080');
      return handler(
        new Request(internalUrl, { method: 'POST', headers: request.headers, body: await request.text() }),
      );
    };

    const unaware = await supportDesk();
    app = behindProxy(app);
    await unaware.hire('Amélie', ['fr']);
    const refused = await unaware.tasks.create({ attributes: { language: 'fr' } });
    await emulator().idle();
    expect(await unaware.tasks.get(refused.sid)).toMatchObject({ assignmentStatus: 'reserved' });

    const aware = await supportDesk({ publicUrl: CALLBACK_URL });
    app = behindProxy(app);
    await aware.hire('Amélie', ['fr']);
    const accepted = await aware.tasks.create({ attributes: { language: 'fr' } });
    await emulator().idle();
    expect(await aware.tasks.get(accepted.sid)).toMatchObject({ assignmentStatus: 'assigned' });
  });
});
