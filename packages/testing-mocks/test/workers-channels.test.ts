import { createTaskRouterClient, isTaskRouterApiError } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

describe('workers', () => {
  test('create in the default activity with one channel per task channel; fetch carries the version', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const created = await api.post(`${ws.path}/Workers`, {
      FriendlyName: 'Alice',
      Attributes: '{"languages":["en"]}',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      activity_name: 'Offline',
      activity_sid: ws.body.default_activity_sid,
      available: false,
      attributes: '{"languages":["en"]}',
    });
    expect(created.headers.get('etag')).toBe('0');
    const channels = await api.get(`${ws.path}/Workers/${created.body.sid}/Channels`);
    expect(
      channels.body.channels.map((c: { task_channel_unique_name: string }) => c.task_channel_unique_name),
    ).toEqual(['default', 'voice', 'sms', 'chat', 'video']);
    expect(channels.body.channels[0]).toMatchObject({
      configured_capacity: 1,
      available: true,
      assigned_tasks: 0,
      available_capacity_percentage: 100,
      worker_sid: created.body.sid,
    });
  });

  test('friendly names are unique regardless of case, also on rename', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const duplicate = await api.post(`${ws.path}/Workers`, { FriendlyName: 'ALICE' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject({ code: 20001, details: { parameter: 'FriendlyName' } });
    expect(duplicate.body.message).toContain("a worker named 'ALICE' already exists");
    const bob = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Bob' });
    expect((await api.post(`${ws.path}/Workers/${bob.body.sid}`, { FriendlyName: 'alice' })).status).toBe(
      400,
    );
    expect((await api.post(`${ws.path}/Workers/${bob.body.sid}`, { FriendlyName: 'BOB' })).status).toBe(200);
    expect((await api.get(`${ws.path}/Workers`)).body.workers).toHaveLength(2);
  });

  test('activity change records the previous activity and moves date_status_changed', async () => {
    const { api, emulator } = setup();
    const ws = await workspaceWith(api);
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const available = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Available' })).body
      .activities[0];
    emulator.clock.advance(90_000);
    const moved = await api.post(`${ws.path}/Workers/${worker.body.sid}`, { ActivitySid: available.sid });
    expect(moved.body).toMatchObject({
      activity_name: 'Available',
      available: true,
      date_status_changed: '2030-01-01T00:01:30Z',
    });
    expect(moved.headers.get('etag')).toBe('1');
    const [event] = (await api.get(`${ws.path}/Events`, { EventType: 'worker.activity.update' })).body.events;
    expect(event.event_data).toMatchObject({
      worker_previous_activity_name: 'Offline',
      worker_activity_name: 'Available',
      worker_time_in_previous_activity: 90,
      worker_time_in_previous_activity_ms: 90_000,
    });
  });

  test('If-Match: stale versions get 412 and change nothing; the current version and * pass', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const path = `${ws.path}/Workers/${worker.body.sid}`;
    expect((await api.post(path, { Attributes: '{"v":1}' }, { 'If-Match': '0' })).headers.get('etag')).toBe(
      '1',
    );
    const stale = await api.post(path, { Attributes: '{"v":2}' }, { 'If-Match': '0' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe(20412);
    expect((await api.get(path)).body.attributes).toBe('{"v":1}');
    expect((await api.post(path, { Attributes: '{"v":3}' }, { 'If-Match': '"1"' })).status).toBe(200);
    expect((await api.delete(path, { 'If-Match': '1' })).status).toBe(412);
    expect((await api.delete(path, { 'If-Match': '*' })).status).toBe(204);
  });

  test.each([
    [{ FriendlyName: 'W', Attributes: '{"a":' }, 'Attributes', 'is not valid JSON'],
    [{ FriendlyName: 'W', Attributes: '[1,2]' }, 'Attributes', 'must be a JSON object'],
    [
      { FriendlyName: 'W', Attributes: JSON.stringify({ text: 'x'.repeat(4096) }) },
      'Attributes',
      'at most 4096',
    ],
    [
      { FriendlyName: 'W', ActivitySid: 'WA00000000000000000000000000000000' },
      'ActivitySid',
      'does not exist',
    ],
    [{ FriendlyName: '' }, 'FriendlyName', 'must not be empty'],
  ])('create with %o is refused on %s', async (body, parameter, message) => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const answer = await api.post(`${ws.path}/Workers`, body as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(answer.body.details.parameter).toBe(parameter);
    expect(answer.body.message).toContain(message);
    expect((await api.get(`${ws.path}/Workers`)).body.workers).toEqual([]);
  });

  test('RejectPendingReservations needs an unavailable activity and rejects pending reservations', async () => {
    const { api, emulator } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, {});
    const reservation = emulator.seed.reservation(ws.sid, {
      taskSid: task.body.sid,
      workerSid: worker.body.sid,
    });
    const activities = (await api.get(`${ws.path}/Activities`)).body.activities;
    const [offline, available] = activities;
    const path = `${ws.path}/Workers/${worker.body.sid}`;
    const wrong = await api.post(path, { ActivitySid: available.sid, RejectPendingReservations: 'true' });
    expect(wrong.body.details.parameter).toBe('RejectPendingReservations');
    expect(
      (await api.post(path, { ActivitySid: offline.sid, RejectPendingReservations: 'true' })).status,
    ).toBe(200);
    const after = await api.get(`${ws.path}/Tasks/${task.body.sid}/Reservations/${reservation.sid}`);
    expect(after.body.reservation_status).toBe('rejected');
    expect((await api.get(`${ws.path}/Tasks/${task.body.sid}`)).body.assignment_status).toBe('pending');
  });

  test('list filters: activity, availability, names, expression, queue membership, ordering', async () => {
    const { api, emulator } = setup();
    const ws = await workspaceWith(api);
    const available = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Available' })).body
      .activities[0];
    const queue = await api.post(`${ws.path}/TaskQueues`, {
      FriendlyName: 'French',
      TargetWorkers: 'languages HAS "fr"',
    });
    await api.post(`${ws.path}/Workers`, {
      FriendlyName: 'Zoe',
      Attributes: '{"languages":["fr"],"level":3}',
    });
    emulator.clock.advance(1000);
    await api.post(`${ws.path}/Workers`, {
      FriendlyName: 'Adam',
      ActivitySid: available.sid,
      Attributes: '{"languages":["en"],"level":5}',
    });
    const names = async (query: Record<string, string>) =>
      (await api.get(`${ws.path}/Workers`, query)).body.workers.map(
        (w: { friendly_name: string }) => w.friendly_name,
      );
    expect(await names({ ActivityName: 'Available' })).toEqual(['Adam']);
    expect(await names({ ActivitySid: available.sid })).toEqual(['Adam']);
    expect(await names({ Available: '1' })).toEqual(['Adam']);
    expect(await names({ Available: 'false' })).toEqual(['Zoe']);
    expect(await names({ FriendlyName: 'Zoe' })).toEqual(['Zoe']);
    expect(await names({ TargetWorkersExpression: 'level > 4' })).toEqual(['Adam']);
    expect(await names({ TargetWorkersExpression: 'activity_name == "Offline"' })).toEqual(['Zoe']);
    expect(await names({ TaskQueueSid: queue.body.sid })).toEqual(['Zoe']);
    expect(await names({ TaskQueueName: 'French' })).toEqual(['Zoe']);
    expect(await names({ Ordering: 'DateCreated:desc' })).toEqual(['Adam', 'Zoe']);
    expect(await names({ Ordering: 'FriendlyName:asc' })).toEqual(['Adam', 'Zoe']);
    const bad = await api.get(`${ws.path}/Workers`, { TargetWorkersExpression: 'level >' });
    expect(bad.body.details.parameter).toBe('TargetWorkersExpression');
  });

  test('a worker holding a pending reservation cannot be deleted', async () => {
    const { api, emulator } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const task = await api.post(`${ws.path}/Tasks`, {});
    emulator.seed.reservation(ws.sid, { taskSid: task.body.sid, workerSid: worker.body.sid });
    const refused = await api.delete(`${ws.path}/Workers/${worker.body.sid}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('pending or accepted reservations');
  });
});

describe('task channels and worker channels', () => {
  test('a new task channel gives every worker a channel; fetch by SID or unique name', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const channel = await api.post(`${ws.path}/TaskChannels`, {
      FriendlyName: 'Email',
      UniqueName: 'email',
      ChannelOptimizedRouting: 'true',
    });
    expect(channel.body).toMatchObject({ unique_name: 'email', channel_optimized_routing: true });
    expect((await api.get(`${ws.path}/TaskChannels/email`)).body.sid).toBe(channel.body.sid);
    const workerChannel = await api.get(`${ws.path}/Workers/${worker.body.sid}/Channels/email`);
    expect(workerChannel.body.task_channel_sid).toBe(channel.body.sid);
    const bySid = await api.get(`${ws.path}/Workers/${worker.body.sid}/Channels/${workerChannel.body.sid}`);
    expect(bySid.body).toEqual(workerChannel.body);
    expect((await api.delete(`${ws.path}/TaskChannels/email`)).status).toBe(204);
    expect((await api.get(`${ws.path}/Workers/${worker.body.sid}/Channels/email`)).status).toBe(404);
  });

  test.each([
    [{ FriendlyName: 'E', UniqueName: '9lives' }, 'UniqueName', 'must not start with a digit'],
    [{ FriendlyName: 'E', UniqueName: 'e-mail' }, 'UniqueName', 'letters, digits'],
    [{ FriendlyName: 'E-mail', UniqueName: 'email' }, 'FriendlyName', 'hyphens'],
    [{ FriendlyName: 'Voice again', UniqueName: 'voice' }, 'UniqueName', 'already exists'],
    [{ FriendlyName: 'E' }, 'UniqueName', 'Missing required parameter UniqueName'],
  ])('create with %o is refused on %s', async (body, parameter, message) => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const answer = await api.post(`${ws.path}/TaskChannels`, body as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(answer.body.details.parameter).toBe(parameter);
    expect(answer.body.message).toContain(message);
  });

  test('at most 15 task channels', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    for (let index = 5; index < 15; index++) {
      expect(
        (await api.post(`${ws.path}/TaskChannels`, { FriendlyName: `C${index}`, UniqueName: `c${index}` }))
          .status,
      ).toBe(201);
    }
    expect(
      (await api.post(`${ws.path}/TaskChannels`, { FriendlyName: 'C', UniqueName: 'c' })).body.message,
    ).toContain('at most 15 task channels');
  });

  test('worker channel capacity and availability updates, with events', async () => {
    const { emulator, api } = setup();
    const ws = await workspaceWith(api);
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const worker = await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    const { data } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels/{Sid}', {
      params: { path: { WorkspaceSid: ws.sid, WorkerSid: worker.body.sid, Sid: 'chat' } },
      body: { Capacity: 3, Available: false },
    });
    expect(data).toMatchObject({
      configured_capacity: 3,
      available: false,
      task_channel_unique_name: 'chat',
    });
    const events = (await api.get(`${ws.path}/Events`, { WorkerSid: worker.body.sid })).body.events;
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
      'worker.created',
      'worker.capacity.update',
      'worker.channel.availability.update',
    ]);
    expect(events[1].event_data).toMatchObject({
      worker_channel_previous_capacity: 1,
      worker_channel_available_capacity: 3,
    });
    const error = await client
      .POST('/v1/Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Channels/{Sid}', {
        params: { path: { WorkspaceSid: ws.sid, WorkerSid: worker.body.sid, Sid: 'chat' } },
        body: { Capacity: 51 },
      })
      .catch((caught: unknown) => caught);
    expect(isTaskRouterApiError(error) && error.message).toContain('between 0 and 50');
  });

  test('a channel used by an active task cannot be deleted', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const task = await api.post(`${ws.path}/Tasks`, { TaskChannel: 'voice' });
    const refused = await api.delete(`${ws.path}/TaskChannels/voice`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(task.body.sid);
  });
});
