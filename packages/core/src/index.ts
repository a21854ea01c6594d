/**
 * A tiny typed client for the Twilio TaskRouter REST API v1, in openapi-fetch's calling
 * convention: credentials, TaskRouter's form encoding, typed errors, retries, timeouts,
 * pagination, SID helpers and webhook signatures. For Node.js servers, `@taskrouter/core/node`
 * adds a leaner transport.
 *
 * @example
 * ```ts
 * import { createTaskRouterClient, paginate } from '@taskrouter/core';
 *
 * const client = createTaskRouterClient({ accountSid, authToken });
 * const { data: workspace } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Support' } });
 * for await (const worker of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Workers', {
 *   params: { path: { WorkspaceSid: workspace.sid! } },
 * })) {
 *   console.log(worker.friendly_name);
 * }
 * ```
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
import type { components } from './generated/taskrouter.js';

export type { components, operations, paths } from './generated/taskrouter.js';
export { operationTable, type OperationId, type OperationInfo } from './generated/operations.js';

/** Shortcut for the schemas of the spec: `Schemas['taskrouter.v1.workspace.task']` is a task. */
export type Schemas = components['schemas'];
export type { NonNullFields } from './non-null.js';

export { DEFAULT_BASE_URL, createTaskRouterClient, type TaskRouterClientOptions } from './client.js';
export {
  DIRECT_SEND,
  type DirectSend,
  type Exchange,
  type FetchLike,
  ReadResponse,
  type ReadResponseInit,
  ResponseTooLarge,
  type WireRequest,
} from './transport.js';
export type {
  ClientField,
  ClientFields,
  ClientOperation,
  ClientPaths,
  ClientRequestBody,
  DateFieldName,
  HttpMethod,
  TaskRouterHttpMethod,
  InitArgument,
  JsonDocumentInput,
  JsonFieldName,
  OperationAt,
  PathsWithMethod,
  TaskRouterPathsWithMethod,
  RequiredKeys,
  RequiredKeysOf,
  RequestInitFor,
  BodyOptionFor,
  ResponseDataFor,
  TaskRouterApiClient,
  TaskRouterClient,
  TaskRouterMethod,
  TaskRouterResult,
} from './types.js';
export {
  TaskRouterApiError,
  type TaskRouterApiErrorInit,
  TaskRouterError,
  type RequestFailureInit,
  TaskRouterNetworkError,
  TaskRouterRedirectError,
  type TaskRouterRedirectErrorInit,
  TaskRouterResponseTooLargeError,
  TaskRouterTimeoutError,
  TaskRouterValidationError,
  isTaskRouterApiError,
} from './errors.js';
export {
  type GetResponseBody,
  type ListItem,
  type ListPage,
  type ListPath,
  type PageOptions,
  type PaginatePagesOptions,
  type PaginateArguments,
  type PaginateOptions,
  type PaginationClient,
  paginate,
  paginatePages,
} from './paginate.js';
export { type SidPrefix, assertSid, isSid } from './sid.js';
export { decodeForm, encodeForm, formatTwilioDate } from './form.js';
export {
  type NodeWebhookRequest,
  type ValidateWebhookOptions,
  type WebhookParams,
  computeRequestSignature,
  validateRequestSignature,
  validateWebhookRequest,
} from './webhooks.js';
export {
  type AccessTokenClaims,
  AccessTokenError,
  type AccessTokenGrants,
  type AccessTokenOptions,
  type AccessTokenProblem,
  type TaskRouterGrantOptions,
  type VerifyAccessTokenOptions,
  createAccessToken,
  decodeAccessToken,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
  verifyAccessToken,
} from './access-token.js';
