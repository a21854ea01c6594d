import { type AccessTokenClaims, AccessTokenError, verifyAccessToken } from '@taskrouter/core';
import type { VirtualClock } from '../../domain/clock.js';
import { EmulatorRequestError } from '../../domain/errors.js';
import type { Store, WorkerRecord, WorkspaceState } from '../../domain/state.js';

/** What the emulator trusts when it reads a worker's access token. */
export interface TokenPolicy {
  readonly accountSid: string;
  /** API key SID → secret. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** Any-credentials mode: every check but the signature. */
  readonly acceptAny: boolean;
  readonly clock: VirtualClock;
}

/** A verified token and the worker it lets its holder act as. */
export interface WorkerGrant {
  readonly claims: AccessTokenClaims;
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
 * any-credentials mode), `sub` = the emulator's account, `exp` and `nbf` on the emulator's
 * clock, and a TaskRouter grant naming an existing workspace and worker.
 *
 * @throws {@link EmulatorRequestError} 401 when the token expired, 403 for anything else.
 */
export async function authenticateWorkerToken(
  store: Store,
  policy: TokenPolicy,
  token: unknown,
): Promise<WorkerGrant> {
  if (typeof token !== 'string' || token === '') {
    throw refuse(403, 'No access token: the request must carry the worker’s access token');
  }
  let claims: AccessTokenClaims;
  try {
    claims = await verifyAccessToken(token, {
      apiKeySecret: (sid) => policy.apiKeys.get(sid),
      accountSid: policy.accountSid,
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
  return { claims, workspace, worker, role: grant.role ?? 'worker', expiresAt: claims.exp * 1000 };
}
