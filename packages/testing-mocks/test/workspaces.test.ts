import { createTaskRouterClient, isTaskRouterApiError, paginate } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { setup, workspaceWith } from './helpers.js';

describe('workspaces through the core client', () => {
  test('create, fetch, update, list and delete', async () => {
    const { emulator } = setup();
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    const { data: created, response } = await client.POST('/v1/Workspaces', {
      body: { FriendlyName: 'Support', EventCallbackUrl: 'https://example.com/events' },
    });
    expect(response.status).toBe(201);
    expect(created.friendly_name).toBe('Support');
    expect(created.account_sid).toBe(emulator.credentials.accountSid);
    expect(created.event_callback_url).toBe('https://example.com/events');
    expect(created.multi_task_enabled).toBe(true);
    expect(created.prioritize_queue_order).toBe('FIFO');
    expect(created.url).toBe(`https://taskrouter.twilio.com/v1/Workspaces/${created.sid}`);
    expect(created.links?.tasks).toBe(`${created.url}/Tasks`);

    const { data: fetched } = await client.GET('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: created.sid! } },
    });
    expect(fetched).toEqual(created);

    emulator.clock.advance(5_000);
    const { data: updated } = await client.POST('/v1/Workspaces/{Sid}', {
      params: { path: { Sid: created.sid! } },
      body: { FriendlyName: 'Support EU', PrioritizeQueueOrder: 'LIFO' },
    });
    expect(updated.friendly_name).toBe('Support EU');
    expect(updated.prioritize_queue_order).toBe('LIFO');
    expect(updated.date_updated).toBe('2030-01-01T00:00:05Z');
    expect(updated.date_created).toBe('2030-01-01T00:00:00Z');

    const names: string[] = [];
    for await (const workspace of paginate(client, '/v1/Workspaces', {}))
      names.push(workspace.friendly_name!);
    expect(names).toEqual(['Support EU']);

    await client.DELETE('/v1/Workspaces/{Sid}', { params: { path: { Sid: created.sid! } } });
    const missing = await client
      .GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: created.sid! } } })
      .catch((error: unknown) => error);
    expect(isTaskRouterApiError(missing) && missing.status).toBe(404);
    expect(isTaskRouterApiError(missing) && missing.code).toBe(20404);
  });
});

describe('new workspace contents', () => {
  test('default activities (Offline is default and timeout) and task channels', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const activities = (await api.get(`${ws.path}/Activities`)).body.activities;
    expect(
      activities.map((a: { friendly_name: string; available: boolean }) => [a.friendly_name, a.available]),
    ).toEqual([
      ['Offline', false],
      ['Available', true],
      ['Unavailable', false],
    ]);
    expect(ws.body.default_activity_sid).toBe(activities[0].sid);
    expect(ws.body.timeout_activity_sid).toBe(activities[0].sid);
    expect(ws.body.default_activity_name).toBe('Offline');
    const channels = (await api.get(`${ws.path}/TaskChannels`)).body.channels;
    expect(channels.map((c: { unique_name: string }) => c.unique_name)).toEqual([
      'default',
      'voice',
      'sms',
      'chat',
      'video',
    ]);
    expect((await api.get(`${ws.path}/TaskQueues`)).body.task_queues).toEqual([]);
    expect((await api.get(`${ws.path}/Workflows`)).body.workflows).toEqual([]);
  });

  test('Template=FIFO adds Sample Queue and Default Fifo Workflow routing to it', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    const [queue, ...otherQueues] = (await api.get(`${ws.path}/TaskQueues`)).body.task_queues;
    expect(otherQueues).toEqual([]);
    expect(queue.friendly_name).toBe('Sample Queue');
    expect(queue.target_workers).toBe('1==1');
    const [workflow] = (await api.get(`${ws.path}/Workflows`)).body.workflows;
    expect(workflow.friendly_name).toBe('Default Fifo Workflow');
    expect(workflow.task_reservation_timeout).toBe(120);
    expect(JSON.parse(workflow.configuration)).toEqual({
      task_routing: { default_filter: { queue: queue.sid } },
    });
  });
});

describe('workspace validation', () => {
  test.each([
    [{}, 'FriendlyName', 'Missing required parameter FriendlyName'],
    [{ FriendlyName: 'x'.repeat(65) }, 'FriendlyName', 'at most 64 characters'],
    [{ FriendlyName: 'a', Template: 'LIFO' }, 'Template', 'must be one of NONE, FIFO'],
    [
      { FriendlyName: 'a', PrioritizeQueueOrder: 'RANDOM' },
      'PrioritizeQueueOrder',
      'must be one of FIFO, LIFO',
    ],
    [{ FriendlyName: 'a', MultiTaskEnabled: 'maybe' }, 'MultiTaskEnabled', 'must be true or false'],
    [{ FriendlyName: 'a', EventCallbackUrl: 'not a url' }, 'EventCallbackUrl', 'absolute http or https URL'],
    [{ FriendlyName: 'a', EventsFilter: 'task.created,task.exploded' }, 'EventsFilter', "'task.exploded'"],
  ])('create with %o is refused on %s', async (body, parameter, message) => {
    const { api, emulator } = setup();
    const answer = await api.post('/v1/Workspaces', body as Record<string, string>);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 20001, status: 400, details: { parameter } });
    expect(answer.body.message).toContain(message);
    expect(answer.body.more_info).toBe('https://www.twilio.com/docs/errors/20001');
    expect(emulator.inspect.workspaces()).toEqual([]);
  });

  test('update refuses an activity of another workspace and changes nothing', async () => {
    const { api } = setup();
    const first = await workspaceWith(api);
    const second = await workspaceWith(api);
    const answer = await api.post(first.path, {
      FriendlyName: 'Renamed',
      DefaultActivitySid: second.body.default_activity_sid,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('DefaultActivitySid');
    expect((await api.get(first.path)).body.friendly_name).toBe(first.body.friendly_name);
  });

  test('update moves the default and timeout activities', async () => {
    const { api } = setup();
    const ws = await workspaceWith(api);
    const available = (await api.get(`${ws.path}/Activities`, { FriendlyName: 'Available' })).body
      .activities[0];
    const answer = await api.post(ws.path, {
      DefaultActivitySid: available.sid,
      TimeoutActivitySid: available.sid,
    });
    expect(answer.body).toMatchObject({
      default_activity_sid: available.sid,
      default_activity_name: 'Available',
      timeout_activity_name: 'Available',
    });
  });

  test('list filters by FriendlyName', async () => {
    const { api } = setup();
    await api.post('/v1/Workspaces', { FriendlyName: 'Alpha' });
    await api.post('/v1/Workspaces', { FriendlyName: 'Beta' });
    const answer = await api.get('/v1/Workspaces', { FriendlyName: 'Beta' });
    expect(answer.body.workspaces.map((w: { friendly_name: string }) => w.friendly_name)).toEqual(['Beta']);
    expect(answer.body.meta.url).toContain('FriendlyName=Beta');
  });

  test('deleting a workspace removes everything in it', async () => {
    const { api, emulator } = setup();
    const ws = await workspaceWith(api, 'FIFO');
    await api.post(`${ws.path}/Workers`, { FriendlyName: 'Alice' });
    expect((await api.delete(ws.path)).status).toBe(204);
    expect((await api.get(`${ws.path}/Workers`)).status).toBe(404);
    expect(emulator.inspect.workspaces()).toEqual([]);
  });
});
