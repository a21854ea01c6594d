/**
 * The accounts an emulator accepting any credentials keeps apart: each caller's account SID gets
 * its own state, so two callers never see each other's workspaces.
 */
import { isSid } from '@taskrouter/core';
import type { Store } from '../domain/state.js';
import { basicCredentials, type IncomingCall } from '../rest/dispatch.js';

/** The state of one account, with what it needs to route and deliver callbacks. */
export interface AccountState {
  readonly store: Store;
  reset(): void;
  idle(): Promise<void>;
}

/** Further accounts, made on first use by `create` (given the caller's account SID and auth token). */
export class OtherAccounts {
  private readonly accounts = new Map<string, AccountState>();

  constructor(
    private readonly mainAccountSid: string,
    private readonly create: (accountSid: string, authToken: string) => AccountState,
  ) {}

  /**
   * The store a call acts on: its caller's own account when the caller names an account SID
   * other than the emulator's, else `main`.
   */
  storeFor(call: IncomingCall, main: Store): Store {
    const caller = basicCredentials(call.authorization);
    if (caller === undefined || caller.user === this.mainAccountSid || !isSid(caller.user, 'AC')) return main;
    let account = this.accounts.get(caller.user);
    if (account === undefined) {
      account = this.create(caller.user, caller.password);
      this.accounts.set(caller.user, account);
    }
    return account.store;
  }

  /** Forgets every further account. */
  reset(): void {
    for (const account of this.accounts.values()) account.reset();
    this.accounts.clear();
  }

  /** Waits for every further account's callback deliveries. */
  async idle(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((account) => account.idle()));
  }
}
