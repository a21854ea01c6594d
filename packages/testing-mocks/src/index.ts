/**
 * A stateful, in-memory emulator of the Twilio TaskRouter v1 REST API for tests: an in-process
 * `fetch`, a real HTTP server with a CLI, msw handlers (`./msw`), fixtures and a vitest helper
 * (`./vitest`).
 * @packageDocumentation
 */
export { type ScheduledTimer, VirtualClock } from './clock.js';
export {
  createEmulator,
  type Emulator,
  type EmulatorInspector,
  type EmulatorOptions,
  type EmulatorSeeder,
  type OperationFormBody,
  type SeedInput,
  type SeedValue,
} from './emulator.js';
export { EmulatorRequestError, type TwilioErrorBody } from './errors.js';
export type { EmulatorFaults, FaultRequest } from './faults.js';
export {
  checkInvariants,
  createInvariantChecker,
  type InvariantChecker,
  type InvariantName,
  type InvariantViolation,
} from './routing/invariants.js';
export { runSoak, type SoakOptions, type SoakReport } from './routing/soak.js';
export type { EmulatorServer, ListenOptions } from './http-server.js';
export type { InstructionRecord } from './state.js';
export { createFixtures, type FixturePage, type Fixtures, fixtures } from './fixtures.js';
export {
  createTwilioHttpClient,
  type TwilioHttpClientOptions,
  type TwilioHttpRequest,
  type TwilioHttpResponse,
} from './twilio-http-client.js';
