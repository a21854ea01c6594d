/**
 * `T` with the fields named in `Keys` typed without `null` (and without `undefined`); every other
 * field, and whether a field is optional, stays as in `T`. Keys that `T` lacks are ignored, so one
 * list of keys fits many schemas.
 *
 * The spec marks most response fields nullable, including those TaskRouter always fills in, such as
 * `sid` or `date_created`. This narrows such fields where code knows they are set.
 *
 * @example
 * ```ts
 * import type { NonNullFields, Schemas } from '@taskrouter/core';
 *
 * type Task = NonNullFields<Schemas['taskrouter.v1.workspace.task'], 'sid' | 'workspace_sid'>;
 * declare const task: Task;
 * const sid: string = task.sid; // no `!` needed
 * ```
 */
export type NonNullFields<T, Keys extends PropertyKey> = {
  [K in keyof T]: K extends Keys ? NonNullable<T[K]> : T[K];
};
