/** What the agent desk's server answers at `/token`: everything the page needs to start the SDK. */
export interface DeskSession {
  /** An access token for the agent's worker, minted on the server. */
  token: string;
  /**
   * Where the SDK's event bridge is, when it is not Twilio's: the emulator's `ebServer` and
   * `wsServer`. Absent in production, so the SDK uses its defaults.
   */
  eventBridge?: { ebServer: string; wsServer: string };
}
