import { type AccessTokenClaims, AccessTokenError, isSid, verifyAccessToken } from '@taskrouter/core';
import type { VirtualClock } from '../../domain/clock.js';
import { EmulatorRequestError } from '../../domain/errors.js';
import type { Store, WorkerRecord, WorkspaceState } from '../../domain/state.js';

/** What the emulator trusts when it reads a worker's access token. */
export interface TokenPolicy {
  /** The emulator's own account. */
  readonly accountSid: string;
  /** API key SID → secret. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /**
   * Any-credentials mode: every check but the signature, and `sub` may be any account SID that
   * has state in the emulator (a REST caller used it), not only the emulator's own.
   */
  readonly acceptAny: boolean;
  readonly clock: VirtualClock;
  /** The state of an account, when the emulator has one for it. */
  readonly storeOf: (accountSid: string) => Store | undefined;
}

/** A verified token and the worker it lets its holder act as. */
export interface WorkerGrant {
  readonly claims: AccessTokenClaims;
  /** The account the token is for (`sub`), and its state. */
  readonly accountSid: string;
  readonly store: Store;
  readonly workspace: WorkspaceState;
  readonly worker: WorkerRecord;
  readonly role: string;
  /** Expiry in epoch milliseconds. */
  readonly expiresAt: number;
}

/** 401 for an expired token (the SDK asks for a new one), 403 for any other refusal, as the real service answers. */
function refuse(status: 401 | 403, message: string): EmulatorRequestError {
  return new EmulatorRequestError(status, status === 401 ? 20104 : 20101, message);
}

/**
 * Verifies a worker's access token: the signature with the API key named by `iss` (not in
 * any-credentials mode), `sub` = the emulator's account (in any-credentials mode, any account
 * with state), `exp` and `nbf` on the emulator's clock, and a TaskRouter grant naming an existing
 * workspace and worker of that account.
 *
 * @throws {@link EmulatorRequestError} 401 when the token expired, 403 for anything else.
 */
export async function authenticateWorkerToken(policy: TokenPolicy, token: unknown): Promise<WorkerGrant> {
  if (typeof token !== 'string' || token === '') {
    throw refuse(403, 'No access token: the request must carry the worker’s access token');
  }
  let claims: AccessTokenClaims;
  try {
    claims = await verifyAccessToken(token, {
      apiKeySecret: (sid) => policy.apiKeys.get(sid),
      accountSid: policy.acceptAny ? undefined : policy.accountSid,
      at: policy.clock.now(),
      checkSignature: !policy.acceptAny,
    });
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    if (error.problem === 'expired') {
      throw refuse(401, `${error.message} and call worker.updateToken() with it`);
    }
    throw refuse(403, error.message);
  }
  const store = storeOfToken(policy, claims.sub);
  const grant = claims.grants.task_router;
  if (typeof grant !== 'object' || grant === null) {
    throw refuse(403, 'Access token has no TaskRouter grant (grants.task_router)');
  }
  const workspace = store.workspaces.get(String(grant.workspace_sid));
  if (workspace === undefined) {
    throw refuse(403, `Access token grants workspace ${grant.workspace_sid}, which does not exist`);
  }
  const worker = workspace.workers.get(String(grant.worker_sid));
  if (worker === undefined) {
    throw refuse(
      403,
      `Access token grants worker ${grant.worker_sid}, which does not exist in workspace ${workspace.sid}`,
    );
  }
  return {
    claims,
    accountSid: claims.sub,
    store,
    workspace,
    worker,
    role: grant.role ?? 'worker',
    expiresAt: claims.exp * 1000,
  };
}

/**
 * The state a token's `sub` names. Accounts are made by REST callers only: a token cannot name a
 * workspace of an account that has none, so an account unknown to the emulator is refused.
 */
function storeOfToken(policy: TokenPolicy, sub: unknown): Store {
  if (!isSid(sub, 'AC')) {
    throw refuse(403, `Access token's sub must be an account SID (AC…), got ${JSON.stringify(sub)}`);
  }
  const store = policy.storeOf(sub);
  if (store === undefined) {
    throw refuse(
      403,
      `Access token is for account ${sub}, which has no state in the emulator: create its workspace and worker over REST with that account SID first`,
    );
  }
  return store;
}
