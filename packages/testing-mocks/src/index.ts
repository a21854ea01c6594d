/**
 * A stateful, in-memory emulator of the Twilio TaskRouter v1 REST API for tests: an in-process
 * `fetch`, a real HTTP server with a CLI, msw handlers (`./msw`), fixtures and a vitest helper
 * (`./vitest`).
 * @packageDocumentation
 */
export { type ScheduledTimer, VirtualClock } from './domain/clock.js';
export type {
  EventBridgeConnection,
  EventBridgeControl,
  EventBridgeOptions,
} from './adapters/event-bridge/bridge.js';
export { createEmulator } from './emulator.js';
export type {
  Emulator,
  EmulatorApiKey,
  EmulatorTokenOptions,
  EmulatorInspector,
  EmulatorOptions,
  EmulatorSeeder,
  EmulatorSnapshot,
  OperationFormBody,
  SeedInput,
  SeedValue,
} from './emulator/types.js';
export { EmulatorRequestError, EmulatorSnapshotError, type TwilioErrorBody } from './domain/errors.js';
export type { EmulatorFaults, FaultRequest } from './rest/faults.js';
export type {
  MatchValue,
  OperationMatch,
  OverrideFailure,
  OverrideRule,
} from './rest/overrides.js';
export type { CallRecord } from './rest/call-log.js';
export type { CallbackRecord } from './routing/callbacks.js';
export {
  checkInvariants,
  createInvariantChecker,
  type InvariantChecker,
  type InvariantName,
  type InvariantViolation,
} from './verify/invariants.js';
export { runSoak, type SoakOptions, type SoakReport } from './verify/soak.js';
export type { EmulatorServer, ListenOptions } from './adapters/http-server.js';
export type { InstructionRecord } from './domain/state.js';
export type { AlwaysSetField, ResourceBody } from './render/body.js';
export { createFixtures, type FixturePage, type Fixtures, fixtures } from './emulator/fixtures.js';
export {
  createTwilioHttpClient,
  type TwilioHttpClientOptions,
  type TwilioHttpRequest,
  type TwilioHttpResponse,
} from './adapters/twilio-http-client.js';
