/**
 * What every README sample runs against: a fresh emulator answering every `fetch` the sample makes
 * (so a client created without `fetch` or `baseUrl` reaches it, never the network), and its
 * credentials in the environment variables the samples read.
 */
import { createEmulator } from '@taskrouter/testing-mocks';

export const emulator = createEmulator({ startTime: new Date('2030-01-01T09:00:00Z') });
export const { accountSid, authToken } = emulator.credentials;

globalThis.fetch = emulator.fetch;
process.env.TWILIO_ACCOUNT_SID = accountSid;
process.env.TWILIO_AUTH_TOKEN = authToken;
