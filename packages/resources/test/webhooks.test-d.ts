import { describe, expectTypeOf, it } from 'vitest';
import type { JsonObject } from '../src/index.js';
import {
  type AssignmentCallback,
  type AssignmentInstruction,
  type EventCallback,
  type EventTypesByResource,
  instruction,
  type KnownEventCallback,
  type KnownEventType,
  parseAssignmentCallback,
  parseEventCallback,
  type RejectInstruction,
  type ResourceOfEvent,
  type SnakeCase,
  type TaskRouterCallback,
  type UnknownEventCallback,
  type WebhookOutcome,
  type WebhookRejection,
} from '../src/webhooks.js';

interface Ticket {
  language: string;
}
interface Agent {
  languages: string[];
}

declare const event: EventCallback<Ticket, Agent>;
declare const callback: TaskRouterCallback<Ticket, Agent>;
declare const outcome: WebhookOutcome<Ticket, Agent>;

describe('event type names', () => {
  it('knows every documented type and no other', () => {
    expectTypeOf<'task-queue.expression.updated'>().toExtend<KnownEventType>();
    expectTypeOf<'worker.channel.availability.update'>().toExtend<KnownEventType>();
    expectTypeOf<'task.transfer-attempt-failed'>().toExtend<KnownEventType>();
    expectTypeOf<'task.transfer-attempt'>().not.toExtend<KnownEventType>();
    expectTypeOf<'reservation.created '>().not.toExtend<KnownEventType>();
    expectTypeOf<string>().not.toExtend<KnownEventType>();
  });

  it('finds the resource kind of each type', () => {
    expectTypeOf<ResourceOfEvent<'task-queue.entered'>>().toEqualTypeOf<'taskQueue'>();
    expectTypeOf<ResourceOfEvent<'worker.capacity.update'>>().toEqualTypeOf<'worker'>();
    expectTypeOf<ResourceOfEvent<'reservation.wrapup'>>().toEqualTypeOf<'reservation'>();
    expectTypeOf<ResourceOfEvent<'workflow.target-matched'>>().toEqualTypeOf<'workflow'>();
    expectTypeOf<ResourceOfEvent<'task-channel.updated'>>().toEqualTypeOf<'taskChannel'>();
    expectTypeOf<keyof EventTypesByResource>().toEqualTypeOf<
      'activity' | 'reservation' | 'task' | 'taskChannel' | 'taskQueue' | 'worker' | 'workflow' | 'workspace'
    >();
  });
});

describe('EventCallback narrowing', () => {
  it('keeps an unknown type apart, with only the common fields', () => {
    if (!event.known) {
      expectTypeOf(event).toEqualTypeOf<UnknownEventCallback>();
      expectTypeOf(event.eventType).toEqualTypeOf<string>();
      expectTypeOf(event.fields).toEqualTypeOf<Readonly<Record<string, string>>>();
      // @ts-expect-error an unknown event names no task
      void event.taskSid;
    }
  });

  it('narrows by eventType to the fields that event carries', () => {
    if (!event.known) return;
    switch (event.eventType) {
      case 'reservation.accepted':
        expectTypeOf(event.reservationSid).toEqualTypeOf<string>();
        expectTypeOf(event.taskSid).toEqualTypeOf<string>();
        expectTypeOf(event.workerSid).toEqualTypeOf<string>();
        expectTypeOf(event.taskAttributes).toEqualTypeOf<Ticket | undefined>();
        expectTypeOf(event.workerAttributes).toEqualTypeOf<Agent | undefined>();
        break;
      case 'worker.activity.update':
        expectTypeOf(event.workerSid).toEqualTypeOf<string>();
        expectTypeOf(event.workerTimeInPreviousActivityMs).toEqualTypeOf<number | undefined>();
        // @ts-expect-error a worker event has no reservation
        void event.reservationSid;
        break;
      case 'task-queue.entered':
        expectTypeOf(event.taskQueueSid).toEqualTypeOf<string>();
        expectTypeOf(event.taskSid).toEqualTypeOf<string | undefined>();
        break;
      case 'task.canceled':
        expectTypeOf(event.taskCanceledReason).toEqualTypeOf<string | undefined>();
        expectTypeOf(event.taskAssignmentStatus).toExtend<string | undefined>();
        // @ts-expect-error a task event names no worker
        void event.workerSid;
        break;
      case 'workflow.target-matched':
        expectTypeOf(event.workflowSid).toEqualTypeOf<string>();
        expectTypeOf(event.workflowFilterName).toEqualTypeOf<string | undefined>();
        break;
      case 'workspace.updated':
        // @ts-expect-error a workspace event names no task
        void event.taskSid;
        break;
      default:
        expectTypeOf(event.eventType).toExtend<KnownEventType>();
    }
  });

  it('is the union of one member per known type plus the unknown one', () => {
    expectTypeOf<Extract<EventCallback, { eventType: 'task.created' }>>().toEqualTypeOf<
      KnownEventCallback<'task.created', JsonObject, JsonObject>
    >();
    expectTypeOf<Extract<EventCallback, { known: false }>>().toEqualTypeOf<UnknownEventCallback>();
  });

  it('carries the attribute types given to the parser', () => {
    expectTypeOf(parseEventCallback<Ticket, Agent>('')).toEqualTypeOf<EventCallback<Ticket, Agent>>();
    expectTypeOf(parseEventCallback(new Request('https://example.com'))).toEqualTypeOf<
      Promise<EventCallback>
    >();
    expectTypeOf(parseAssignmentCallback<Ticket, Agent>('').taskAttributes).toEqualTypeOf<Ticket>();
  });
});

describe('receiveWebhook outcome', () => {
  it('tells callbacks apart by kind', () => {
    if (callback.kind === 'assignment') {
      expectTypeOf(callback).toEqualTypeOf<AssignmentCallback<Ticket, Agent>>();
    } else {
      expectTypeOf(callback).toEqualTypeOf<EventCallback<Ticket, Agent>>();
    }
  });

  it('gives a callback or a rejection, and a field only for a malformed one', () => {
    if (outcome.ok) {
      expectTypeOf(outcome.callback).toEqualTypeOf<TaskRouterCallback<Ticket, Agent>>();
      // @ts-expect-error an accepted request has no rejection
      void outcome.rejection;
      return;
    }
    const { rejection } = outcome;
    expectTypeOf(rejection).toEqualTypeOf<WebhookRejection>();
    if (rejection.reason === 'malformed-callback') {
      expectTypeOf(rejection.status).toEqualTypeOf<400>();
      expectTypeOf(rejection.field).toEqualTypeOf<string>();
    } else {
      expectTypeOf(rejection.status).toEqualTypeOf<405 | 415 | 403>();
      // @ts-expect-error only a malformed callback names a field
      void rejection.field;
    }
  });
});

describe('instructions', () => {
  it('snake_cases option names and flattens lists to text', () => {
    expectTypeOf<SnakeCase<'postWorkActivitySid'>>().toEqualTypeOf<'post_work_activity_sid'>();
    const dequeue = instruction.dequeue({ from: '+15550100', statusCallbackEvents: ['answered'] });
    expectTypeOf(dequeue.instruction).toEqualTypeOf<'dequeue'>();
    expectTypeOf(dequeue.status_callback_events).toEqualTypeOf<string | undefined>();
    expectTypeOf(dequeue.post_work_activity_sid).toEqualTypeOf<string | undefined>();
    expectTypeOf(dequeue.from).toEqualTypeOf<string>();
    expectTypeOf(instruction.reject()).toEqualTypeOf<RejectInstruction>();
  });

  it('refuses options an instruction does not take, and requires its required ones', () => {
    // @ts-expect-error dequeue needs `from`
    instruction.dequeue({});
    // @ts-expect-error reject takes no `url`
    instruction.reject({ url: 'https://example.com' });
    // @ts-expect-error call needs `url`
    instruction.call({ from: '+15550100' });
    // @ts-expect-error a status callback method is GET or POST
    instruction.conference({ conferenceStatusCallbackMethod: 'PUT' });
  });

  it('makes a union discriminated by the instruction name', () => {
    expectTypeOf<AssignmentInstruction['instruction']>().toEqualTypeOf<
      'accept' | 'reject' | 'dequeue' | 'call' | 'conference' | 'redirect'
    >();
    expectTypeOf<
      Extract<AssignmentInstruction, { instruction: 'redirect' }>['call_sid']
    >().toEqualTypeOf<string>();
  });
});
