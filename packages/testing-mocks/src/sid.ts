import { randomUUID } from 'node:crypto';

/** Two-letter prefixes of the SIDs the emulator issues. */
export type EmulatorSidPrefix = 'AC' | 'WS' | 'WA' | 'WK' | 'WQ' | 'WW' | 'WT' | 'WR' | 'TC' | 'WC' | 'EV';

/** A fresh random SID: the prefix and 32 lowercase hex digits. */
export function newSid(prefix: EmulatorSidPrefix): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** A random 32-hex-digit secret, shaped like a Twilio auth token. */
export function newAuthToken(): string {
  return randomUUID().replaceAll('-', '');
}
