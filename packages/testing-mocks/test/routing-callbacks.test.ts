import { validateRequestSignature } from '@taskrouter/core';
import { describe, expect, test } from 'vitest';
import { scenario } from './routing-helpers.js';

/** A received webhook: where it went, its form fields and whether its signature checks out. */
interface Delivery {
  url: string;
  params: Record<string, string>;
  signature: string | null;
}

/**
 * A `callbackFetch` that records every delivery and answers with `answer(url, params)`
 * (204 when it returns undefined).
 */
function recorder(
  answer: (
    url: string,
    params: Record<string, string>,
  ) => Response | undefined | Promise<Response | undefined> = () => undefined,
) {
  const deliveries: Delivery[] = [];
  const callbackFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const params = Object.fromEntries(new URLSearchParams(await request.text()));
    deliveries.push({ url: request.url, params, signature: request.headers.get('x-twilio-signature') });
    return (await answer(request.url, params)) ?? new Response(null, { status: 204 });
  };
  return { deliveries, callbackFetch };
}

const EVENTS_URL = 'https://example.com/taskrouter/events';
const ASSIGNMENT_URL = 'https://example.com/taskrouter/assignment';
const FALLBACK_URL = 'https://example.com/taskrouter/fallback';

describe('events', () => {
  test('a routed task leaves its events in the order TaskRouter records them, listable by every filter', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice');
    const task = await s.task(workflow.sid);
    const [offer] = await s.reservations(task.sid);
    await s.answer(task.sid, offer!.sid, { ReservationStatus: 'accepted' });
    await s.updateTask(task.sid, { AssignmentStatus: 'wrapping' });
    await s.updateTask(task.sid, { AssignmentStatus: 'completed' });
    expect(await s.eventTypes({ TaskSid: task.sid })).toEqual([
      'workflow.entered',
      'task-queue.entered',
      'task.created',
      'workflow.target-matched',
      'reservation.created',
      'reservation.accepted',
      'task.wrapup',
      'reservation.wrapup',
      'task.completed',
      'reservation.completed',
    ]);
    expect(await s.eventTypes({ ReservationSid: offer!.sid })).toEqual([
      'reservation.created',
      'reservation.accepted',
      'reservation.wrapup',
      'reservation.completed',
    ]);
    expect(await s.eventTypes({ WorkerSid: alice.sid })).toEqual([
      'worker.created',
      'reservation.created',
      'reservation.accepted',
      'reservation.wrapup',
      'reservation.completed',
    ]);
    expect(await s.eventTypes({ WorkflowSid: workflow.sid, EventType: 'workflow.entered' })).toHaveLength(1);
    const [created] = (await s.api.get(`${s.path}/Events`, { EventType: 'reservation.created' })).body.events;
    expect(created).toMatchObject({
      resource_type: 'reservation',
      resource_sid: offer!.sid,
      source: 'SYSTEM',
      event_data: {
        task_sid: task.sid,
        worker_sid: alice.sid,
        task_queue_sid: queue.sid,
        reservation_sid: offer!.sid,
      },
    });
  });
});

describe('event callbacks', () => {
  test('every event is POSTed form-encoded and signed, in order; EventsFilter narrows callbacks only', async () => {
    const { deliveries, callbackFetch } = recorder();
    const s = await scenario({
      callbackFetch,
      eventCallbackUrl: EVENTS_URL,
      eventsFilter: 'task.created,reservation.created,reservation.accepted,task.completed',
    });
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const alice = await s.worker('Alice', { languages: ['en'] });
    const task = await s.task(workflow.sid, { type: 'support' });
    const [offer] = await s.reservations(task.sid);
    await s.answer(task.sid, offer!.sid, { ReservationStatus: 'accepted' });
    await s.updateTask(task.sid, { AssignmentStatus: 'completed' });
    await s.emulator.idle();

    expect(deliveries.map((delivery) => delivery.params.EventType)).toEqual([
      'task.created',
      'reservation.created',
      'reservation.accepted',
      'task.completed',
    ]);
    for (const delivery of deliveries) {
      expect(delivery.url).toBe(EVENTS_URL);
      const valid = await validateRequestSignature(
        s.emulator.credentials.authToken,
        delivery.signature ?? '',
        delivery.url,
        delivery.params,
      );
      expect(valid).toBe(true);
    }
    const created = deliveries[1]!.params;
    expect(created).toMatchObject({
      AccountSid: s.emulator.credentials.accountSid,
      WorkspaceSid: s.sid,
      WorkspaceName: 'Routing',
      ResourceType: 'reservation',
      ResourceSid: offer!.sid,
      ReservationSid: offer!.sid,
      TaskSid: task.sid,
      TaskQueueSid: queue.sid,
      TaskAssignmentStatus: 'reserved',
      WorkerSid: alice.sid,
      WorkerName: 'Alice',
      WorkerActivityName: 'Available',
      Timestamp: String(Date.parse('2030-01-01T00:00:00Z') / 1000),
    });
    expect(JSON.parse(created.TaskAttributes!)).toEqual({ type: 'support' });
    expect(JSON.parse(created.WorkerAttributes!)).toEqual({ languages: ['en'] });
    // The Events API still lists what the filter kept out of callbacks.
    const listed = await s.eventTypes({ TaskSid: task.sid });
    expect(listed).toContain('workflow.target-matched');
    expect(listed).toContain('reservation.completed');
  });

  test('a failing callback endpoint breaks neither the request nor later deliveries', async () => {
    let calls = 0;
    const s = await scenario({
      eventCallbackUrl: EVENTS_URL,
      eventsFilter: 'task-queue.created',
      callbackFetch: async () => {
        calls++;
        if (calls === 1) throw new TypeError('connection refused');
        return new Response('oops', { status: 500 });
      },
    });
    const queue = await s.queue();
    expect(queue.sid).toMatch(/^WQ/);
    await s.emulator.idle();
    await s.queue();
    await s.emulator.idle();
    expect(calls).toBe(2);
  });
});

describe('assignment callbacks', () => {
  async function assigned(
    answer: Parameters<typeof recorder>[0],
    workflowParams = {},
    attributes: Record<string, unknown> = { type: 'support' },
  ) {
    const { deliveries, callbackFetch } = recorder(answer);
    const s = await scenario({ callbackFetch });
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid, {
      AssignmentCallbackUrl: ASSIGNMENT_URL,
      FallbackAssignmentCallbackUrl: FALLBACK_URL,
      ...workflowParams,
    });
    const alice = await s.worker('Alice', { contact_uri: 'client:alice' });
    s.emulator.clock.advance(1000);
    const bob = await s.worker('Bob');
    const task = await s.task(workflow.sid, attributes, { Priority: 4 });
    return { s, queue, workflow, alice, bob, task, deliveries };
  }

  test('the reservation is POSTed with the documented fields and a valid signature; accept is applied', async () => {
    const { s, queue, workflow, alice, task, deliveries } = await assigned(() =>
      Response.json({ instruction: 'accept' }),
    );
    // The request that created the task was answered before the callback ran.
    expect(task.assignment_status).toBe('reserved');
    await s.emulator.idle();
    const [offer] = await s.reservations(task.sid);
    expect(offer!.reservation_status).toBe('accepted');
    expect((await s.fetchTask(task.sid)).assignment_status).toBe('assigned');
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery!.url).toBe(ASSIGNMENT_URL);
    expect(delivery!.params).toEqual({
      Timestamp: String(Date.parse('2030-01-01T00:00:01Z') / 1000),
      AccountSid: s.emulator.credentials.accountSid,
      WorkspaceSid: s.sid,
      WorkflowSid: workflow.sid,
      TaskQueueSid: queue.sid,
      WorkerSid: alice.sid,
      WorkerAttributes: JSON.stringify({ contact_uri: 'client:alice' }),
      TaskSid: task.sid,
      TaskAttributes: JSON.stringify({ type: 'support' }),
      TaskAge: '0',
      TaskPriority: '4',
      ReservationSid: offer!.sid,
    });
    expect(
      await validateRequestSignature(
        s.emulator.credentials.authToken,
        delivery!.signature ?? '',
        delivery!.url,
        delivery!.params,
      ),
    ).toBe(true);
  });

  test('reject with an activity moves the worker and offers the task to the next worker', async () => {
    let answered = 0;
    const { s, alice, bob, task, deliveries } = await assigned(() =>
      answered++ === 0
        ? Response.json({ instruction: 'reject', activity_sid: s.activities.unavailable })
        : undefined,
    );
    await s.emulator.idle();
    expect((await s.fetchWorker(alice.sid)).activity_name).toBe('Unavailable');
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => [r.worker_sid, r.reservation_status])).toEqual([
      [alice.sid, 'rejected'],
      [bob.sid, 'pending'],
    ]);
    expect(deliveries.map((delivery) => delivery.params.WorkerSid)).toEqual([alice.sid, bob.sid]);
  });

  test('a failing URL falls back to FallbackAssignmentCallbackUrl; a plain 200 leaves the reservation pending', async () => {
    const { s, task, deliveries } = await assigned((url) =>
      url === ASSIGNMENT_URL ? new Response('down', { status: 503 }) : new Response('ok', { status: 200 }),
    );
    await s.emulator.idle();
    expect(deliveries.map((delivery) => delivery.url)).toEqual([ASSIGNMENT_URL, FALLBACK_URL]);
    expect((await s.reservations(task.sid))[0]!.reservation_status).toBe('pending');
  });

  test('an instruction needs a JSON answer', async () => {
    const { s, task } = await assigned(
      () => new Response('{"instruction":"accept"}', { headers: { 'content-type': 'text/plain' } }),
    );
    await s.emulator.idle();
    expect((await s.reservations(task.sid))[0]!.reservation_status).toBe('pending');
  });

  test.each([
    [{ instruction: 'dequeue', from: '+15550100', post_work_activity_sid: 'WA1' }, 'accepted'],
    [{ instruction: 'conference', to: 'client:alice' }, 'accepted'],
    [{ instruction: 'call', from: '+15550100', url: 'https://example.com/twiml' }, 'pending'],
    [{ instruction: 'call', from: '+15550100', url: 'https://example.com/twiml', accept: true }, 'accepted'],
    [
      {
        instruction: 'redirect',
        call_sid: `CA${'0'.repeat(32)}`,
        url: 'https://example.com/twiml',
        accept: 'true',
      },
      'accepted',
    ],
    [{ instruction: 'fly' }, 'pending'],
  ])('%o is recorded and leaves the reservation %s', async (answer, status) => {
    // A conference moves the caller's call, named by the task's call_sid, into the conference.
    const { s, task } = await assigned(
      () => Response.json(answer),
      {},
      {
        type: 'support',
        call_sid: `CA${'1'.repeat(32)}`,
      },
    );
    await s.emulator.idle();
    const [offer] = await s.reservations(task.sid);
    expect(offer!.reservation_status).toBe(status);
    const recorded = s.emulator.inspect.instructions(s.sid, offer!.sid);
    if (answer.instruction === 'fly') expect(recorded).toEqual([]);
    else {
      const { instruction, ...rest } = answer;
      expect(recorded).toEqual([
        {
          instruction,
          parameters: Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, String(value)])),
          at: Date.parse('2030-01-01T00:00:01Z'),
        },
      ]);
    }
  });

  test.each([
    ['dequeue', { instruction: 'dequeue', from: '+15550100' }, true],
    ['call', { instruction: 'call', from: '+15550100', url: 'https://example.com/twiml' }, true],
    ['conference', { instruction: 'conference', to: 'client:alice' }, false],
  ])('an answered %s instruction adds worker_call_sid to the task: %s', async (_, answer, adds) => {
    const { s, task } = await assigned(() => Response.json(answer));
    await s.emulator.idle();
    const [after] = s.emulator.inspect.tasks(s.sid).filter((item) => item.sid === task.sid);
    const attributes = JSON.parse(after!.attributes);
    if (adds) expect(attributes.worker_call_sid).toMatch(/^CA[0-9a-f]{32}$/);
    else expect(attributes).not.toHaveProperty('worker_call_sid');
  });

  test('an answer that arrives after the reservation ended is ignored', async () => {
    let release: (response: Response) => void = () => {};
    const late = new Promise<Response>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { s, task, alice } = await assigned(() => (calls++ === 0 ? late : undefined));
    const [offer] = await s.reservations(task.sid);
    await s.answer(task.sid, offer!.sid, { ReservationStatus: 'rejected' });
    release(Response.json({ instruction: 'accept' }));
    await s.emulator.idle();
    const offers = await s.reservations(task.sid);
    expect(offers.map((r) => [r.worker_sid === alice.sid, r.reservation_status])).toEqual([
      [true, 'rejected'],
      [false, 'pending'],
    ]);
  });
});
