import type {
  BodySerializer,
  HeadersOptions,
  Middleware,
  ParamsOption,
  PathSerializer,
  QuerySerializer,
  QuerySerializerOptions,
} from 'openapi-fetch';
import type { DateTimeParameter } from './generated/facts.js';
import type { paths } from './generated/taskrouter.js';

/**
 * A JSON document for `Attributes` or `Configuration`: either JSON text, a plain object, or
 * any object with `toJSON()` (such as a workflow configuration builder). Objects are sent as
 * `JSON.stringify(value)`.
 */
export type JsonDocumentInput = string | { readonly [key: string]: unknown } | { toJSON(): unknown };

/** Request fields whose spec type is a JSON string. */
export type JsonFieldName = 'Attributes' | 'Configuration';
/** Request fields whose spec type is a date-time string (read from the spec by `pnpm generate`). */
export type DateFieldName = DateTimeParameter;

/**
 * What the client accepts for one request field: the spec type, widened to objects for
 * JSON-valued fields and to `Date` for date-time fields.
 */
export type ClientField<Name, Value> = Name extends JsonFieldName
  ? Value | JsonDocumentInput
  : Name extends DateFieldName
    ? Value | Date
    : Value;

/** A set of request fields as the client accepts them (see {@link ClientField}). */
export type ClientFields<Fields> = { [Name in keyof Fields]: ClientField<Name, Fields[Name]> };

/** An operation of {@link paths} with its query and body fields widened by {@link ClientFields}. */
export type ClientOperation<Operation> = {
  [Key in keyof Operation]: Key extends 'parameters'
    ? {
        [Location in keyof Operation[Key]]: Location extends 'query'
          ? ClientFields<Operation[Key][Location]>
          : Operation[Key][Location];
      }
    : Key extends 'requestBody'
      ? ClientRequestBody<Operation[Key]>
      : Operation[Key];
};

/** A request body with its fields widened by {@link ClientFields} (distributes over `undefined`). */
export type ClientRequestBody<Body> = Body extends { content: infer Content }
  ? { content: { [Media in keyof Content]: ClientFields<Content[Media]> } }
  : Body;

/**
 * The generated {@link paths} as the client accepts them: identical, except that `Attributes`
 * and `Configuration` also take objects and date-time fields also take `Date`.
 */
export type ClientPaths = {
  [Path in keyof paths]: {
    [Method in keyof paths[Path]]: Method extends TaskRouterHttpMethod
      ? ClientOperation<paths[Path][Method]>
      : paths[Path][Method];
  };
};

/** The HTTP methods TaskRouter uses (updates are POSTs). */
export type TaskRouterHttpMethod = 'get' | 'post' | 'delete';

/** Paths of {@link ClientPaths} that support `Method`. */
export type TaskRouterPathsWithMethod<Method extends TaskRouterHttpMethod> = {
  [Path in keyof ClientPaths]: ClientPaths[Path] extends { [M in Method]: object } ? Path : never;
}[keyof ClientPaths];

/** The operation behind `Method` on `Path`. */
export type OperationAt<
  Path extends keyof ClientPaths,
  Method extends TaskRouterHttpMethod,
> = ClientPaths[Path] extends {
  [M in Method]: infer Operation;
}
  ? Operation
  : never;

/** The keys of `T` that are not optional. */
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/**
 * The `body` option of an operation: required or optional as its request body is, `undefined`
 * when it has none; the body's fields are those of its one media type. This is openapi-fetch's
 * `RequestBodyOption` without its `$Read` marker stripping, a deep mapped copy of the body type
 * on every call: the generated types carry no markers, and a `Date` field stays a `Date`.
 */
export type BodyOptionFor<Operation> = Operation extends { requestBody: { content: infer Content } }
  ? { body: Content[keyof Content & `${string}/${string}`] }
  : Operation extends { requestBody?: { content: infer Content } }
    ? { body?: Content[keyof Content & `${string}/${string}`] | undefined }
    : { body?: undefined };

/**
 * Options of one call: `params`, `body`, `headers`, `signal`… (openapi-fetch's `FetchOptions`).
 * `parseAs` is not offered, since answers are always JSON and `data` stays typed; neither is a
 * per-call `fetch`, which would bypass credentials, retries and error mapping.
 */
export type RequestInitFor<Operation> = ParamsOption<Operation> &
  BodyOptionFor<Operation> & {
    baseUrl?: string;
    querySerializer?: QuerySerializer<Operation> | QuerySerializerOptions;
    bodySerializer?: BodySerializer<Operation>;
    pathSerializer?: PathSerializer;
    headers?: HeadersOptions;
    middleware?: Middleware[];
    parseAs?: never;
    fetch?: never;
  } & Omit<RequestInit, 'body' | 'headers'>;

/** The argument list after the path: the options are optional unless something in them is required. */
export type InitArgument<Init> = RequiredKeys<Init> extends never ? [init?: Init] : [init: Init];

/**
 * The `data` of an operation's success answers (2xx): the document of their media type, or
 * `undefined` for answers without a body. This is what openapi-fetch's `FetchResponse` gives,
 * less its `$Write` marker stripping (see {@link BodyOptionFor}).
 */
export type ResponseDataFor<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends 200 | 201 | 202 | 203 | 204 | 206 | 207 | '2XX'
        ? Responses[Status] extends { content: infer Content }
          ? [Content[keyof Content & `${string}/${string}`]] extends [never]
            ? Content
            : Content[keyof Content & `${string}/${string}`]
          : undefined
        : never;
    }[keyof Responses]
  : never;

/**
 * The resolved value of a call. Non-2xx answers reject with a `TaskRouterApiError`, so only
 * the success shape remains: `data` has the schema type of the response (`undefined` for deletes).
 */
export interface TaskRouterResult<Operation> {
  /** The parsed body of the answer. */
  data: ResponseDataFor<Operation>;
  /** Always absent: errors are thrown. Present so code written for openapi-fetch's result shape compiles. */
  error?: never | undefined;
  /** The raw answer (its body is already read into `data`). */
  response: Response;
}

/** One HTTP method of {@link TaskRouterApiClient}, typed for every path that supports it. */
export type TaskRouterMethod<Method extends TaskRouterHttpMethod> = <
  Path extends TaskRouterPathsWithMethod<Method>,
>(
  path: Path,
  ...init: InitArgument<RequestInitFor<OperationAt<Path, Method>>>
) => Promise<TaskRouterResult<OperationAt<Path, Method>>>;

/**
 * A typed TaskRouter client: openapi-fetch's calling convention (`client.GET(path, { params })`)
 * over every operation of the spec. A 2xx answer resolves to `{ data, response }`; anything else
 * rejects with a `TaskRouterApiError`.
 */
export interface TaskRouterApiClient {
  /** Base URL every path is appended to, without a trailing slash. */
  readonly baseUrl: string;
  /** Calls a fetch or list operation. */
  GET: TaskRouterMethod<'get'>;
  /** Calls a create or update operation (TaskRouter updates with POST). */
  POST: TaskRouterMethod<'post'>;
  /** Calls a delete operation. */
  DELETE: TaskRouterMethod<'delete'>;
  /** Registers openapi-fetch middleware, run on every call. */
  use(...middleware: Middleware[]): void;
  /** Removes middleware registered with {@link TaskRouterApiClient.use}. */
  eject(...middleware: Middleware[]): void;
}

/**
 * The client `createTaskRouterClient` returns.
 * @deprecated Use {@link TaskRouterApiClient}: `TaskRouterClient` is the class of
 * `@taskrouter/resources`. This alias goes in the next major release.
 */
export type TaskRouterClient = TaskRouterApiClient;
/**
 * @deprecated Use {@link TaskRouterHttpMethod}; `HttpMethod` is openapi-typescript-helpers' wider
 * union. This alias goes in the next major release.
 */
export type HttpMethod = TaskRouterHttpMethod;
/**
 * @deprecated Use {@link TaskRouterPathsWithMethod}; openapi-typescript-helpers' `PathsWithMethod`
 * takes the paths as its first parameter. This alias goes in the next major release.
 */
export type PathsWithMethod<Method extends TaskRouterHttpMethod> = TaskRouterPathsWithMethod<Method>;
/**
 * @deprecated Use {@link RequiredKeys}; openapi-typescript-helpers exports its own `RequiredKeysOf`.
 * This alias goes in the next major release.
 */
export type RequiredKeysOf<T> = RequiredKeys<T>;
