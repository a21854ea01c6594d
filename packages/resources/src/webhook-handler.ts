import { type NodeWebhookRequest, TaskRouterValidationError, validateWebhookRequest } from '@taskrouter/core';
import { type AssignmentCallback, parseAssignmentCallback } from './assignment-callback.js';
import { type CallbackFields, fieldMap } from './callback-fields.js';
import { type EventCallback, parseEventCallback } from './event-callback.js';
import type { JsonObject } from './types.js';

/** Any callback TaskRouter sends: an assignment callback or an event callback, told apart by `kind`. */
export type TaskRouterCallback<TaskAttributes = JsonObject, WorkerAttributes = JsonObject> =
  | AssignmentCallback<TaskAttributes, WorkerAttributes>
  | EventCallback<TaskAttributes, WorkerAttributes>;

/** Why a request was not accepted as a TaskRouter callback, with the HTTP status to answer. */
export type WebhookRejection =
  | { readonly reason: 'method-not-allowed'; readonly status: 405; readonly message: string }
  | { readonly reason: 'unsupported-media-type'; readonly status: 415; readonly message: string }
  | { readonly reason: 'invalid-signature'; readonly status: 403; readonly message: string }
  | {
      readonly reason: 'malformed-callback';
      readonly status: 400;
      readonly message: string;
      /** The form field that was missing or malformed. */
      readonly field: string;
    };

/** The outcome of {@link receiveWebhook}: the parsed callback, or why the request was refused. */
export type WebhookOutcome<TaskAttributes = JsonObject, WorkerAttributes = JsonObject> =
  | { readonly ok: true; readonly callback: TaskRouterCallback<TaskAttributes, WorkerAttributes> }
  | { readonly ok: false; readonly rejection: WebhookRejection };

/** Options of {@link receiveWebhook}. */
export interface ReceiveWebhookOptions {
  /** The account's auth token: TaskRouter signs every callback with it. */
  authToken: string;
  /**
   * The public URL TaskRouter called, query string included, when it differs from what the
   * server sees (behind a proxy or load balancer, or for a Node request, whose URL is otherwise
   * taken as `https://{Host}{url}`).
   */
  url?: string | undefined;
}

/** A Node request with its body read, as {@link receiveWebhook} takes it (`method` is checked when given). */
export interface NodeCallbackRequest extends NodeWebhookRequest {
  /** The HTTP method (`IncomingMessage.method`). */
  method?: string | undefined;
}

const FORM = 'application/x-www-form-urlencoded';

function isFetchRequest(request: Request | NodeCallbackRequest): request is Request {
  return typeof (request.headers as Headers).get === 'function';
}

function headerOf(request: Request | NodeCallbackRequest, name: string): string | undefined {
  if (isFetchRequest(request)) return request.headers.get(name) ?? undefined;
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rejection(reason: WebhookRejection['reason'], message: string, field = ''): WebhookRejection {
  const status = {
    'method-not-allowed': 405,
    'unsupported-media-type': 415,
    'invalid-signature': 403,
  } as const;
  return reason === 'malformed-callback'
    ? { reason, status: 400, message, field }
    : ({ reason, status: status[reason], message } as WebhookRejection);
}

/**
 * Receives a TaskRouter callback in any framework: checks the method, the content type and the
 * `X-Twilio-Signature` (with core's `validateWebhookRequest`), then parses the form into an
 * {@link AssignmentCallback} or an {@link EventCallback}. It never throws for a bad request; it
 * returns a {@link WebhookRejection} with the status to answer.
 *
 * Takes a web `Request` (edge runtimes, Deno, Bun, Next.js route handlers), or a Node request
 * whose body was read (see `NodeWebhookRequest` of `@taskrouter/core`).
 *
 * @throws {@link TaskRouterValidationError} when `authToken` is empty (a configuration mistake).
 * @example
 * ```ts
 * async function handle(request: Request): Promise<Response> {
 *   const outcome = await receiveWebhook(request, { authToken });
 *   if (!outcome.ok) return new Response(outcome.rejection.message, { status: outcome.rejection.status });
 *   const { callback } = outcome;
 *   if (callback.kind === 'assignment') return Response.json(instruction.accept());
 *   console.log(callback.eventType);
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export async function receiveWebhook<TaskAttributes = JsonObject, WorkerAttributes = JsonObject>(
  request: Request | NodeCallbackRequest,
  options: ReceiveWebhookOptions,
): Promise<WebhookOutcome<TaskAttributes, WorkerAttributes>> {
  const method = request.method?.toUpperCase();
  if (method !== undefined && method !== 'POST') {
    return {
      ok: false,
      rejection: rejection('method-not-allowed', `TaskRouter callbacks are POSTs, not ${method}`),
    };
  }
  const contentType = headerOf(request, 'content-type')?.toLowerCase();
  const parsedBody =
    !isFetchRequest(request) && typeof request.body === 'object' && !(request.body instanceof Uint8Array);
  if (!parsedBody && !contentType?.includes(FORM)) {
    return {
      ok: false,
      rejection: rejection('unsupported-media-type', `TaskRouter callbacks are sent as ${FORM}`),
    };
  }
  const validation = options.url === undefined ? {} : { url: options.url };
  if (!(await validateWebhookRequest(request, options.authToken, validation))) {
    return {
      ok: false,
      rejection: rejection('invalid-signature', 'The X-Twilio-Signature does not match the request'),
    };
  }
  const body = isFetchRequest(request) ? await request.text() : request.body;
  const fields = fieldMap(
    body === undefined
      ? ''
      : body instanceof Uint8Array
        ? new TextDecoder().decode(body)
        : (body as CallbackFields),
  );
  try {
    const callback = fields.has('EventType')
      ? parseEventCallback<TaskAttributes, WorkerAttributes>(Object.fromEntries(fields))
      : parseAssignmentCallback<TaskAttributes, WorkerAttributes>(Object.fromEntries(fields));
    return { ok: true, callback };
  } catch (error) {
    if (!(error instanceof TaskRouterValidationError)) throw error;
    return { ok: false, rejection: rejection('malformed-callback', error.message, error.field) };
  }
}
