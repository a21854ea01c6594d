/**
 * The accounts of an emulator. Its own account always exists; accepting any credentials, each
 * caller's account SID gets its own state too, so two callers never see each other's workspaces.
 * Every account runs on the emulator's one clock: advancing it fires the timers of all of them.
 */
import { isSid } from '@taskrouter/core';
import type { VirtualClock } from '../domain/clock.js';
import type { Store } from '../domain/state.js';
import type { CallbackDeliveries } from '../routing/callbacks.js';
import type { RoutingEngine } from '../routing/engine.js';
import { basicCredentials } from '../rest/dispatch.js';

/** One account's state, with what routes its tasks and delivers its callbacks. */
export interface Account {
  readonly sid: string;
  /** The token its callbacks are signed with: the emulator's, or the first caller's password. */
  readonly authToken: string;
  readonly store: Store;
  readonly engine: RoutingEngine;
  readonly deliveries: CallbackDeliveries;
}

/** Builds an account's store, routing and deliveries on the shared clock. */
export type AccountFactory = (accountSid: string, authToken: string) => Omit<Account, 'sid' | 'authToken'>;

/** Every account of one emulator, its own first. */
export class Accounts {
  readonly main: Account;
  private readonly others = new Map<string, Account>();
  /** Each account's own timer runner, which its routing engine installed on the clock. */
  private readonly runners = new Map<Store, VirtualClock['runJob']>();
  /** Called with each account as it is made (see {@link Accounts.watch}). */
  private readonly watchers = new Set<(account: Account) => void>();

  /**
   * @param acceptAny - whether callers of other account SIDs get accounts of their own
   * @param create - builds an account; its routing engine sets the clock's `runJob`
   */
  constructor(
    mainSid: string,
    mainToken: string,
    readonly acceptAny: boolean,
    private readonly clock: VirtualClock,
    private readonly create: AccountFactory,
  ) {
    this.main = this.build(mainSid, mainToken);
  }

  /**
   * The account SID a caller's Basic user name stands for: its own when any credentials are
   * accepted and it names an account SID, else the emulator's (its own SID, an API key's SID).
   */
  sidOf(user: string | null | undefined): string {
    if (!this.acceptAny || typeof user !== 'string' || !isSid(user, 'AC')) return this.main.sid;
    return user;
  }

  /** The account a request with this Authorization header acts on; made on first use. */
  forCaller(authorization: string | null): Account {
    const caller = basicCredentials(authorization);
    return this.ensure(this.sidOf(caller?.user), caller?.password ?? '');
  }

  /** The account of `sid`, made with `authToken` when it does not exist yet. */
  ensure(sid: string, authToken: string): Account {
    if (sid === this.main.sid) return this.main;
    let account = this.others.get(sid);
    if (account === undefined) {
      account = this.build(sid, authToken);
      this.others.set(sid, account);
      for (const visit of this.watchers) visit(account);
    }
    return account;
  }

  /** The account of `sid` when it exists; never makes one. */
  find(sid: string): Account | undefined {
    return sid === this.main.sid ? this.main : this.others.get(sid);
  }

  /** Calls `visit` with every account now, then with each account made later. */
  watch(visit: (account: Account) => void): void {
    for (const account of this.all()) visit(account);
    this.watchers.add(visit);
  }

  /** Every account, the emulator's own first, then the others in the order they were first used. */
  all(): Account[] {
    return [this.main, ...this.others.values()];
  }

  /** Empties every account; the accounts stay (an open event stream keeps following its own). */
  clearAll(): void {
    for (const account of this.all()) clearAccount(account);
  }

  /** Waits for every account's callback deliveries. */
  async idle(): Promise<void> {
    await Promise.all(this.all().map((account) => account.deliveries.idle()));
  }

  private build(sid: string, authToken: string): Account {
    const parts = this.create(sid, authToken);
    // Each routing engine installs its own runner on the clock; the clock is shared, so a job
    // goes to the runner of the account whose store holds the job's workspace.
    this.runners.set(parts.store, this.clock.runJob);
    // With a single account its engine's runner stays, without a lookup per timer.
    if (this.runners.size === 1) return { sid, authToken, ...parts };
    this.clock.runJob = (job, timer) => {
      for (const [store, run] of this.runners) {
        if (store.workspaces.has(job.workspaceSid)) {
          run(job, timer);
          return;
        }
      }
    };
    return { sid, authToken, ...parts };
  }
}

/**
 * Empties one account: its routing stops its own timers; other accounts' timers on the shared
 * clock stay (unlike `Store.clear`, which drops every timer).
 */
export function clearAccount(account: Account): void {
  account.engine.reset();
  account.store.workspaces.clear();
}
