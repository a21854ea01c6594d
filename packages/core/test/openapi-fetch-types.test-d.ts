/**
 * The client's option and result types are written for the generated types, which carry no
 * `$Read`/`$Write` markers, instead of going through openapi-fetch's `FetchOptions` and
 * `FetchResponse`, whose marker stripping makes a deep mapped copy of every body on every call.
 * Here they are held to openapi-fetch's for every operation of the spec: the same options,
 * required alike, taking the same values, and the same `data`.
 */
import type { FetchOptions, FetchResponse, RequestBodyOption } from 'openapi-fetch';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  OperationAt,
  RequestInitFor,
  RequiredKeys,
  TaskRouterHttpMethod,
  TaskRouterPathsWithMethod,
  TaskRouterResult,
} from '../src/index.js';

/** True when `A` and `B` are the same type to the compiler, not merely assignable both ways. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** True when every value of `A` is one of `B` and the other way round. */
type SameValues<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** True when two object types have the same keys, the same required keys, and the same values for each. */
type SameFields<A, B> =
  Equal<keyof A, keyof B> extends true
    ? Equal<RequiredKeys<A>, RequiredKeys<B>> extends true
      ? { [Key in keyof A & keyof B]: SameValues<A[Key], B[Key]> }[keyof A & keyof B] extends true
        ? true
        : false
      : false
    : false;

/** What openapi-fetch makes of a `Date` in a body: a mapped copy of its members, which a `Date` is. */
type OpenApiFetchDate = NonNullable<
  RequestBodyOption<{ requestBody: { content: { 'application/json': Date } } }>['body']
>;
/** A body as openapi-fetch types it: every `Date` field as its copy. */
type WithOpenApiFetchDates<Body> = {
  [Field in keyof Body]: Body[Field] extends infer Value
    ? Value extends Date
      ? OpenApiFetchDate
      : Value
    : never;
};

/** True when two call options agree, the bodies compared with openapi-fetch's `Date` copies. */
type SameOptions<A extends { body?: unknown }, B extends { body?: unknown }> =
  SameFields<Omit<A, 'body'>, Omit<B, 'body'>> extends true
    ? Equal<RequiredKeys<Pick<A, 'body'>>, RequiredKeys<Pick<B, 'body'>>> extends true
      ? SameValues<
          undefined extends A['body'] ? true : false,
          undefined extends B['body'] ? true : false
        > extends true
        ? [NonNullable<A['body']>] extends [never]
          ? [NonNullable<B['body']>] extends [never]
            ? true
            : false
          : SameFields<WithOpenApiFetchDates<NonNullable<A['body']>>, NonNullable<B['body']>>
        : false
      : false
    : false;

type OpenApiFetchOptions<Operation> = FetchOptions<Operation> & { parseAs?: never; fetch?: never };
type OpenApiFetchData<Operation> =
  Operation extends Record<string | number, unknown>
    ? FetchResponse<Operation, {}, `${string}/${string}`> extends infer Result
      ? Result extends { data: infer Data }
        ? Data
        : never
      : never
    : never;

/** The operations of `Method` whose options or data differ from openapi-fetch's, by name. */
type Differences<Method extends TaskRouterHttpMethod> = {
  [Path in TaskRouterPathsWithMethod<Method>]: SameOptions<
    RequestInitFor<OperationAt<Path, Method>>,
    OpenApiFetchOptions<OperationAt<Path, Method>>
  > extends false
    ? `${Method} ${Path}: options`
    : Equal<
          TaskRouterResult<OperationAt<Path, Method>>['data'],
          OpenApiFetchData<OperationAt<Path, Method>>
        > extends false
      ? `${Method} ${Path}: data`
      : never;
}[TaskRouterPathsWithMethod<Method>];

describe("the client's types against openapi-fetch's", () => {
  test('options and data agree for every operation', () => {
    expectTypeOf<Differences<'get'> | Differences<'post'> | Differences<'delete'>>().toEqualTypeOf<never>();
  });

  test('a delete answers with undefined data', () => {
    expectTypeOf<
      TaskRouterResult<OperationAt<'/v1/Workspaces/{Sid}', 'delete'>>['data']
    >().toEqualTypeOf<undefined>();
  });
});
