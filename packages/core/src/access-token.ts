/**
 * Access tokens for the TaskRouter worker SDK (`twilio-taskrouter`): JWTs signed with an API
 * key's secret, carrying a TaskRouter grant. The same header and claims as the `twilio`
 * package's `AccessToken` with a `TaskRouterGrant`, made with Web Crypto.
 */
import { base64ToBytes, bytesToBase64 } from './base64.js';
import { TaskRouterError, TaskRouterValidationError } from './errors.js';
import { assertSid } from './sid.js';

/** The TaskRouter grant of an access token: which worker of which workspace the holder acts as. */
export interface TaskRouterGrantOptions {
  /** Workspace of the worker (`WS…`). */
  workspaceSid: string;
  /** The worker the token's holder connects as (`WK…`). */
  workerSid: string;
  /** Role the grant gives; `worker` unless said otherwise (the SDK's supervisor mode uses others). */
  role?: string | undefined;
}

/** Options of {@link createAccessToken}. */
export interface AccessTokenOptions {
  /** Account the token belongs to (`AC…`); becomes the `sub` claim. */
  accountSid: string;
  /** API key that signs the token (`SK…`); becomes the `iss` claim. */
  apiKeySid: string;
  /** Secret of that API key: the HMAC key. Never send it to a browser. */
  apiKeySecret: string;
  /** Who holds the token, such as the agent's login; stored as `grants.identity`. */
  identity?: string | undefined;
  /** Lifetime in seconds, from 1 to 86,400 (24 hours, Twilio's maximum); defaults to 3,600. */
  ttlSeconds?: number | undefined;
  /**
   * When the token is issued (`iat`; `exp` counts from it); defaults to now. Tests that run an
   * emulator on a virtual clock pass the clock's time.
   */
  issuedAt?: Date | undefined;
  /** The TaskRouter grant. */
  taskRouter: TaskRouterGrantOptions;
}

/** The claims of an access token, as {@link verifyAccessToken} and {@link decodeAccessToken} return them. */
export interface AccessTokenClaims {
  /** Unique token id: `<API key SID>-<iat>`. */
  jti: string;
  /** The API key that signed the token (`SK…`). */
  iss: string;
  /** The account (`AC…`). */
  sub: string;
  /** Issued at, in epoch seconds. */
  iat: number;
  /** Expires at, in epoch seconds. */
  exp: number;
  /** Not valid before, in epoch seconds, when present. */
  nbf?: number | undefined;
  /** What the token allows. */
  grants: AccessTokenGrants;
}

/** The `grants` claim: the identity and one entry per product. */
export interface AccessTokenGrants {
  /** Who holds the token. */
  identity?: string | undefined;
  /** The TaskRouter grant, when the token has one. */
  task_router?: { workspace_sid?: string; worker_sid?: string; role?: string } | undefined;
  /** Grants of other products (voice, chat…), kept as they are. */
  [grant: string]: unknown;
}

/** The default lifetime of a token, in seconds (the `twilio` package's default too). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
/** The longest lifetime Twilio accepts for an access token, in seconds. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 86_400;
const MAX_IDENTITY_LENGTH = 256;

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
/** The header Twilio's tokens carry, in the order the `twilio` package writes it. */
const HEADER = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' } as const;
const HASHES: Readonly<Record<string, string>> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/**
 * Mints an access token for the TaskRouter worker SDK (`new Worker(token)` in the browser),
 * signed HS256 with an API key's secret. The header and claims are those of the `twilio`
 * package's `AccessToken` with a `TaskRouterGrant`, without its dependencies: it uses Web Crypto
 * and runs in Node, browsers' workers and edge runtimes.
 *
 * It belongs on a server: the API key secret must never reach a browser. Serve the token to
 * the agent's page from an endpoint that knows who the agent is.
 *
 * @throws {@link TaskRouterValidationError} naming the option (`apiKeySid`, `ttlSeconds`,
 *   `taskRouter.workerSid`…) when one is missing or malformed; nothing is signed then.
 * @example
 * ```ts
 * import { createAccessToken } from '@taskrouter/core';
 *
 * const token = await createAccessToken({
 *   accountSid: 'AC00000000000000000000000000000000',
 *   apiKeySid: 'SK00000000000000000000000000000000',
 *   apiKeySecret: 'the API key secret',
 *   identity: 'alice',
 *   ttlSeconds: 3600,
 *   taskRouter: {
 *     workspaceSid: 'WS00000000000000000000000000000000',
 *     workerSid: 'WK00000000000000000000000000000000',
 *   },
 * });
 * ```
 */
export async function createAccessToken(options: AccessTokenOptions): Promise<string> {
  if (typeof options !== 'object' || options === null) {
    throw new TaskRouterValidationError('options', 'expected an object');
  }
  const { accountSid, apiKeySid, apiKeySecret, identity, taskRouter } = options;
  assertSid(accountSid, 'AC', 'accountSid');
  assertSid(apiKeySid, 'SK', 'apiKeySid');
  if (typeof apiKeySecret !== 'string' || apiKeySecret === '') {
    throw new TaskRouterValidationError('apiKeySecret', 'must be a non-empty string');
  }
  if (identity !== undefined) checkIdentity(identity);
  const ttl = options.ttlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ACCESS_TOKEN_TTL_SECONDS) {
    throw new TaskRouterValidationError(
      'ttlSeconds',
      `must be a whole number of seconds from 1 to ${MAX_ACCESS_TOKEN_TTL_SECONDS}, got ${String(ttl)}`,
    );
  }
  const { issuedAt } = options;
  if (issuedAt !== undefined && !(issuedAt instanceof Date && Number.isFinite(issuedAt.valueOf()))) {
    throw new TaskRouterValidationError('issuedAt', 'must be a valid Date');
  }
  const issuedAtMs = issuedAt === undefined ? Date.now() : issuedAt.valueOf();
  if (typeof taskRouter !== 'object' || taskRouter === null) {
    throw new TaskRouterValidationError('taskRouter', 'expected { workspaceSid, workerSid, role? }');
  }
  assertSid(taskRouter.workspaceSid, 'WS', 'taskRouter.workspaceSid');
  assertSid(taskRouter.workerSid, 'WK', 'taskRouter.workerSid');
  const role = taskRouter.role ?? 'worker';
  if (typeof role !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(role)) {
    throw new TaskRouterValidationError(
      'taskRouter.role',
      'must be a non-empty word of letters, digits, ".", "_" or "-" (such as "worker")',
    );
  }

  const iat = Math.floor(issuedAtMs / 1000);
  const grants: AccessTokenGrants = {};
  if (identity !== undefined) grants.identity = identity;
  grants.task_router = { workspace_sid: taskRouter.workspaceSid, worker_sid: taskRouter.workerSid, role };
  // Claim order follows the `twilio` package, so equal inputs give byte-identical tokens.
  const claims = { jti: `${apiKeySid}-${iat}`, grants, iat, exp: iat + ttl, iss: apiKeySid, sub: accountSid };
  const signedPart = `${base64UrlOfText(JSON.stringify(HEADER))}.${base64UrlOfText(JSON.stringify(claims))}`;
  const key = await hmacKey(apiKeySecret, 'SHA-256', 'sign');
  const signature = await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(signedPart));
  return `${signedPart}.${base64Url(new Uint8Array(signature))}`;
}

function checkIdentity(identity: unknown): void {
  if (typeof identity !== 'string' || identity === '') {
    throw new TaskRouterValidationError('identity', 'must be a non-empty string when given');
  }
  if (identity.length > MAX_IDENTITY_LENGTH) {
    throw new TaskRouterValidationError(
      'identity',
      `must be at most ${MAX_IDENTITY_LENGTH} characters, got ${identity.length}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(identity)) {
    throw new TaskRouterValidationError('identity', 'must not contain control characters');
  }
}

/** Why {@link verifyAccessToken} refused a token. */
export type AccessTokenProblem =
  /** Not three base64url parts, or a header or claims that are not the JSON of an access token. */
  | 'malformed'
  /** Signed with an algorithm other than HS256, HS384 or HS512. */
  | 'unsupported-algorithm'
  /** No secret is known for the API key named by `iss`. */
  | 'unknown-api-key'
  /** The signature does not match the key's secret. */
  | 'bad-signature'
  /** `sub` names another account. */
  | 'wrong-account'
  /** `exp` has passed. */
  | 'expired'
  /** `nbf` is still to come. */
  | 'not-yet-valid';

/** An access token was refused by {@link verifyAccessToken}; {@link AccessTokenError.problem} says why. */
export class AccessTokenError extends TaskRouterError {
  override name = 'AccessTokenError';
  /** Why the token was refused. */
  readonly problem: AccessTokenProblem;

  constructor(problem: AccessTokenProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** Options of {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions {
  /**
   * The secret of the API key that signed the token, or a function that returns the secret of
   * the API key named by the token's `iss` (undefined for a key it does not know).
   */
  apiKeySecret: string | ((apiKeySid: string) => string | undefined);
  /** When given, the token's `sub` must be this account. */
  accountSid?: string | undefined;
  /** The time to check `exp` and `nbf` against; defaults to now. */
  at?: Date | undefined;
  /**
   * Set to `false` to skip the signature and check only the claims. Only for emulators and
   * tests that accept any credentials; a real server must always check it.
   */
  checkSignature?: boolean | undefined;
}

/**
 * Verifies an access token on a server: its form, its algorithm (HS256, HS384 or HS512), its
 * signature with the secret of the API key named by `iss`, its account (`sub`) when
 * `accountSid` is given, and its validity period (`exp`, `nbf`). Resolves to its claims.
 *
 * @throws {@link AccessTokenError} whose `problem` says why the token was refused.
 * @example
 * ```ts
 * import { createAccessToken, verifyAccessToken } from '@taskrouter/core';
 *
 * const secret = 'the API key secret';
 * const token = await createAccessToken({
 *   accountSid: 'AC00000000000000000000000000000000',
 *   apiKeySid: 'SK00000000000000000000000000000000',
 *   apiKeySecret: secret,
 *   taskRouter: {
 *     workspaceSid: 'WS00000000000000000000000000000000',
 *     workerSid: 'WK00000000000000000000000000000000',
 *   },
 * });
 * const claims = await verifyAccessToken(token, { apiKeySecret: secret });
 * console.log(claims.grants.task_router?.worker_sid); // WK000…
 * ```
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const { header, claims, signedPart, signature } = splitToken(token);
  if (options.checkSignature !== false) {
    const hash = typeof header.alg === 'string' ? HASHES[header.alg] : undefined;
    if (hash === undefined) {
      throw new AccessTokenError(
        'unsupported-algorithm',
        `Access token is signed with ${JSON.stringify(header.alg)}; only HS256, HS384 and HS512 are accepted`,
      );
    }
    const secret =
      typeof options.apiKeySecret === 'function' ? options.apiKeySecret(claims.iss) : options.apiKeySecret;
    if (secret === undefined || secret === '') {
      throw new AccessTokenError(
        'unknown-api-key',
        `Access token is signed by unknown API key ${claims.iss}`,
      );
    }
    const key = await hmacKey(secret, hash, 'verify');
    if (!(await globalThis.crypto.subtle.verify('HMAC', key, signature, encoder.encode(signedPart)))) {
      throw new AccessTokenError(
        'bad-signature',
        `Access token signature does not match the secret of API key ${claims.iss}`,
      );
    }
  }
  if (options.accountSid !== undefined && claims.sub !== options.accountSid) {
    throw new AccessTokenError(
      'wrong-account',
      `Access token is for account ${claims.sub}, not ${options.accountSid}`,
    );
  }
  const nowSeconds = (options.at ?? new Date()).valueOf() / 1000;
  if (nowSeconds >= claims.exp) {
    throw new AccessTokenError(
      'expired',
      `Access token expired at ${new Date(claims.exp * 1000).toISOString()} (${Math.ceil(nowSeconds - claims.exp)} s ago); mint a new one`,
    );
  }
  if (claims.nbf !== undefined && nowSeconds < claims.nbf) {
    throw new AccessTokenError(
      'not-yet-valid',
      `Access token is not valid before ${new Date(claims.nbf * 1000).toISOString()}`,
    );
  }
  return claims;
}

/**
 * Reads an access token's claims WITHOUT checking its signature or its validity period, as the
 * worker SDK does to learn its workspace. For display and routing only; to trust a token, use
 * {@link verifyAccessToken}.
 *
 * @throws {@link AccessTokenError} (`malformed`) when the text is not an access token.
 */
export function decodeAccessToken(token: string): AccessTokenClaims {
  return splitToken(token).claims;
}

interface SplitToken {
  header: Record<string, unknown>;
  claims: AccessTokenClaims;
  signedPart: string;
  signature: Uint8Array<ArrayBuffer>;
}

function splitToken(token: string): SplitToken {
  const malformed = (why: string) => new AccessTokenError('malformed', `Access token is malformed: ${why}`);
  if (typeof token !== 'string' || token === '') throw malformed('expected a non-empty string');
  const parts = token.split('.');
  if (parts.length !== 3) throw malformed(`expected 3 dot-separated parts, got ${parts.length}`);
  const [headerText, claimsText, signatureText] = parts as [string, string, string];
  const header = jsonPart(headerText, 'header', malformed);
  const claims = jsonPart(claimsText, 'claims', malformed);
  const signature = base64UrlToBytes(signatureText);
  if (signature === undefined || signature.length === 0) throw malformed('the signature is not base64url');
  if (typeof claims.iss !== 'string' || claims.iss === '') throw malformed('the iss claim is missing');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw malformed('the sub claim is missing');
  for (const name of ['iat', 'exp'] as const) {
    if (typeof claims[name] !== 'number' || !Number.isFinite(claims[name])) {
      throw malformed(`the ${name} claim is not a number of seconds`);
    }
  }
  if (claims.nbf !== undefined && typeof claims.nbf !== 'number') {
    throw malformed('the nbf claim is not a number of seconds');
  }
  if (typeof claims.grants !== 'object' || claims.grants === null || Array.isArray(claims.grants)) {
    throw malformed('the grants claim is not an object');
  }
  if (typeof claims.jti !== 'string') throw malformed('the jti claim is missing');
  return {
    header,
    claims: claims as unknown as AccessTokenClaims,
    signedPart: `${headerText}.${claimsText}`,
    signature,
  };
}

function jsonPart(
  text: string,
  name: string,
  malformed: (why: string) => AccessTokenError,
): Record<string, unknown> {
  const bytes = base64UrlToBytes(text);
  if (bytes === undefined) throw malformed(`the ${name} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw malformed(`the ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`the ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function hmacKey(secret: string, hash: string, use: 'sign' | 'verify'): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, [
    use,
  ]);
}

function base64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlOfText(text: string): string {
  return base64Url(encoder.encode(text));
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return base64ToBytes(padded);
}
