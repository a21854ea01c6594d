import { computeRequestSignature } from '@taskrouter/core';
import { TaskRouterClient, TaskRouterValidationError } from '@taskrouter/resources';
import {
  type AssignmentCallback,
  type AssignmentInstruction,
  type EventCallback,
  instruction,
  parseAssignmentCallback,
  parseEventCallback,
  receiveWebhook,
} from '@taskrouter/resources/webhooks';
import { createEmulator } from '@taskrouter/testing-mocks';
import { describe, expect, test } from 'vitest';

const AUTH_TOKEN = 'webhook-test-token';
const ASSIGNMENT_URL = 'https://app.example.com/taskrouter/assignment?tenant=eu';
const EVENTS_URL = 'https://app.example.com/taskrouter/events';
const WA = `WA${'1'.repeat(32)}`;
const CA = `CA${'2'.repeat(32)}`;

interface Ticket {
  language: string;
}
interface Agent {
  languages: string[];
}

/**
 * A workspace whose callbacks reach `answer` as web Requests, signed by the emulator; every
 * delivered request is kept (cloned) for the test to inspect.
 */
async function desk(
  answer: (request: Request) => Promise<Response> = async () => new Response(null, { status: 204 }),
) {
  const delivered: Request[] = [];
  const emulator = createEmulator({
    authToken: AUTH_TOKEN,
    callbackFetch: async (input, init) => {
      const request = new Request(input, init);
      delivered.push(request.clone());
      return answer(request);
    },
  });
  const client = new TaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
  const workspace = await client.workspaces.create({ friendlyName: 'Desk', eventCallbackUrl: EVENTS_URL });
  const activities = await client.activities(workspace.sid).list().toArray();
  const activity = (name: string) => activities.find((each) => each.friendlyName === name)!.sid;
  const queue = await client.taskQueues(workspace.sid).create({ friendlyName: 'All', targetWorkers: '1==1' });
  const workflow = await client.workflows(workspace.sid).create({
    friendlyName: 'Desk',
    assignmentCallbackUrl: ASSIGNMENT_URL,
    configuration: { task_routing: { default_filter: { queue: queue.sid } } },
  });
  const worker = await client.workers<Agent>(workspace.sid).create({
    friendlyName: 'Amélie',
    attributes: { languages: ['fr', 'en'] },
    activitySid: activity('Available'),
  });
  return { emulator, client, workspace, queue, workflow, worker, activity, delivered };
}

const isAssignment = (request: Request) => request.url === ASSIGNMENT_URL;

describe('assignment callbacks', () => {
  test('parses the signed callback the emulator sends into typed camelCase fields', async () => {
    const { emulator, client, workspace, queue, workflow, worker, delivered } = await desk();
    const task = await client
      .tasks<Ticket>(workspace.sid)
      .create({ attributes: { language: 'fr' }, priority: 7 });
    await emulator.idle();
    const request = delivered.find(isAssignment)!;
    const [reservation] = await client.taskReservations(workspace.sid, task.sid).list().toArray();

    const callback = await parseAssignmentCallback<Ticket, Agent>(request);
    expect(callback).toMatchObject({
      kind: 'assignment',
      accountSid: emulator.credentials.accountSid,
      workspaceSid: workspace.sid,
      workflowSid: workflow.sid,
      taskQueueSid: queue.sid,
      taskSid: task.sid,
      taskAttributes: { language: 'fr' },
      taskPriority: 7,
      taskAge: 0,
      workerSid: worker.sid,
      workerAttributes: { languages: ['fr', 'en'] },
      reservationSid: reservation!.sid,
    });
    expect(callback.timestamp).toBeInstanceOf(Date);
    expect(callback.timestamp.getTime()).toBe(
      Number(callback.fields.TimestampMs ?? callback.fields.Timestamp) *
        (callback.fields.TimestampMs ? 1 : 1000),
    );
    expect(callback.workerAttributes.languages).toContain(callback.taskAttributes.language);
  });

  test('names the missing or malformed field', () => {
    const fields = {
      AccountSid: `AC${'0'.repeat(32)}`,
      WorkspaceSid: `WS${'0'.repeat(32)}`,
      TaskSid: `WT${'0'.repeat(32)}`,
      WorkerSid: `WK${'0'.repeat(32)}`,
      ReservationSid: `WR${'0'.repeat(32)}`,
      Timestamp: '1700000000',
      TaskAttributes: '{"a":1}',
    };
    expect(parseAssignmentCallback(fields).timestamp.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    const failure = (input: Record<string, string | undefined>) => {
      try {
        parseAssignmentCallback(input);
      } catch (error) {
        return error instanceof TaskRouterValidationError ? [error.field, error.reason] : error;
      }
      return 'parsed';
    };
    expect(failure({ ...fields, ReservationSid: undefined })).toEqual([
      'ReservationSid',
      'is missing from the callback',
    ]);
    expect(failure({ ...fields, TaskAttributes: '{oops' })).toEqual([
      'TaskAttributes',
      'is not valid JSON text',
    ]);
    expect(failure({ ...fields, WorkerAttributes: '[1]' })).toEqual([
      'WorkerAttributes',
      'is not a JSON object',
    ]);
    expect(failure({ ...fields, TaskAge: 'old' })).toEqual(['TaskAge', 'is not a number: "old"']);
    expect(failure({ ...fields, Timestamp: 'yesterday' })).toEqual([
      'Timestamp',
      'is not a date: "yesterday"',
    ]);
  });

  test('field names such as __proto__ and constructor stay plain fields', () => {
    const body =
      'AccountSid=AC1&WorkspaceSid=WS1&TaskSid=WT1&WorkerSid=WK1&ReservationSid=WR1&Timestamp=1' +
      '&__proto__=polluted&constructor=x&TaskAttributes=%7B%22__proto__%22%3A%7B%22admin%22%3Atrue%7D%7D';
    const callback = parseAssignmentCallback(body);
    expect(Object.getOwnPropertyDescriptor(callback.fields, '__proto__')?.value).toBe('polluted');
    expect(callback.fields.constructor).toBe('x');
    expect(Object.getPrototypeOf(callback.fields)).toBeNull();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe('instruction builders', () => {
  test('produce exactly the JSON TaskRouter reads', () => {
    expect(instruction.accept()).toEqual({ instruction: 'accept' });
    expect(instruction.reject()).toEqual({ instruction: 'reject' });
    expect(instruction.reject({ activitySid: WA })).toEqual({ instruction: 'reject', activity_sid: WA });
    expect(
      instruction.dequeue({
        from: '+15550100',
        to: 'client:amelie',
        postWorkActivitySid: WA,
        record: 'record-from-answer',
        timeout: 30,
        statusCallbackUrl: 'https://example.com/calls',
        statusCallbackEvents: ['initiated', 'completed'],
        // undefined options are left out, as with exactOptionalPropertyTypes callers pass them
      }),
    ).toEqual({
      instruction: 'dequeue',
      from: '+15550100',
      to: 'client:amelie',
      post_work_activity_sid: WA,
      record: 'record-from-answer',
      timeout: 30,
      status_callback_url: 'https://example.com/calls',
      status_callback_events: 'initiated,completed',
    });
    expect(
      instruction.call({ from: '+15550100', url: 'https://example.com/twiml', accept: true, to: undefined }),
    ).toEqual({
      instruction: 'call',
      from: '+15550100',
      url: 'https://example.com/twiml',
      accept: true,
    });
    expect(instruction.redirect({ callSid: CA, url: 'https://example.com/queue', accept: false })).toEqual({
      instruction: 'redirect',
      call_sid: CA,
      url: 'https://example.com/queue',
      accept: false,
    });
    expect(
      instruction.conference({
        from: '+15550100',
        postWorkActivitySid: WA,
        endConferenceOnCustomerExit: true,
        maxParticipants: 3,
        conferenceStatusCallback: 'https://example.com/conference',
        conferenceStatusCallbackEvent: ['start', 'join', 'leave'],
        sipAuthUsername: 'agent',
        sipAuthPassword: 'secret',
      }),
    ).toEqual({
      instruction: 'conference',
      from: '+15550100',
      post_work_activity_sid: WA,
      end_conference_on_customer_exit: true,
      max_participants: 3,
      conference_status_callback: 'https://example.com/conference',
      conference_status_callback_event: 'start,join,leave',
      sip_auth_username: 'agent',
      sip_auth_password: 'secret',
    });
    expect(instruction.conference()).toEqual({ instruction: 'conference' });
  });

  test('refuse invalid options and combinations, naming the field', () => {
    const refusal = (build: () => AssignmentInstruction) => {
      try {
        build();
      } catch (error) {
        return error instanceof TaskRouterValidationError ? [error.field, error.reason] : error;
      }
      return 'built';
    };
    expect(refusal(() => instruction.reject({ activitySid: 'WK123' }))).toEqual([
      'activitySid',
      'must be a WA SID (34 characters)',
    ]);
    // @ts-expect-error from is required
    expect(refusal(() => instruction.dequeue({}))).toEqual([
      'from',
      'is required by the dequeue instruction',
    ]);
    expect(refusal(() => instruction.dequeue({ from: '+1', timeout: 1000 }))).toEqual([
      'timeout',
      'must be a whole number from 1 to 999',
    ]);
    expect(refusal(() => instruction.dequeue({ from: '+1', statusCallbackEvents: ['answered'] }))).toEqual([
      'statusCallbackEvents',
      'needs statusCallbackUrl in the dequeue instruction',
    ]);
    expect(
      refusal(() =>
        instruction.dequeue({
          from: '+1',
          statusCallbackUrl: 'https://e.com',
          // @ts-expect-error not a call event
          statusCallbackEvents: ['hangup'],
        }),
      ),
    ).toEqual(['statusCallbackEvents', 'may only hold initiated, ringing, answered, completed']);
    expect(refusal(() => instruction.call({ from: '+1', url: 'ftp://example.com/twiml' }))).toEqual([
      'url',
      'must be an absolute http or https URL',
    ]);
    // @ts-expect-error accept belongs to call and redirect
    expect(refusal(() => instruction.dequeue({ from: '+1', accept: true }))).toEqual([
      'accept',
      'is not an option of the dequeue instruction',
    ]);
    expect(refusal(() => instruction.redirect({ callSid: WA, url: 'https://example.com' }))).toEqual([
      'callSid',
      'must be a CA SID (34 characters)',
    ]);
    expect(refusal(() => instruction.conference({ maxParticipants: 1 }))).toEqual([
      'maxParticipants',
      'must be a whole number from 2 to 250',
    ]);
    expect(refusal(() => instruction.conference({ waitMethod: 'GET' }))).toEqual([
      'waitMethod',
      'needs waitUrl in the conference instruction',
    ]);
    expect(refusal(() => instruction.conference({ sipAuthUsername: 'agent' }))).toEqual([
      'sipAuthUsername',
      'needs sipAuthPassword in the conference instruction',
    ]);
    // @ts-expect-error not a beep mode
    expect(refusal(() => instruction.conference({ beep: 'loud' }))).toEqual([
      'beep',
      'must be one of true, false, onEnter, onExit',
    ]);
    // @ts-expect-error a string, not a boolean
    expect(refusal(() => instruction.call({ from: '+1', url: 'https://e.com', accept: 'yes' }))).toEqual([
      'accept',
      'must be true or false',
    ]);
  });

  test('the emulator carries out each instruction answered to its callback', async () => {
    const answers: AssignmentInstruction[] = [];
    const { emulator, client, workspace, worker, activity } = await desk(async (request) =>
      isAssignment(request) && answers.length > 0
        ? Response.json(answers.shift())
        : new Response(null, { status: 204 }),
    );
    const tasks = client.tasks(workspace.sid);

    answers.push(instruction.reject({ activitySid: activity('Offline') }));
    const rejected = await tasks.create({ attributes: { language: 'fr' } });
    await emulator.idle();
    expect((await client.workers(workspace.sid).get(worker.sid)).activityName).toBe('Offline');
    expect((await tasks.get(rejected.sid)).assignmentStatus).toBe('pending');
    await tasks.update(rejected.sid, { assignmentStatus: 'canceled' });

    await client.workers(workspace.sid).update(worker.sid, { activitySid: activity('Available') });
    answers.push(instruction.call({ from: '+15550100', url: 'https://example.com/twiml', accept: true }));
    const called = await tasks.create({ attributes: { language: 'fr' } });
    await emulator.idle();
    const accepted = await tasks.get(called.sid);
    expect(accepted.assignmentStatus).toBe('assigned');
    expect(accepted.attributes.worker_call_sid).toMatch(/^CA/);
    const [reservation] = await client.taskReservations(workspace.sid, called.sid).list().toArray();
    expect(emulator.inspect.instructions(workspace.sid, reservation!.sid)).toMatchObject([
      {
        instruction: 'call',
        parameters: { from: '+15550100', url: 'https://example.com/twiml', accept: 'true' },
      },
    ]);
  });
});

describe('event callbacks', () => {
  test('parses the emulator’s signed events into the variant of their type', async () => {
    const { emulator, client, workspace, worker, queue, delivered } = await desk();
    const task = await client.tasks<Ticket>(workspace.sid).create({ attributes: { language: 'fr' } });
    await emulator.idle();

    const events: EventCallback<Ticket, Agent>[] = [];
    for (const request of delivered.filter((each) => each.url === EVENTS_URL)) {
      events.push(await parseEventCallback<Ticket, Agent>(request));
    }
    const types = events.map((event) => event.eventType);
    expect(types).toEqual(
      expect.arrayContaining(['task.created', 'task-queue.entered', 'reservation.created']),
    );
    for (const event of events) {
      expect(event).toMatchObject({ kind: 'event', known: true, workspaceSid: workspace.sid });
      if (!event.known) continue;
      switch (event.eventType) {
        case 'reservation.created':
          expect(event.reservationSid).toMatch(/^WR/);
          expect(event.workerSid).toBe(worker.sid);
          expect(event.workerAttributes?.languages).toEqual(['fr', 'en']);
          expect(event.taskAttributes?.language).toBe('fr');
          break;
        case 'task.created':
          expect(event.taskSid).toBe(task.sid);
          expect(event.taskAssignmentStatus).toBe('pending');
          expect(event.taskPriority).toBe(0);
          break;
        case 'task-queue.entered':
          expect(event.taskQueueSid).toBe(queue.sid);
          expect(event.taskSid).toBe(task.sid);
          break;
      }
    }
  });

  test('worker activity changes carry the previous activity', async () => {
    const { emulator, client, workspace, worker, activity, delivered } = await desk();
    await client.workers(workspace.sid).update(worker.sid, { activitySid: activity('Offline') });
    await emulator.idle();
    const events = await Promise.all(
      delivered.filter((each) => each.url === EVENTS_URL).map((each) => parseEventCallback(each)),
    );
    const change = events.find((event) => event.eventType === 'worker.activity.update');
    if (!change?.known || change.eventType !== 'worker.activity.update')
      throw new Error('no activity change');
    expect(change).toMatchObject({ workerSid: worker.sid, workerActivityName: 'Offline' });
    expect(change.workerPreviousActivitySid).toBe(activity('Available'));
    expect(typeof change.workerTimeInPreviousActivity).toBe('number');
  });

  test('an unknown event type is kept as a generic variant', () => {
    const event = parseEventCallback(
      'EventType=task.teleported&AccountSid=AC1&WorkspaceSid=WS1&Timestamp=1700000000&Galaxy=far',
    );
    expect(event).toMatchObject({ kind: 'event', known: false, eventType: 'task.teleported' });
    expect(event.fields.Galaxy).toBe('far');
  });

  test('a known event without the field its kind needs is refused, naming it', () => {
    expect(() =>
      parseEventCallback('EventType=task.created&AccountSid=AC1&WorkspaceSid=WS1&Timestamp=1'),
    ).toThrow(expect.objectContaining({ field: 'TaskSid' }));
  });
});

describe('receiveWebhook', () => {
  async function signedRequest(url: string, fields: Record<string, string>, init: RequestInit = {}) {
    const signature = await computeRequestSignature(AUTH_TOKEN, url, fields);
    return new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(fields),
      ...init,
    });
  }

  test('accepts the emulator’s real callbacks and tells the kinds apart', async () => {
    const { emulator, client, workspace, delivered } = await desk();
    await client.tasks(workspace.sid).create({ attributes: { language: 'fr' } });
    await emulator.idle();
    const outcomes = await Promise.all(
      delivered.map((request) => receiveWebhook<Ticket, Agent>(request, { authToken: AUTH_TOKEN })),
    );
    const kinds = outcomes.map((outcome) => (outcome.ok ? outcome.callback.kind : outcome.rejection.reason));
    expect(kinds).toContain('assignment');
    expect(kinds).toContain('event');
    expect(kinds.every((kind) => kind === 'assignment' || kind === 'event')).toBe(true);
    const assignment = outcomes.find(
      (outcome): outcome is { ok: true; callback: AssignmentCallback<Ticket, Agent> } =>
        outcome.ok && outcome.callback.kind === 'assignment',
    );
    expect(assignment?.callback.taskAttributes.language).toBe('fr');
  });

  test('refuses with a typed rejection: tampering, wrong method, wrong media type, malformed fields', async () => {
    const fields = { EventType: 'workspace.updated', AccountSid: 'AC1', WorkspaceSid: 'WS1', Timestamp: '1' };
    const good = await signedRequest(EVENTS_URL, fields);
    expect((await receiveWebhook(good, { authToken: AUTH_TOKEN })).ok).toBe(true);

    const tampered = await signedRequest(EVENTS_URL, fields, {
      body: new URLSearchParams({ ...fields, WorkspaceSid: 'WS2' }),
    });
    expect(await receiveWebhook(tampered, { authToken: AUTH_TOKEN })).toEqual({
      ok: false,
      rejection: { reason: 'invalid-signature', status: 403, message: expect.any(String) },
    });
    const wrongToken = await signedRequest(EVENTS_URL, fields);
    expect(await receiveWebhook(wrongToken, { authToken: 'another-token' })).toMatchObject({
      rejection: { status: 403 },
    });
    const get = new Request(EVENTS_URL, { method: 'GET' });
    expect(await receiveWebhook(get, { authToken: AUTH_TOKEN })).toMatchObject({
      ok: false,
      rejection: { reason: 'method-not-allowed', status: 405 },
    });
    const json = await signedRequest(EVENTS_URL, fields, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
    expect(await receiveWebhook(json, { authToken: AUTH_TOKEN })).toMatchObject({
      rejection: { reason: 'unsupported-media-type', status: 415 },
    });
    const malformed = await signedRequest(EVENTS_URL, { ...fields, EventType: 'task.created' });
    expect(await receiveWebhook(malformed, { authToken: AUTH_TOKEN })).toMatchObject({
      ok: false,
      rejection: { reason: 'malformed-callback', status: 400, field: 'TaskSid' },
    });
  });

  test('checks the signature against the public URL when told', async () => {
    const fields = { EventType: 'workspace.updated', AccountSid: 'AC1', WorkspaceSid: 'WS1', Timestamp: '1' };
    const signed = await signedRequest(EVENTS_URL, fields);
    const seenByServer = new Request('http://10.0.0.7:8080/taskrouter/events', {
      method: 'POST',
      headers: signed.headers,
      body: await signed.text(),
    });
    expect((await receiveWebhook(seenByServer.clone(), { authToken: AUTH_TOKEN })).ok).toBe(false);
    expect((await receiveWebhook(seenByServer, { authToken: AUTH_TOKEN, url: EVENTS_URL })).ok).toBe(true);
  });

  test('takes a Node request whose body was read or parsed', async () => {
    const fields = { EventType: 'workspace.updated', AccountSid: 'AC1', WorkspaceSid: 'WS1', Timestamp: '1' };
    const signature = await computeRequestSignature(AUTH_TOKEN, EVENTS_URL, fields);
    const headers = {
      host: 'app.example.com',
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    };
    const fromText = {
      method: 'POST',
      url: '/taskrouter/events',
      headers,
      body: new URLSearchParams(fields).toString(),
    };
    expect(await receiveWebhook(fromText, { authToken: AUTH_TOKEN })).toMatchObject({
      ok: true,
      callback: { kind: 'event', eventType: 'workspace.updated', known: true },
    });
    const fromParser = { ...fromText, body: fields };
    expect((await receiveWebhook(fromParser, { authToken: AUTH_TOKEN })).ok).toBe(true);
    expect((await receiveWebhook({ ...fromText, method: 'PUT' }, { authToken: AUTH_TOKEN })).ok).toBe(false);
  });
});

describe('event types', () => {
  test('every event type TaskRouter documents is known, and its kind carries its fields', () => {
    const documented = [
      ...['activity.created', 'activity.updated', 'activity.deleted'],
      ...['reservation.created', 'reservation.accepted', 'reservation.rejected', 'reservation.timeout'],
      ...['reservation.canceled', 'reservation.rescinded', 'reservation.completed', 'reservation.failed'],
      ...[
        'reservation.wrapup',
        'task.created',
        'task.updated',
        'task.canceled',
        'task.wrapup',
        'task.completed',
      ],
      ...['task.deleted', 'task.system-deleted', 'task.transfer-initiated', 'task.transfer-attempt-failed'],
      ...['task.transfer-failed', 'task.transfer-canceled', 'task.transfer-completed'],
      ...['task-channel.created', 'task-channel.updated', 'task-channel.deleted', 'task-queue.created'],
      ...['task-queue.deleted', 'task-queue.entered', 'task-queue.timeout', 'task-queue.moved'],
      ...[
        'task-queue.expression.updated',
        'worker.created',
        'worker.activity.update',
        'worker.attributes.update',
      ],
      ...[
        'worker.capacity.update',
        'worker.channel.availability.update',
        'worker.deleted',
        'workflow.created',
      ],
      ...['workflow.updated', 'workflow.deleted', 'workflow.target-matched', 'workflow.entered'],
      ...[
        'workflow.timeout',
        'workflow.skipped',
        'workspace.created',
        'workspace.updated',
        'workspace.deleted',
      ],
    ];
    const every = {
      AccountSid: 'AC1',
      WorkspaceSid: 'WS1',
      Timestamp: '1',
      ReservationSid: 'WR1',
      TaskSid: 'WT1',
      WorkerSid: 'WK1',
      TaskChannelSid: 'TC1',
      TaskQueueSid: 'WQ1',
      WorkflowSid: 'WW1',
    };
    for (const EventType of documented) {
      expect(parseEventCallback({ ...every, EventType }), EventType).toMatchObject({
        known: true,
        eventType: EventType,
      });
    }
    expect(documented).toHaveLength(49);
  });
});
