import { expect, expectTypeOf, test } from 'vitest';
import { createEmulator, type CallRecord, type OverrideRule } from '../src/index.js';
import '../src/vitest.js';

const emulator = createEmulator();

test('emulator.on is typed by operation id and its parameters', () => {
  expectTypeOf(
    emulator.on('CreateTask', { Priority: 10, Attributes: { type: 'vip' } }),
  ).toEqualTypeOf<OverrideRule>();
  emulator.on('ListTask', { WorkspaceSid: 'WS1', AssignmentStatus: ['pending'] });
  emulator.on('FetchWorker', { Sid: 'WK1' });
  // @ts-expect-error no such operation
  emulator.on('CreateTicket');
  // @ts-expect-error CreateTask has no FriendlyName
  emulator.on('CreateTask', { FriendlyName: 'x' });
  expectTypeOf(emulator.calls('CreateTask')).toEqualTypeOf<CallRecord[]>();
  // @ts-expect-error no such operation
  emulator.calls('CreateTicket');
});

test('the matchers type-check on expect', () => {
  expect(emulator).toHaveReceivedOperation('CreateTask', { Priority: 3 });
  expect(emulator).not.toHaveDeliveredCallback('event', { EventType: 'task.created' });
  // @ts-expect-error CreateWorkspace has no Priority
  expect(emulator).toHaveReceivedOperation('CreateWorkspace', { Priority: 3 });
  // @ts-expect-error only event and assignment callbacks exist
  expect(emulator).toHaveDeliveredCallback('status');
});
