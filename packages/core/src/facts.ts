/**
 * What the spec states about parameters and fields, generated from it by `pnpm generate`: the SID
 * prefix of every SID-valued parameter, the body fields of every operation and which of them are
 * required, and the date-time fields of every response schema. The client, the resources and the
 * emulator read these instead of restating them; tools that validate or convert TaskRouter data can
 * do the same.
 *
 * @example
 * ```ts
 * import { bodyFields, dateTimeFields, requiredBodyFields, sidParameters } from '@taskrouter/core/facts';
 *
 * sidParameters.FetchTaskReservation.path; // { WorkspaceSid: 'WS', TaskSid: 'WT', Sid: 'WR' }
 * requiredBodyFields.CreateWorkflow; // ['FriendlyName', 'Configuration']
 * bodyFields.CreateActivity; // ['FriendlyName', 'Available']
 * dateTimeFields['taskrouter.v1.workspace.worker']; // ['date_created', 'date_status_changed', 'date_updated']
 * ```
 * @packageDocumentation
 */
export {
  type DateTimeParameter,
  type DateTimeResponseField,
  type OperationSidParameters,
  type SidPrefixes,
  type SpecSidPrefix,
  bodyFields,
  dateTimeFields,
  dateTimeResponseFields,
  requiredBodyFields,
  sidFieldPrefixes,
  sidParameters,
  sidPathSegments,
} from './generated/facts.js';
