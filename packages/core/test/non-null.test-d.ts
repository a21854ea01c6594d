import { describe, expectTypeOf, test } from 'vitest';
import type { NonNullFields, Schemas } from '../src/index.js';

type Task = Schemas['taskrouter.v1.workspace.task'];

describe('NonNullFields', () => {
  test('removes null from the named fields only', () => {
    type Narrowed = NonNullFields<Task, 'sid' | 'workspace_sid'>;
    expectTypeOf<Narrowed['sid']>().toEqualTypeOf<string>();
    expectTypeOf<Narrowed['workspace_sid']>().toEqualTypeOf<string>();
    expectTypeOf<Narrowed['reason']>().toEqualTypeOf<Task['reason']>();
    expectTypeOf<Task['sid']>().toEqualTypeOf<string | null>();
  });

  test('keeps optional fields optional and ignores keys the type lacks', () => {
    type Narrowed = NonNullFields<{ a?: string | null; b: number | null }, 'a' | 'missing'>;
    expectTypeOf<Narrowed>().toEqualTypeOf<{ a?: string; b: number | null }>();
    // @ts-expect-error the narrowed field no longer accepts null
    const value: Narrowed = { a: null, b: null };
    expectTypeOf(value).not.toBeAny();
  });
});
