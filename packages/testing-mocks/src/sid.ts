import { randomUUID } from 'node:crypto';

/** Two-letter prefixes of the SIDs the emulator issues. */
export type EmulatorSidPrefix = 'AC' | 'WS' | 'WA' | 'WK' | 'WQ' | 'WW' | 'WT' | 'WR' | 'TC' | 'WC' | 'EV';

const SID_PATTERN = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/** A fresh random SID: the prefix and 32 lowercase hex digits. */
export function newSid(prefix: EmulatorSidPrefix): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** Whether `value` is a well-formed SID with the given prefix. */
export function hasSidShape(value: string, prefix: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && SID_PATTERN.test(value);
}

/** A random 32-hex-digit secret, shaped like a Twilio auth token. */
export function newAuthToken(): string {
  return randomUUID().replaceAll('-', '');
}
