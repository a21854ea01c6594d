import type { NonNullFields, Schemas } from '@taskrouter/core';

/**
 * Response fields TaskRouter fills in on every resource that has them. The spec marks them
 * nullable; the emulator's bodies type them without `null`.
 */
export type AlwaysSetField =
  | 'sid'
  | 'account_sid'
  | 'workspace_sid'
  | 'date_created'
  | 'date_updated'
  | 'url'
  | 'links'
  | 'friendly_name'
  | 'attributes'
  | 'configuration';

/**
 * The JSON body of a resource as the spec's schema `Name` describes it (snake_case field names),
 * with the fields TaskRouter always sets ({@link AlwaysSetField}) typed without `null`.
 *
 * @example
 * ```ts
 * import type { ResourceBody } from '@taskrouter/testing-mocks';
 *
 * type Task = ResourceBody<'taskrouter.v1.workspace.task'>; // task.sid is a string
 * ```
 */
export type ResourceBody<Name extends keyof Schemas> = NonNullFields<Schemas[Name], AlwaysSetField>;
