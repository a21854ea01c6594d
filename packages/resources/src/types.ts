import type { components, NonNullFields, OperationId, operationTable, operations } from '@taskrouter/core';
import type { DateTimeParameter, DateTimeResponseField } from '@taskrouter/core/facts';

/** A parsed JSON object whose shape the caller has not described. */
export type JsonObject = Record<string, unknown>;

/**
 * Turns a snake_case string literal into camelCase.
 *
 * @example
 * ```ts
 * type Key = CamelCase<'date_status_changed'>; // 'dateStatusChanged'
 * ```
 */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * Turns a camelCase string literal into the PascalCase name TaskRouter expects for a parameter.
 *
 * @example
 * ```ts
 * type Param = PascalCase<'friendlyName'>; // 'FriendlyName'
 * ```
 */
export type PascalCase<S extends string> = Capitalize<S>;

/**
 * Response fields that hold an ISO-8601 timestamp and are returned as `Date`: every field the spec
 * gives `format: date-time`, read from it by `pnpm generate`.
 */
export type DateField = DateTimeResponseField;

/**
 * Response fields the service sets on every instance. The schemas mark every field nullable;
 * these never are in practice, so they are typed without `null` to let results be chained
 * (`client.workflows(workspace.sid)`).
 */
export type AlwaysSetField =
  | 'sid'
  | 'account_sid'
  | 'workspace_sid'
  | 'url'
  | 'date_created'
  | 'date_updated';

/** The camelCase view of a nested response value (objects and arrays of objects are converted too). */
export type NestedFromWire<V> = V extends null
  ? null
  : V extends readonly (infer Item)[]
    ? NestedFromWire<Item>[]
    : V extends object
      ? FromWire<V>
      : V;

/** The camelCase view of the value of response field `K`. */
export type WireFieldValue<K, V, Attributes> = K extends DateField
  ? Date | Extract<V, null>
  : K extends 'attributes'
    ? Attributes | Extract<V, null>
    : K extends 'configuration' | 'addons'
      ? JsonObject | Extract<V, null>
      : K extends 'event_data' | 'links'
        ? V
        : NestedFromWire<V>;

/**
 * The camelCase view of a snake_case response schema: keys are camelCased (deeply), timestamps
 * become `Date`, JSON documents stored as strings (`attributes`, `configuration`, `addons`) are
 * parsed, `attributes` takes the caller's shape `Attributes`. `links` (relation name to URL) and
 * `event_data` stay as the service sent them. `Set` lists the fields typed without `null`.
 *
 * @example
 * ```ts
 * import type { Schemas } from '@taskrouter/core';
 *
 * type Activity = FromWire<Schemas['taskrouter.v1.workspace.activity']>;
 * ```
 */
export type FromWire<T, Attributes = JsonObject, Set extends string = AlwaysSetField> = {
  [K in keyof T as K extends string ? CamelCase<K> : never]: WireFieldValue<
    K,
    NonNullFields<T, Set>[K],
    Attributes
  >;
};

/** Anything `JSON.stringify` turns into a document, such as a workflow configuration built by a builder class. */
export interface JsonSerializable {
  /** Returns the value to serialise (an object), or the finished JSON text. */
  toJSON(): unknown;
}

/** A workflow configuration: JSON text, a plain object, or an object with `toJSON()` (a builder). */
export type WorkflowConfigurationInput = string | JsonObject | JsonSerializable;

/** Task assignment statuses, as the spec enumerates them. */
export type TaskStatus = components['schemas']['task_enum_status'];

/** Request parameters the spec gives `format: date-time`; `Date` is accepted too. */
export type InputDateField = DateTimeParameter;
/** Request parameters the spec types as text although they are booleans (`true`, `1`, `yes`). */
export type BooleanTextField = 'Available' | 'IgnoreCapacity' | 'ReEvaluateTasks';
/** Request parameters that carry a comma-separated list; an array is joined for you. */
export type CommaListField = 'SplitByWaitTime' | 'EventsFilter';
/** Request parameters the spec types as free text whose documented values are a closed set. */
export interface NarrowedField {
  /** Workspace template: `FIFO` adds a queue and a workflow that sends every task to it. */
  Template: 'NONE' | 'FIFO';
  /** Reservation instruction. */
  Instruction: 'conference' | 'dequeue' | 'call' | 'redirect' | 'supervise';
}

/** What {@link ToInput} accepts for request parameter `K` whose spec type is `V`. */
export type InputFieldValue<K extends string, V, Attributes> = K extends 'Attributes'
  ? Attributes | string
  : K extends 'Configuration'
    ? WorkflowConfigurationInput
    : K extends 'EvaluateWorkerAttributes'
      ? JsonObject | string
      : K extends InputDateField
        ? Date | string
        : K extends BooleanTextField
          ? boolean
          : K extends CommaListField
            ? string | readonly (string | number)[]
            : K extends 'AssignmentStatus'
              ? V extends readonly unknown[]
                ? TaskStatus | readonly TaskStatus[]
                : V
              : K extends keyof NarrowedField
                ? NarrowedField[K]
                : V extends readonly (infer Item)[]
                  ? readonly Item[]
                  : V;

/**
 * The camelCase view of PascalCase request parameters: `FriendlyName` becomes `friendlyName`,
 * JSON documents accept objects, timestamps accept `Date`, and text booleans accept `boolean`.
 *
 * @example
 * ```ts
 * type Params = ToInput<{ FriendlyName: string; Attributes?: string }>;
 * // { friendlyName: string; attributes?: JsonObject | string }
 * ```
 */
export type ToInput<T, Attributes = JsonObject> = Readable<{
  [K in keyof T as K extends string ? Uncapitalize<K> : never]:
    | InputFieldValue<K & string, T[K], Attributes>
    // An optional parameter also takes `undefined` (left out), whatever `exactOptionalPropertyTypes` says.
    | ({} extends Pick<T, K> ? undefined : never);
}>;

/** Flattens a computed object type so that editors show its fields, not the type that computed them. */
export type Readable<T> = { [K in keyof T]: T[K] } & {};

/** The spec path of an operation. */
export type PathOf<Id extends OperationId> = (typeof operationTable)[Id]['path'];

/** The form body of an operation, as the spec types it. */
export type FormOf<Id extends OperationId> =
  NonNullable<operations[Id]['requestBody']> extends {
    content: { 'application/x-www-form-urlencoded': infer Body };
  }
    ? Body
    : never;

/** The JSON document a successful call of an operation answers with, as the spec types it. */
export type ResultOf<Id extends OperationId> = operations[Id]['responses'] extends {
  200: { content: { 'application/json': infer Result } };
}
  ? Result
  : never;

/** The query parameters of an operation, as the spec types them. */
export type QueryOf<Id extends OperationId> = NonNullable<operations[Id]['parameters']['query']>;

/** Query parameters that drive paging; the list helpers set them. */
export type PagingParam = 'PageSize' | 'Page' | 'PageToken';

/** The camelCase filters of a list operation (paging parameters excluded). */
export type FiltersOf<Id extends OperationId> = ToInput<Omit<QueryOf<Id>, PagingParam>>;

/** The camelCase parameters of a form-bodied operation. */
export type ParamsOf<Id extends OperationId, Attributes = JsonObject> = ToInput<FormOf<Id>, Attributes>;

/** Options for one page of a list. */
export interface PageOptions {
  /** Items per page, 1 to 1000 (the service's default is 50). */
  pageSize?: number | undefined;
  /** Cursor from {@link Page.nextPageToken} of a previous page. */
  pageToken?: string | undefined;
}

/** Options for iterating over every item of a list. */
export interface ListOptions {
  /** Items fetched per request, 1 to 1000; defaults to `limit` when that is smaller than 1000. */
  pageSize?: number | undefined;
  /** Stop after this many items; no further page is fetched once it is reached. */
  limit?: number | undefined;
}

/** One page of a list, with the cursor to the next one. */
export interface Page<T> {
  /** The items of this page. */
  readonly items: T[];
  /** Zero-based index of this page (informational). */
  readonly page: number;
  /** Number of items a page holds. */
  readonly pageSize: number;
  /** Absolute URL of this page. */
  readonly url: string;
  /** Absolute URL of the next page, or `null` on the last page. */
  readonly nextPageUrl: string | null;
  /** The cursor to pass as `pageToken` for the next page, or `null` on the last page. */
  readonly nextPageToken: string | null;
  /**
   * Fetches the next page by following {@link Page.nextPageUrl}; resolves to `null` on the last page.
   *
   * @example
   * ```ts
   * let page: Page<Activity> | null = await client.activities(workspaceSid).page({ pageSize: 2 });
   * while (page) {
   *   for (const activity of page.items) console.log(activity.friendlyName);
   *   page = await page.next();
   * }
   * ```
   */
  next(): Promise<Page<T> | null>;
}

/** The items of a list: iterate with `for await` (pages are fetched as needed) or collect them. */
export interface ItemIterable<T> extends AsyncIterable<T> {
  /**
   * Fetches every page (up to the list's `limit`) and resolves to all items.
   *
   * @example
   * ```ts
   * const firstTen = await client.tasks(workspaceSid).list({ limit: 10 }).toArray();
   * console.log(firstTen.length);
   * ```
   */
  toArray(): Promise<T[]>;
}

/** Options of a conditional write. */
export interface ConditionalOptions {
  /** The version (ETag) the resource must still have; otherwise the service answers 412 and changes nothing. */
  ifMatch?: string | undefined;
}

/** A resource returned with the version (ETag) the service gave it. */
export interface Versioned {
  /**
   * The resource's version from the response's `ETag` header, for `ifMatch` on a later write.
   * Non-enumerable: it is not part of the resource's fields (spreading or `JSON.stringify` drops it).
   */
  readonly version?: string | undefined;
}

/** The camelCase parameters an operation requires. */
export type RequiredParamOf<Id extends OperationId> = {
  [K in keyof ParamsOf<Id>]-?: {} extends Pick<ParamsOf<Id>, K> ? never : K;
}[keyof ParamsOf<Id>];
