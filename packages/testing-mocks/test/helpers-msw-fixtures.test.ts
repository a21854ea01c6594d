import { createTaskRouterClient } from '@taskrouter/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, createFixtures, EmulatorRequestError, fixtures } from '../src/index.js';
import { taskRouterHandlers } from '../src/msw.js';
import { useEmulator } from '../src/vitest.js';

describe('msw handlers', () => {
  const emulator = createEmulator();
  const server = setupServer(
    ...taskRouterHandlers(emulator),
    http.get('https://example.com/ping', () => HttpResponse.text('pong')),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test('a client using the global fetch talks to the emulator', async () => {
    const client = createTaskRouterClient({ ...emulator.credentials });
    const { data } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Through msw' } });
    expect(emulator.inspect.workspaces().map((workspace) => workspace.sid)).toEqual([data.sid]);
    const error = await client
      .GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: `WS${'0'.repeat(32)}` } } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: 20404 });
    expect(await (await fetch('https://example.com/ping')).text()).toBe('pong');
  });
});

describe('useEmulator', () => {
  const emulator = useEmulator({ startTime: new Date('2031-05-05T00:00:00Z') });
  let firstSid = '';

  test('gives each test an emulator with the options', () => {
    expect(emulator().clock.now().toISOString()).toBe('2031-05-05T00:00:00.000Z');
    firstSid = emulator().seed.workspace().sid;
    expect(emulator().inspect.workspaces()).toHaveLength(1);
  });

  test('and a fresh one for the next test', () => {
    expect(firstSid).not.toBe('');
    expect(emulator().inspect.workspaces()).toEqual([]);
  });
});

describe('seeding helpers', () => {
  test('create resources through the API validation and return API bodies', () => {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace({ FriendlyName: 'Seeded', Template: 'FIFO' });
    const queue = emulator.inspect.taskQueues(workspace.sid)[0]!;
    const worker = emulator.seed.worker(workspace.sid, { Attributes: { skills: ['en'] } });
    expect(JSON.parse(worker.attributes)).toEqual({ skills: ['en'] });
    const workflow = emulator.seed.workflow(workspace.sid, {
      Configuration: { task_routing: { default_filter: { queue: queue.sid } } },
    });
    const task = emulator.seed.task(workspace.sid, { WorkflowSid: workflow.sid, Priority: 3 });
    expect(task).toMatchObject({ priority: 3, workflow_sid: workflow.sid });
    expect(() => emulator.seed.task(workspace.sid, { Priority: -1 })).toThrow(/Invalid parameter Priority/);
    expect(() => emulator.seed.worker(workspace.sid, { FriendlyName: worker.friendly_name })).toThrow(
      /already exists/,
    );
    expect(() => emulator.seed.worker(`WS${'0'.repeat(32)}`)).toThrow(/was not found/);
    // The worker is offline, so routing stops at the queue.
    expect(
      emulator.inspect
        .events(workspace.sid)
        .map((event) => event.event_type)
        .slice(-2),
    ).toEqual(['task.created', 'workflow.target-matched']);
  });

  test('refuse a field the create operation does not take, naming it, and create nothing', () => {
    const emulator = createEmulator();
    const workspace = emulator.seed.workspace();
    // A JavaScript caller, or a cast, gets past the types.
    const misspelt = { FriendlyName: 'Ann', Atributes: { skills: ['en'] } } as never;
    const error = (() => {
      try {
        emulator.seed.worker(workspace.sid, misspelt);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(EmulatorRequestError);
    expect(error).toMatchObject({ status: 400, code: 20001, parameter: 'Atributes' });
    expect((error as Error).message).toMatch(
      /^Invalid parameter Atributes: is not a parameter of CreateWorker \(it takes .*Attributes/,
    );
    expect(emulator.inspect.workers(workspace.sid)).toEqual([]);
    expect(() => emulator.seed.workspace({ Name: 'Support' } as never)).toThrow(
      /Invalid parameter Name: is not a parameter of CreateWorkspace/,
    );
    expect(emulator.inspect.workspaces().map((each) => each.sid)).toEqual([workspace.sid]);
  });
});

describe('fixtures', () => {
  test('complete bodies with overrides and consistent URLs', () => {
    const worker = fixtures.worker({ friendly_name: 'Alice' });
    expect(worker.friendly_name).toBe('Alice');
    expect(worker.sid).toMatch(/^WK[0-9a-f]{32}$/);
    expect(worker.url).toBe(
      `https://taskrouter.twilio.com/v1/Workspaces/${worker.workspace_sid}/Workers/${worker.sid}`,
    );
    const reservation = fixtures.reservation({ reservation_status: 'accepted' });
    expect(reservation.reservation_status).toBe('accepted');
    expect(reservation.task_sid).toMatch(/^WT/);
    expect(fixtures.task().assignment_status).toBe('pending');
    expect(fixtures.workflow().configuration).toContain('default_filter');
    expect(fixtures.workerChannel().configured_capacity).toBe(1);
    expect(fixtures.event().event_type).toBe('activity.created');
    expect(fixtures.workspace().sid).toMatch(/^WS/);
    expect(fixtures.activity().sid).toMatch(/^WA/);
    expect(fixtures.taskQueue().target_workers).toBe('1==1');
    expect(fixtures.taskChannel().unique_name).toMatch(/^channel\d+$/);
    const page = createFixtures().page('workers', [worker], {
      url: 'https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers',
    });
    expect(page.workers).toEqual([worker]);
    expect(page.meta).toMatchObject({ key: 'workers', page: 0, next_page_url: null });
    expect(page.meta.url).toBe('https://taskrouter.twilio.com/v1/Workspaces/WS1/Workers?PageSize=1&Page=0');
  });
});
