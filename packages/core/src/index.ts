/**
 * A tiny typed client for the Twilio TaskRouter REST API v1.
 * @packageDocumentation
 */
export type { components, operations, paths } from './generated/taskrouter.js';
export { operationTable, type OperationId, type OperationInfo } from './generated/operations.js';
