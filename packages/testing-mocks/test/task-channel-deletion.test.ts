import { describe, expect, test } from 'vitest';
import { scenario } from './routing-helpers.js';

describe('deleting a task channel', () => {
  test('a channel recreated under the same unique name routes and counts like a fresh one', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const first = await s.api.post(`${s.path}/TaskChannels`, {
      FriendlyName: 'Email',
      UniqueName: 'email',
      ChannelOptimizedRouting: true,
    });
    const alice = await s.worker('Alice');
    await s.channel(alice.sid, 'email', { Capacity: 3 });
    const old = await s.task(workflow.sid, {}, { TaskChannel: 'email' });
    const [offer] = await s.reservations(old.sid);
    await s.answer(old.sid, offer!.sid, { ReservationStatus: 'accepted' });
    await s.updateTask(old.sid, { AssignmentStatus: 'completed' });

    expect((await s.api.delete(`${s.path}/TaskChannels/email`)).status).toBe(204);
    const again = await s.api.post(`${s.path}/TaskChannels`, { FriendlyName: 'Email', UniqueName: 'email' });
    expect(again.status).toBe(201);
    expect(again.body.sid).not.toBe(first.body.sid);
    expect(again.body.channel_optimized_routing).toBe(false);
    // The worker's channel starts over: default capacity, nothing assigned.
    expect(await s.channel(alice.sid, 'email')).toMatchObject({
      task_channel_sid: again.body.sid,
      configured_capacity: 1,
      assigned_tasks: 0,
      available_capacity_percentage: 100,
    });
    // The finished task keeps the channel it ran on, whose name is gone.
    expect(await s.fetchTask(old.sid)).toMatchObject({
      task_channel_sid: first.body.sid,
      task_channel_unique_name: null,
    });

    const one = await s.task(workflow.sid, {}, { TaskChannel: 'email' });
    const two = await s.task(workflow.sid, {}, { TaskChannel: 'email' });
    expect(await s.fetchTask(one.sid)).toMatchObject({
      assignment_status: 'reserved',
      task_channel_sid: again.body.sid,
    });
    // Capacity 1 again, so the second task waits.
    expect((await s.fetchTask(two.sid)).assignment_status).toBe('pending');
  });

  test('queues whose target_workers read a channel follow it being deleted and created again', async () => {
    const s = await scenario();
    await s.api.post(`${s.path}/TaskChannels`, { FriendlyName: 'Email', UniqueName: 'email' });
    const queue = await s.queue({ TargetWorkers: 'channel.email.configured_capacity > 0' });
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.worker('Alice');
    const before = await s.task(workflow.sid);
    expect((await s.reservations(before.sid)).map((r) => r.worker_name)).toEqual(['Alice']);
    await s.updateTask(before.sid, { AssignmentStatus: 'canceled' });

    expect((await s.api.delete(`${s.path}/TaskChannels/email`)).status).toBe(204);
    const orphan = await s.task(workflow.sid);
    expect((await s.fetchTask(orphan.sid)).assignment_status).toBe('pending');
    await s.updateTask(orphan.sid, { AssignmentStatus: 'canceled' });

    await s.api.post(`${s.path}/TaskChannels`, { FriendlyName: 'Email', UniqueName: 'email' });
    const after = await s.task(workflow.sid);
    expect((await s.reservations(after.sid)).map((r) => r.worker_name)).toEqual(['Alice']);
  });

  test('is refused while a task on it is not finished, whatever its status', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    await s.api.post(`${s.path}/TaskChannels`, { FriendlyName: 'Email', UniqueName: 'email' });
    await s.worker('Alice');
    const task = await s.task(workflow.sid, {}, { TaskChannel: 'email' });
    const refusal = async () => {
      const answer = await s.api.delete(`${s.path}/TaskChannels/email`);
      return [answer.status, answer.body.message];
    };
    const [offer] = await s.reservations(task.sid);
    expect(await refusal()).toEqual([400, expect.stringContaining(`task ${task.sid} is still active`)]);
    await s.answer(task.sid, offer!.sid, { ReservationStatus: 'accepted' });
    expect(await refusal()).toEqual([400, expect.stringContaining(task.sid)]);
    await s.updateTask(task.sid, { AssignmentStatus: 'wrapping' });
    expect(await refusal()).toEqual([400, expect.stringContaining(task.sid)]);
    // The refusals changed nothing.
    expect((await s.api.get(`${s.path}/TaskChannels/email`)).status).toBe(200);
    await s.updateTask(task.sid, { AssignmentStatus: 'completed' });
    expect((await s.api.delete(`${s.path}/TaskChannels/email`)).status).toBe(204);
    expect(await s.eventTypes({ EventType: 'task-channel.deleted' })).toEqual(['task-channel.deleted']);
  });
});
