import type { Schemas } from '@taskrouter/core';
import { describe, expectTypeOf, test } from 'vitest';
import { createEmulator, type ResourceBody } from '../src/index.js';

const emulator = createEmulator();

describe('seed and inspect results', () => {
  test('type the fields TaskRouter always sets without null', () => {
    const workspace = emulator.seed.workspace();
    expectTypeOf(workspace.sid).toEqualTypeOf<string>();
    expectTypeOf(workspace.date_created).toEqualTypeOf<string>();
    expectTypeOf(workspace.links).toEqualTypeOf<{ [key: string]: string }>();
    const task = emulator.seed.task(workspace.sid);
    expectTypeOf(task.workspace_sid).toEqualTypeOf<string>();
    expectTypeOf(task.attributes).toEqualTypeOf<string>();
    expectTypeOf(emulator.inspect.workers(workspace.sid)[0]!.friendly_name).toEqualTypeOf<string>();
    expectTypeOf(emulator.seed.reservation).returns.toHaveProperty('task_sid');
  });

  test('keep the spec field names and the nullability of the other fields', () => {
    const task = emulator.seed.task('WS00000000000000000000000000000000');
    expectTypeOf(task.reason).toEqualTypeOf<Schemas['taskrouter.v1.workspace.task']['reason']>();
    expectTypeOf(task.task_queue_sid).toEqualTypeOf<string | null>();
    expectTypeOf<keyof ResourceBody<'taskrouter.v1.workspace.task'>>().toEqualTypeOf<
      keyof Schemas['taskrouter.v1.workspace.task']
    >();
    // @ts-expect-error snake_case only: no camelCase view here
    task.workspaceSid;
  });
});
