import { createEmulator } from '@taskrouter/testing-mocks';
import { describe, expect, it } from 'vitest';
import { TaskRouterApiError, TaskRouterClient } from '../src/index.js';

/** A FIFO workspace on a fresh emulator, with its default workflow, queue and activities. */
async function fifoWorkspace() {
  const emulator = createEmulator();
  const client = new TaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
  const { sid: workspaceSid } = await client.workspaces.create({
    friendlyName: 'Emulated',
    template: 'FIFO',
  });
  const [workflow] = await client.workflows(workspaceSid).list().toArray();
  const [queue] = await client.taskQueues(workspaceSid).list().toArray();
  const activitySid = async (name: string) => {
    const [activity] = await client.activities(workspaceSid).list({ friendlyName: name }).toArray();
    if (!activity) throw new Error(`no ${name} activity`);
    return activity.sid;
  };
  if (!workflow || !queue) throw new Error('the FIFO template made no workflow or queue');
  return { emulator, client, workspaceSid, workflowSid: workflow.sid, queueSid: queue.sid, activitySid };
}

/**
 * A FIFO workspace with one available worker and one task that the emulator routed through the
 * default workflow and reserved for that worker.
 */
async function reservedTask() {
  const setup = await fifoWorkspace();
  const { client, workspaceSid, workflowSid, activitySid } = setup;
  const worker = await client
    .workers(workspaceSid)
    .create({ friendlyName: 'Alice', activitySid: await activitySid('Available') });
  const task = await client.tasks(workspaceSid).create({ workflowSid, attributes: { type: 'support' } });
  const [reservation] = await client.taskReservations(workspaceSid, task.sid).list().toArray();
  if (!reservation) throw new Error('the emulator reserved no worker for the task');
  expect(reservation).toMatchObject({ workerSid: worker.sid, reservationStatus: 'pending' });
  return { ...setup, workerSid: worker.sid, taskSid: task.sid, reservationSid: reservation.sid };
}

describe('against the emulator', () => {
  it('creates, reads, lists, updates and deletes task channels by SID and by unique name', async () => {
    const { client, workspaceSid } = await fifoWorkspace();
    const channels = client.taskChannels(workspaceSid);
    const email = await channels.create({ friendlyName: 'Email', uniqueName: 'email' });
    expect(email).toMatchObject({ friendlyName: 'Email', uniqueName: 'email', workspaceSid });
    expect((await channels.get('email')).sid).toBe(email.sid);
    expect((await channels.get(email.sid)).uniqueName).toBe('email');
    expect((await channels.list().toArray()).map((channel) => channel.uniqueName)).toContain('email');
    expect((await channels.update('email', { channelOptimizedRouting: true })).channelOptimizedRouting).toBe(
      true,
    );
    await channels.delete(email.sid);
    await expect(channels.get('email')).rejects.toMatchObject({ status: 404 });
  });

  it('reads and changes a worker channel', async () => {
    const { client, workspaceSid } = await fifoWorkspace();
    const worker = await client.workers(workspaceSid).create({ friendlyName: 'Bob' });
    const channels = client.workerChannels(workspaceSid, worker.sid);
    const all = await channels.list().toArray();
    expect(all.map((channel) => channel.taskChannelUniqueName)).toContain('chat');
    const chat = await channels.update('chat', { capacity: 3, available: false });
    expect(chat).toMatchObject({ configuredCapacity: 3, available: false, workerSid: worker.sid });
    expect((await channels.get(chat.sid)).configuredCapacity).toBe(3);
  });

  it('answers a reservation from the task and sees it from the worker', async () => {
    const { client, workspaceSid, taskSid, workerSid, reservationSid } = await reservedTask();
    const fromTask = client.taskReservations(workspaceSid, taskSid);
    const pending = await fromTask.get(reservationSid);
    expect(pending).toMatchObject({ reservationStatus: 'pending', workerSid, taskSid });
    expect(pending.version).toEqual(expect.any(String));

    const accepted = await fromTask.update(
      reservationSid,
      { reservationStatus: 'accepted' },
      { ifMatch: pending.version },
    );
    expect(accepted.reservationStatus).toBe('accepted');
    expect(accepted.version).not.toBe(pending.version);
    expect((await client.tasks(workspaceSid).get(taskSid)).assignmentStatus).toBe('assigned');

    const fromWorker = client.workerReservations(workspaceSid, workerSid);
    expect((await fromWorker.get(reservationSid)).reservationStatus).toBe('accepted');
    expect((await fromWorker.list({ reservationStatus: 'accepted' }).toArray()).map((r) => r.sid)).toEqual([
      reservationSid,
    ]);
  });

  it('rejects a reservation from the worker and moves the worker to the given activity', async () => {
    const setup = await reservedTask();
    const { client, workspaceSid, workerSid, reservationSid } = setup;
    const unavailable = await setup.activitySid('Unavailable');
    const rejected = await client
      .workerReservations(workspaceSid, workerSid)
      .update(reservationSid, { reservationStatus: 'rejected', workerActivitySid: unavailable });
    expect(rejected.reservationStatus).toBe('rejected');
    expect((await client.workers(workspaceSid).get(workerSid)).activitySid).toBe(unavailable);
  });

  it('refuses a write with a stale version', async () => {
    const { client, workspaceSid, workflowSid } = await fifoWorkspace();
    const tasks = client.tasks(workspaceSid);
    const task = await tasks.create({ workflowSid, attributes: { step: 1 } });
    const changed = await tasks.update(task.sid, { attributes: { step: 2 } }, { ifMatch: task.version });
    expect(changed.version).not.toBe(task.version);
    const stale = await tasks
      .update(task.sid, { priority: 9 }, { ifMatch: task.version })
      .catch((error) => error);
    expect(stale).toBeInstanceOf(TaskRouterApiError);
    expect(stale).toMatchObject({ status: 412 });
    expect((await tasks.get(task.sid)).priority).toBe(0);
    await expect(tasks.delete(task.sid, { ifMatch: task.version })).rejects.toMatchObject({ status: 412 });
    await tasks.delete(task.sid, { ifMatch: changed.version });
  });

  it('pages through a list lazily', async () => {
    const { client, workspaceSid } = await fifoWorkspace();
    const workers = client.workers(workspaceSid);
    for (const name of ['A', 'B', 'C', 'D', 'E']) await workers.create({ friendlyName: name });
    const first = await workers.page({ pageSize: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await workers.page({ pageSize: 2, pageToken: first.nextPageToken ?? '' });
    const third = await (await first.next())?.next();
    expect(third?.items).toHaveLength(1);
    expect(await third?.next()).toBeNull();
    const names = (await workers.list({ pageSize: 2 }).toArray()).map((worker) => worker.friendlyName);
    expect(names.sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(second.items.map((worker) => worker.sid)).not.toEqual(first.items.map((worker) => worker.sid));
    expect(await workers.list({ pageSize: 2, limit: 3 }).toArray()).toHaveLength(3);
  });

  it('lists and fetches events', async () => {
    const { client, workspaceSid, workflowSid } = await fifoWorkspace();
    const task = await client.tasks(workspaceSid).create({ workflowSid, attributes: { type: 'support' } });
    const created = await client
      .events(workspaceSid)
      .list({ eventType: 'task.created', taskSid: task.sid })
      .toArray();
    expect(created).toHaveLength(1);
    const [event] = created;
    const fetched = await client.events(workspaceSid).get(event?.sid ?? '');
    expect(fetched).toMatchObject({
      eventType: 'task.created',
      resourceSid: task.sid,
      eventDate: expect.any(Date),
    });
  });

  it('reads every statistics endpoint', async () => {
    const { client, workspaceSid, workflowSid, queueSid, workerSid } = await reservedTask();
    const stats = client.statistics(workspaceSid);
    const realTime = await stats.workspace.realTime();
    expect(realTime).toMatchObject({ totalTasks: 1, totalWorkers: 1 });
    expect(realTime.tasksByStatus?.reserved).toBe(1);
    expect((await stats.workspace.cumulative()).tasksCreated).toBe(1);
    expect(await stats.workspace.get()).toMatchObject({
      realtime: expect.any(Object),
      cumulative: expect.any(Object),
    });

    expect((await stats.taskQueue(queueSid).realTime()).totalTasks).toBe(1);
    expect((await stats.taskQueue(queueSid).cumulative()).tasksEntered).toBe(1);
    expect((await stats.taskQueue(queueSid).get()).taskQueueSid).toBe(queueSid);
    const listed = await stats.taskQueues.list().toArray();
    expect(listed.map((queue) => queue.taskQueueSid)).toEqual([queueSid]);
    const bulk = await stats.taskQueues.realTime([queueSid]);
    expect(bulk.taskQueueResponseCount).toBe(1);

    expect((await stats.workers.realTime()).totalWorkers).toBe(1);
    expect((await stats.workers.cumulative()).reservationsCreated).toBe(1);
    expect(await stats.workers.get()).toMatchObject({ realtime: expect.any(Object) });
    expect((await stats.worker(workerSid).get()).workerSid).toBe(workerSid);

    expect((await stats.workflow(workflowSid).realTime()).totalTasks).toBe(1);
    expect((await stats.workflow(workflowSid).cumulative()).tasksEntered).toBe(1);
    expect((await stats.workflow(workflowSid).get()).workflowSid).toBe(workflowSid);
  });
});
