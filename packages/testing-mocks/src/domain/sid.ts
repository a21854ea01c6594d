import { randomUUID } from 'node:crypto';

/** Two-letter prefixes of the SIDs the emulator issues. */
export type EmulatorSidPrefix =
  | 'AC'
  | 'WS'
  | 'WA'
  | 'WK'
  | 'WQ'
  | 'WW'
  | 'WT'
  | 'WR'
  | 'TC'
  | 'WC'
  | 'EV'
  | 'CA'
  | 'SK';

/** A fresh random SID: the prefix and 32 lowercase hex digits. */
export function newSid(prefix: EmulatorSidPrefix): string {
  // Written out as one flat string: a concatenation would keep two string objects per SID, which
  // adds up with a SID per task and per reservation.
  return Buffer.from(prefix + randomUUID().replaceAll('-', ''), 'latin1').toString('latin1');
}

/** A random 32-hex-digit secret, shaped like a Twilio auth token. */
export function newAuthToken(): string {
  return randomUUID().replaceAll('-', '');
}
