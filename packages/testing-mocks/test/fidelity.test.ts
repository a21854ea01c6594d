import { request } from 'node:http';
import { describe, expect, test, vi } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { apiClient, setup } from './helpers.js';

/** A workspace with one available worker and a workflow whose only target is `target`. */
function routed(
  emulator: Emulator,
  target: Record<string, unknown> = {},
  worker: Record<string, unknown> = {},
) {
  const ws = emulator.seed.workspace();
  const queue = emulator.seed.taskQueue(ws.sid!, { TargetWorkers: '1==1' });
  const workflow = emulator.seed.workflow(ws.sid!, {
    Configuration: {
      task_routing: { filters: [{ expression: '1==1', targets: [{ queue: queue.sid, ...target }] }] },
    },
  });
  const available = emulator.inspect.activities(ws.sid!).find((activity) => activity.available)!;
  const alice = emulator.seed.worker(ws.sid!, {
    ActivitySid: available.sid!,
    FriendlyName: 'Alice',
    ...worker,
  });
  return { ws, workflow, alice, path: `/v1/Workspaces/${ws.sid}` };
}

describe('fidelity', () => {
  test('every *_ms field and timestamp is an integer under the real-time clock', async () => {
    const emulator = createEmulator({ clock: 'real' });
    const { ws, workflow } = routed(emulator);
    await new Promise((resolve) => setTimeout(resolve, 3));
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    await new Promise((resolve) => setTimeout(resolve, 2));
    emulator.clock.advance(0.5);
    const [task] = emulator.inspect.tasks(ws.sid!);
    const api = apiClient(emulator);
    await api.post(`/v1/Workspaces/${ws.sid}/Tasks/${task!.sid}`, { Attributes: '{"again":true}' });
    expect(Number.isInteger(emulator.clock.nowMs())).toBe(true);
    const events = emulator.inspect.events(ws.sid!);
    expect(events.length).toBeGreaterThan(5);
    for (const event of events) {
      expect(Number.isInteger(event.event_date_ms)).toBe(true);
      expect(event.event_date).toMatch(/\.\d{3}Z$|Z$/);
      for (const [key, value] of Object.entries(event.event_data ?? {})) {
        if (key.endsWith('_ms') && value !== null) expect(Number.isInteger(Number(value))).toBe(true);
      }
    }
  });

  test('UpdateTask keeps the priority a workflow target sets, and applies it otherwise', async () => {
    const { emulator, api } = setup();
    const pinned = routed(emulator, { priority: 7 }, { ActivitySid: undefined });
    const free = routed(emulator, {}, { ActivitySid: undefined });
    const task = emulator.seed.task(pinned.ws.sid!, { WorkflowSid: pinned.workflow.sid!, Priority: 1 });
    const other = emulator.seed.task(free.ws.sid!, { WorkflowSid: free.workflow.sid!, Priority: 1 });
    expect(task.priority).toBe(7);
    const updated = await api.post(`${pinned.path}/Tasks/${task.sid}`, { Priority: 99 });
    expect(updated.body.priority).toBe(7);
    const changed = await api.post(`${free.path}/Tasks/${other.sid}`, { Priority: 99 });
    expect(changed.body.priority).toBe(99);
  });

  test('conference needs call_sid in the task attributes before it accepts', async () => {
    const { emulator, api } = setup();
    const { ws, workflow, path } = routed(emulator);
    const bare = emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    const [offer] = emulator.inspect.reservations(ws.sid!);
    const refused = await api.post(`${path}/Tasks/${bare.sid}/Reservations/${offer!.sid}`, {
      Instruction: 'conference',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/call_sid/);
    expect(emulator.inspect.reservations(ws.sid!)[0]?.reservation_status).toBe('pending');
    expect(emulator.inspect.instructions(ws.sid!, offer!.sid)).toEqual([]);
  });

  test('an assignment callback answering conference without call_sid leaves the reservation pending', async () => {
    const emulator = createEmulator({
      callbackFetch: async () => Response.json({ instruction: 'conference', to: 'client:alice' }),
    });
    const { ws, workflow } = routed(emulator);
    emulator.seed.workflow(ws.sid!, { Configuration: { task_routing: { filters: [] } } });
    const update = apiClient(emulator);
    await update.post(`/v1/Workspaces/${ws.sid}/Workflows/${workflow.sid}`, {
      AssignmentCallbackUrl: 'https://example.com/assign',
    });
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    emulator.seed.task(ws.sid!, {
      WorkflowSid: workflow.sid!,
      Attributes: { call_sid: `CA${'1'.repeat(32)}` },
    });
    await emulator.idle();
    const statuses = emulator.inspect.reservations(ws.sid!).map((item) => item.reservation_status);
    expect(statuses[0]).toBe('pending');
  });

  test.each([
    ['conference', { From: '+15550100' }, 40136],
    ['dequeue', { DequeueFrom: '+15550100' }, 40135],
    ['redirect', { RedirectCallSid: `CA${'0'.repeat(32)}`, RedirectUrl: 'https://example.com/twiml' }, 40123],
    ['call', { CallFrom: '+15550100', CallUrl: 'https://example.com/twiml', CallTo: '+15550101' }, 40114],
  ])('%s on a reservation that is no longer pending answers %s', async (instruction, params, code) => {
    const { emulator, api } = setup();
    const { ws, workflow, path } = routed(emulator);
    const task = emulator.seed.task(ws.sid!, {
      WorkflowSid: workflow.sid!,
      Attributes: { call_sid: `CA${'1'.repeat(32)}` },
    });
    const [offer] = emulator.inspect.reservations(ws.sid!);
    const url = `${path}/Tasks/${task.sid}/Reservations/${offer!.sid}`;
    expect((await api.post(url, { ReservationStatus: 'accepted' })).status).toBe(200);
    const late = await api.post(url, { Instruction: instruction, ...params });
    expect([late.status, late.body.code]).toEqual([400, code]);
  });

  test('supervise works on a wrapping reservation and is refused only on pending or canceled ones', async () => {
    const { emulator, api } = setup();
    const { ws, workflow, path } = routed(emulator);
    const task = emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    const [offer] = emulator.inspect.reservations(ws.sid!);
    const url = `${path}/Tasks/${task.sid}/Reservations/${offer!.sid}`;
    const supervise = { Instruction: 'supervise', Supervisor: 'client:sup' };
    expect((await api.post(url, supervise)).body.code).toBe(40146);
    await api.post(url, { ReservationStatus: 'accepted' });
    await api.post(`${path}/Tasks/${task.sid}`, { AssignmentStatus: 'wrapping' });
    expect(emulator.inspect.reservations(ws.sid!)[0]?.reservation_status).toBe('wrapping');
    expect((await api.post(url, supervise)).status).toBe(200);
  });

  test('a task canceled by its TTL fires task.canceled described "Task TTL Exceeded"', () => {
    const emulator = createEmulator();
    const ws = emulator.seed.workspace({ Template: 'FIFO' });
    const task = emulator.seed.task(ws.sid!, { Timeout: 60 });
    emulator.clock.advance(60_000);
    const canceled = emulator.inspect.events(ws.sid!).find((event) => event.event_type === 'task.canceled');
    expect(canceled?.description).toBe('Task TTL Exceeded');
    expect(canceled?.resource_sid).toBe(task.sid);
    expect(emulator.inspect.tasks(ws.sid!)[0]?.reason).toBe('Task TTL Exceeded');
  });

  test('events of known-worker routing carry known_worker_sid', () => {
    const emulator = createEmulator();
    const { ws, workflow, alice } = routed(emulator, { known_worker_sid: 'task.preferred' });
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid!, Attributes: { preferred: alice.sid } });
    const events = emulator.inspect.events(ws.sid!);
    const matched = events.find((event) => event.event_type === 'workflow.target-matched');
    const created = events.find((event) => event.event_type === 'reservation.created');
    expect(matched?.event_data).toMatchObject({ known_worker_sid: alice.sid });
    expect(created?.event_data).toMatchObject({ known_worker_sid: alice.sid });
    const plain = routed(emulator);
    emulator.seed.task(plain.ws.sid!, { WorkflowSid: plain.workflow.sid! });
    const plainEvents = emulator.inspect.events(plain.ws.sid!);
    expect(plainEvents.some((event) => 'known_worker_sid' in (event.event_data ?? {}))).toBe(false);
  });
});

describe('hostile requests over HTTP', () => {
  test('a backslash in the path is refused, so WT1\\..\\WT2 cannot reach another task', async () => {
    const emulator = createEmulator();
    const ws = emulator.seed.workspace({ Template: 'FIFO' });
    const first = emulator.seed.task(ws.sid!);
    const second = emulator.seed.task(ws.sid!);
    const server = await emulator.listen();
    try {
      const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
      for (const path of [
        `/v1/Workspaces/${ws.sid}/Tasks/${first.sid}\\..\\${second.sid}`,
        `/v1/Workspaces/${ws.sid}/Tasks/${first.sid}%5C..%5C${second.sid}`,
      ]) {
        const status = await rawRequest(server.url, 'DELETE', path, { authorization });
        expect(status).toBe(400);
      }
      expect(emulator.inspect.tasks(ws.sid!)).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  test('a 10 MB upload is answered 413 every time, not cut off', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen();
    const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
    const body = `FriendlyName=${'x'.repeat(10 * 1024 * 1024)}`;
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        const answer = await fetch(`${server.url}/v1/Workspaces`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect(answer.status).toBe(413);
        expect((await answer.json()).code).toBe(20413);
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});

/** Sends a request whose path goes out exactly as written (fetch would normalise it). */
function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('any-credentials mode', () => {
  test('keeps one state per account SID and answers with the caller’s account SID', async () => {
    const emulator = createEmulator({ acceptAnyCredentials: true });
    const as = (accountSid: string) =>
      apiClient({ ...emulator, credentials: { accountSid, authToken: `token-of-${accountSid}` } });
    const first = as(`AC${'1'.repeat(32)}`);
    const second = as(`AC${'2'.repeat(32)}`);
    const created = await first.post('/v1/Workspaces', { FriendlyName: 'First' });
    expect(created.body.account_sid).toBe(`AC${'1'.repeat(32)}`);
    expect((await second.post('/v1/Workspaces', { FriendlyName: 'Second' })).body.account_sid).toBe(
      `AC${'2'.repeat(32)}`,
    );
    const names = async (client: ReturnType<typeof as>) =>
      (await client.get('/v1/Workspaces')).body.workspaces.map(
        (item: { friendly_name: string }) => item.friendly_name,
      );
    expect(await names(first)).toEqual(['First']);
    expect(await names(second)).toEqual(['Second']);
    expect(emulator.inspect.workspaces()).toEqual([]); // the emulator's own account is a third one
    expect((await second.get(`/v1/Workspaces/${created.body.sid}`)).status).toBe(404);
    emulator.reset();
    expect(await names(first)).toEqual([]);
  });
});

describe('workspace updates and routing', () => {
  test('a change that cannot affect routing re-routes no task; a queue-order change does', async () => {
    const { Matcher } = await import('../src/routing/matcher.js');
    const { emulator, api } = setup();
    const ws = emulator.seed.workspace();
    const queue = emulator.seed.taskQueue(ws.sid!, { TargetWorkers: 'skill == "none"' });
    const workflow = emulator.seed.workflow(ws.sid!, {
      Configuration: { task_routing: { filters: [], default_filter: { queue: queue.sid } } },
    });
    const available = emulator.inspect.activities(ws.sid!).find((activity) => activity.available)!;
    for (let index = 0; index < 5; index++) emulator.seed.worker(ws.sid!, { ActivitySid: available.sid! });
    for (let index = 0; index < 5; index++) emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    const matched = vi.spyOn(Matcher.prototype, 'matchTask');
    try {
      const path = `/v1/Workspaces/${ws.sid}`;
      await api.post(path, { FriendlyName: 'Renamed', EventCallbackUrl: 'https://example.com/events' });
      await api.post(path, { PrioritizeQueueOrder: 'FIFO', MultiTaskEnabled: true });
      expect(matched).not.toHaveBeenCalled();
      await api.post(path, { PrioritizeQueueOrder: 'LIFO' });
      expect(matched).toHaveBeenCalledTimes(5);
    } finally {
      matched.mockRestore();
    }
  });
});
