import { validateRequestSignature } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { useEmulator } from '../src/vitest.js';

const EVENTS_URL = 'https://example.com/events';
const ASSIGNMENT_URL = 'https://example.com/assignment';

/** A workspace posting events to `eventsUrl`, a FIFO-like workflow with an assignment URL, an available worker. */
function routedWorkspace(emulator: Emulator, eventsUrl = EVENTS_URL) {
  const ws = emulator.seed.workspace({ EventCallbackUrl: eventsUrl, EventsFilter: 'task.created' });
  const queue = emulator.seed.taskQueue(ws.sid!, { TargetWorkers: '1==1' });
  const workflow = emulator.seed.workflow(ws.sid!, {
    Configuration: { task_routing: { filters: [], default_filter: { queue: queue.sid } } },
    AssignmentCallbackUrl: ASSIGNMENT_URL,
  });
  const available = emulator.inspect.activities(ws.sid!).find((activity) => activity.available)!;
  emulator.seed.worker(ws.sid!, { ActivitySid: available.sid! });
  return { ws, workflow };
}

describe('emulator.callbacks', () => {
  test('records every callback: URL, form parameters, signature and its validity, status', async () => {
    const emulator = createEmulator({
      startTime: new Date('2030-01-01T00:00:00Z'),
      callbackFetch: async (input) =>
        String(input) === ASSIGNMENT_URL
          ? Response.json({ instruction: 'accept' })
          : new Response(null, { status: 204 }),
    });
    const { ws, workflow } = routedWorkspace(emulator);
    const task = emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid!, Attributes: { type: 'support' } });
    await emulator.idle();
    const sent = emulator.callbacks();
    expect(JSON.parse(JSON.stringify(sent))).toEqual(sent);
    expect(sent.map((callback) => [callback.kind, callback.url, callback.status])).toEqual([
      ['event', EVENTS_URL, 204],
      ['assignment', ASSIGNMENT_URL, 200],
    ]);
    const [event, assignment] = sent;
    expect(event).toMatchObject({
      workspaceSid: ws.sid,
      fallback: false,
      params: { EventType: 'task.created', TaskSid: task.sid, WorkspaceSid: ws.sid },
      signatureValid: true,
      error: null,
      at: Date.parse('2030-01-01T00:00:00Z'),
    });
    expect(assignment?.params).toMatchObject({ TaskSid: task.sid, WorkflowSid: workflow.sid });
    expect(
      await validateRequestSignature(
        emulator.credentials.authToken,
        assignment!.signature,
        ASSIGNMENT_URL,
        assignment!.params,
      ),
    ).toBe(true);
    expect(emulator.inspect.tasks(ws.sid!)[0]?.assignment_status).toBe('assigned');
  });

  test('failures are recorded with their error; a callback that never answers times out', async () => {
    const emulator = createEmulator({
      callbackTimeoutMs: 30,
      callbackFetch: (input) =>
        String(input) === ASSIGNMENT_URL
          ? Promise.reject(new TypeError('connection refused'))
          : new Promise<Response>(() => {}), // ignores its abort signal as well
    });
    const { ws, workflow } = routedWorkspace(emulator);
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    await emulator.idle();
    expect(emulator.callbacks().map(({ kind, status, error }) => ({ kind, status, error }))).toEqual([
      { kind: 'event', status: null, error: 'no answer within 30 ms' },
      { kind: 'assignment', status: null, error: 'connection refused' },
    ]);
    expect(() => createEmulator({ callbackTimeoutMs: 0 })).toThrow(
      /callbackTimeoutMs must be a whole number/,
    );
  });

  test('a slow callback URL of one workspace does not hold back another workspace’s callbacks', async () => {
    const delivered: string[] = [];
    const emulator = createEmulator({
      callbackTimeoutMs: 60_000,
      callbackFetch: async (input) => {
        if (String(input).includes('slow')) return new Promise<Response>(() => {});
        delivered.push(String(input));
        return new Response(null, { status: 204 });
      },
    });
    const slow = routedWorkspace(emulator, 'https://slow.example.com/events');
    const fast = routedWorkspace(emulator, 'https://fast.example.com/events');
    emulator.seed.task(slow.ws.sid!, { WorkflowSid: slow.workflow.sid! });
    emulator.seed.task(slow.ws.sid!, { WorkflowSid: slow.workflow.sid! });
    emulator.seed.task(fast.ws.sid!, { WorkflowSid: fast.workflow.sid! });
    await expect.poll(() => delivered, { timeout: 2000 }).toContain('https://fast.example.com/events');
  });

  test('setCallbackFetch attaches a handler after construction, when the credentials exist', async () => {
    const emulator = createEmulator();
    const checked: boolean[] = [];
    emulator.setCallbackFetch(async (input, init) => {
      const request = new Request(input, init);
      const params = Object.fromEntries(new URLSearchParams(await request.text()));
      checked.push(
        await validateRequestSignature(
          emulator.credentials.authToken,
          request.headers.get('x-twilio-signature') ?? '',
          request.url,
          params,
        ),
      );
      return new Response(null, { status: 204 });
    });
    const { ws, workflow } = routedWorkspace(emulator);
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    await emulator.idle();
    expect(checked).toEqual([true, true]);
    // @ts-expect-error not a function
    expect(() => emulator.setCallbackFetch('https://example.com')).toThrow(/must be a function or undefined/);
  });
});

describe('vitest matchers', () => {
  test('toHaveReceivedOperation and toHaveDeliveredCallback, also negated', async () => {
    const emulator = createEmulator({ callbackFetch: async () => new Response(null, { status: 204 }) });
    const { ws, workflow } = routedWorkspace(emulator);
    const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
    await emulator.fetch(`${emulator.baseUrl}/v1/Workspaces/${ws.sid}/Tasks`, {
      method: 'POST',
      headers: { authorization },
      body: new URLSearchParams({
        WorkflowSid: workflow.sid!,
        Attributes: '{"type":"support"}',
        Priority: '3',
      }),
    });
    await emulator.idle();
    expect(emulator).toHaveReceivedOperation('CreateTask');
    expect(emulator).toHaveReceivedOperation('CreateTask', { Priority: 3, Attributes: { type: 'support' } });
    expect(emulator).not.toHaveReceivedOperation('CreateTask', { Priority: 4 });
    expect(emulator).not.toHaveReceivedOperation('DeleteTask');
    expect(emulator).toHaveDeliveredCallback('event', { EventType: 'task.created' });
    expect(emulator).not.toHaveDeliveredCallback('event', { EventType: 'task.completed' });
    expect(emulator).toHaveDeliveredCallback('assignment');
    expect(() => expect(emulator).toHaveReceivedOperation('CreateTask', { Priority: 4 })).toThrow(
      /expected a request to CreateTask with \{"Priority":4\}; received 1 request\(s\) to CreateTask/,
    );
    expect(() => expect({}).toHaveReceivedOperation('CreateTask')).toThrow(/expected an emulator/);
  });

  test('a callback answered with an error is not delivered', async () => {
    const emulator = createEmulator({ callbackFetch: async () => new Response('no', { status: 500 }) });
    const { ws, workflow } = routedWorkspace(emulator);
    emulator.seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
    await emulator.idle();
    expect(emulator.callbacks()).toHaveLength(2);
    expect(emulator).not.toHaveDeliveredCallback('event');
    expect(() => expect(emulator).toHaveDeliveredCallback('event')).toThrow(
      `expected an event callback to be delivered (2xx answer); 1 event callback(s) sent: ${EVENTS_URL} → 500`,
    );
  });
});

describe('useEmulator', () => {
  const emulator = useEmulator();
  let delivered = false;

  test('accepts its getter in the matchers; seeding is not a request', async () => {
    emulator().seed.workspace();
    expect(emulator).not.toHaveReceivedOperation('CreateWorkspace');
    const { accountSid, authToken } = emulator().credentials;
    await emulator().fetch(`${emulator().baseUrl}/v1/Workspaces`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}` },
      body: new URLSearchParams({ FriendlyName: 'Support' }),
    });
    expect(emulator).toHaveReceivedOperation('CreateWorkspace', { FriendlyName: 'Support' });
  });

  test('a test leaves a callback in flight…', () => {
    emulator().setCallbackFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      delivered = true;
      return new Response(null, { status: 204 });
    });
    const { ws, workflow } = routedWorkspace(emulator());
    emulator().seed.task(ws.sid!, { WorkflowSid: workflow.sid! });
  });

  test('…and the next starts only once it was delivered', () => {
    expect(delivered).toBe(true);
  });
});
