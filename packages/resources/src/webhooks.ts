/**
 * TaskRouter's webhooks, typed end to end: `receiveWebhook` checks and parses a callback in any
 * framework, `parseAssignmentCallback` and `parseEventCallback` read one, and `instruction` builds
 * the answer to an assignment callback. The signature helpers of `@taskrouter/core` are here too.
 *
 * @example
 * ```ts
 * import { instruction, receiveWebhook } from '@taskrouter/resources/webhooks';
 *
 * async function handle(request: Request): Promise<Response> {
 *   const outcome = await receiveWebhook(request, { authToken });
 *   if (!outcome.ok) return new Response(outcome.rejection.message, { status: outcome.rejection.status });
 *   return outcome.callback.kind === 'assignment'
 *     ? Response.json(instruction.accept())
 *     : new Response(null, { status: 204 });
 * }
 * ```
 * @packageDocumentation
 */
export {
  computeRequestSignature,
  decodeForm,
  type NodeWebhookRequest,
  TaskRouterValidationError,
  type ValidateWebhookOptions,
  validateRequestSignature,
  validateWebhookRequest,
  type WebhookParams,
} from '@taskrouter/core';
export { type AssignmentCallback, parseAssignmentCallback } from './assignment-callback.js';
export type { CallbackFields } from './callback-fields.js';
export {
  type ActivityEventFields,
  type EventCallback,
  type EventCallbackBase,
  type EventFieldsByResource,
  type EventTypesByResource,
  type KnownEventCallback,
  type KnownEventType,
  parseEventCallback,
  type ResourceOfEvent,
  type TaskChannelEventFields,
  type TaskEventFields,
  type TaskQueueEventFields,
  type UnknownEventCallback,
  type WorkerActivityChangeFields,
  type WorkerChannelChangeFields,
  type WorkerEventFields,
  type WorkflowEventFields,
} from './event-callback.js';
export {
  type AcceptInstruction,
  type AssignmentInstruction,
  type CallbackMethod,
  type CallInstruction,
  type CallOptions,
  type CallStatusEvent,
  type ConferenceEvent,
  type ConferenceInstruction,
  type ConferenceOptions,
  type DequeueInstruction,
  type DequeueOptions,
  type InstructionOf,
  instruction,
  type RedirectInstruction,
  type RedirectOptions,
  type RejectInstruction,
  type RejectOptions,
  type SnakeCase,
} from './instructions.js';
export {
  type NodeCallbackRequest,
  type ReceiveWebhookOptions,
  receiveWebhook,
  type TaskRouterCallback,
  type WebhookOutcome,
  type WebhookRejection,
} from './webhook-handler.js';
