import { createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import twilio from 'twilio';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  AccessTokenError,
  type AccessTokenOptions,
  createAccessToken,
  decodeAccessToken,
  TaskRouterValidationError,
  verifyAccessToken,
} from '../src/index.js';

const { AccessToken } = twilio.jwt;

const ACCOUNT = `AC${'1'.repeat(32)}`;
const API_KEY = `SK${'2'.repeat(32)}`;
const SECRET = 'api-key-secret-0123456789abcdef';
const WORKSPACE = `WS${'3'.repeat(32)}`;
const WORKER = `WK${'4'.repeat(32)}`;
const ISSUED = new Date('2030-05-06T07:08:09.750Z');
const ISSUED_SECONDS = Math.floor(ISSUED.valueOf() / 1000);

const options: AccessTokenOptions = {
  accountSid: ACCOUNT,
  apiKeySid: API_KEY,
  apiKeySecret: SECRET,
  identity: 'alice@example.com',
  ttlSeconds: 600,
  issuedAt: ISSUED,
  taskRouter: { workspaceSid: WORKSPACE, workerSid: WORKER },
};

/** A token from the official `twilio` package, made while Date.now() reads `at`. */
function twilioToken(input: {
  identity: string;
  ttl?: number;
  role?: string;
  at: Date;
  algorithm?: string;
  secret?: string;
}): string {
  vi.useFakeTimers({ toFake: ['Date'], now: input.at });
  try {
    const token = new AccessToken(ACCOUNT, API_KEY, input.secret ?? SECRET, {
      identity: input.identity,
      ...(input.ttl === undefined ? {} : { ttl: input.ttl }),
    });
    token.addGrant(
      new AccessToken.TaskRouterGrant({
        workspaceSid: WORKSPACE,
        workerSid: WORKER,
        role: input.role ?? 'worker',
      }),
    );
    return token.toJwt(input.algorithm);
  } finally {
    vi.useRealTimers();
  }
}

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createAccessToken', () => {
  test('writes the header and every claim of the twilio package, in its order, byte for byte', async () => {
    const ours = await createAccessToken(options);
    const theirs = twilioToken({ identity: 'alice@example.com', ttl: 600, at: ISSUED });
    const [ourHeader, ourClaims] = ours.split('.');
    const [theirHeader, theirClaims] = theirs.split('.');
    expect(decodePart(ourHeader)).toEqual(decodePart(theirHeader));
    expect(decodePart(ourHeader)).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const claims = decodePart(ourClaims);
    const expected = decodePart(theirClaims);
    expect(Object.keys(claims)).toEqual(Object.keys(expected));
    for (const name of Object.keys(expected)) expect(claims[name], name).toEqual(expected[name]);
    expect(claims).toEqual({
      jti: `${API_KEY}-${ISSUED_SECONDS}`,
      grants: {
        identity: 'alice@example.com',
        task_router: { workspace_sid: WORKSPACE, worker_sid: WORKER, role: 'worker' },
      },
      iat: ISSUED_SECONDS,
      exp: ISSUED_SECONDS + 600,
      iss: API_KEY,
      sub: ACCOUNT,
    });
    // Same key, same bytes signed: the same signature too.
    expect(ours).toBe(theirs);
  });

  test('defaults match the twilio package: one hour, and the current time as iat', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: ISSUED });
    const ours = await createAccessToken({ ...options, ttlSeconds: undefined, issuedAt: undefined });
    vi.useRealTimers();
    const theirs = twilioToken({ identity: 'alice@example.com', at: ISSUED });
    expect(decodePart(ours.split('.')[1])).toEqual(decodePart(theirs.split('.')[1]));
    expect(decodePart(ours.split('.')[1]).exp).toBe(ISSUED_SECONDS + 3600);
  });

  test('a custom role is carried like the twilio package carries it', async () => {
    const ours = await createAccessToken({
      ...options,
      taskRouter: { ...options.taskRouter, role: 'supervisor' },
    });
    expect(ours).toBe(
      twilioToken({ identity: 'alice@example.com', ttl: 600, role: 'supervisor', at: ISSUED }),
    );
  });

  test('without an identity, the grants hold only the TaskRouter grant', async () => {
    const token = await createAccessToken({ ...options, identity: undefined });
    expect(decodePart(token.split('.')[1]).grants).toEqual({
      task_router: { workspace_sid: WORKSPACE, worker_sid: WORKER, role: 'worker' },
    });
  });

  test('the signature is HMAC-SHA256 of the first two parts with the API key secret (node:crypto)', async () => {
    for (const secret of [SECRET, 'ünïcødé secret ✓', 'x']) {
      const token = await createAccessToken({ ...options, apiKeySecret: secret });
      const [header, claims, signature] = token.split('.');
      const expected = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
      expect(signature).toBe(expected);
    }
  });

  test('jose verifies the token and reads the same issuer, subject and expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: ISSUED });
    const token = await createAccessToken(options);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      issuer: API_KEY,
      subject: ACCOUNT,
      algorithms: ['HS256'],
      currentDate: new Date(ISSUED.valueOf() + 1000),
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload.exp).toBe(ISSUED_SECONDS + 600);
    await expect(
      jwtVerify(token, new TextEncoder().encode('another secret'), { algorithms: ['HS256'] }),
    ).rejects.toThrow();
  });

  const invalid: [string, Partial<Record<string, unknown>>, RegExp][] = [
    ['accountSid', { accountSid: `WS${'1'.repeat(32)}` }, /Account SID/],
    ['accountSid', { accountSid: undefined }, /got undefined/],
    ['apiKeySid', { apiKeySid: `AC${'2'.repeat(32)}` }, /API key SID/],
    ['apiKeySecret', { apiKeySecret: '' }, /non-empty/],
    ['apiKeySecret', { apiKeySecret: 42 }, /non-empty/],
    ['identity', { identity: '' }, /non-empty/],
    ['identity', { identity: 'a\nb' }, /control characters/],
    ['identity', { identity: 'a'.repeat(257) }, /at most 256/],
    ['ttlSeconds', { ttlSeconds: 0 }, /from 1 to 86400/],
    ['ttlSeconds', { ttlSeconds: 86_401 }, /got 86401/],
    ['ttlSeconds', { ttlSeconds: 1.5 }, /whole number/],
    ['issuedAt', { issuedAt: new Date('nonsense') }, /valid Date/],
    ['taskRouter', { taskRouter: undefined }, /workspaceSid, workerSid/],
    ['taskRouter.workspaceSid', { taskRouter: { workspaceSid: WORKER, workerSid: WORKER } }, /Workspace SID/],
    ['taskRouter.workerSid', { taskRouter: { workspaceSid: WORKSPACE, workerSid: 'WK123' } }, /Worker SID/],
    [
      'taskRouter.role',
      { taskRouter: { workspaceSid: WORKSPACE, workerSid: WORKER, role: 'two words' } },
      /non-empty word/,
    ],
  ];
  test.each(invalid)('refuses a bad %s before signing, naming it', async (field, override, reason) => {
    const signing = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      const error = await createAccessToken({ ...options, ...override } as AccessTokenOptions).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TaskRouterValidationError);
      expect((error as TaskRouterValidationError).field).toBe(field);
      expect((error as TaskRouterValidationError).reason).toMatch(reason);
      expect(signing).not.toHaveBeenCalled();
    } finally {
      signing.mockRestore();
    }
  });
});

describe('verifyAccessToken', () => {
  const during = new Date(ISSUED.valueOf() + 60_000);

  async function refusal(token: string, verify: Parameters<typeof verifyAccessToken>[1]) {
    const error = await verifyAccessToken(token, verify).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AccessTokenError);
    return error as AccessTokenError;
  }

  test('accepts its own tokens and the twilio package’s, in every HMAC algorithm, and returns the claims', async () => {
    const ours = await createAccessToken(options);
    const claims = await verifyAccessToken(ours, { apiKeySecret: SECRET, accountSid: ACCOUNT, at: during });
    expect(claims.grants.task_router).toEqual({
      workspace_sid: WORKSPACE,
      worker_sid: WORKER,
      role: 'worker',
    });
    expect(claims.iss).toBe(API_KEY);
    for (const algorithm of ['HS256', 'HS384', 'HS512']) {
      const theirs = twilioToken({ identity: 'bob', ttl: 600, at: ISSUED, algorithm });
      const verified = await verifyAccessToken(theirs, { apiKeySecret: () => SECRET, at: during });
      expect(verified.grants.identity).toBe('bob');
    }
  });

  test('looks the secret up by the API key in iss', async () => {
    const token = await createAccessToken(options);
    const asked: string[] = [];
    await verifyAccessToken(token, {
      apiKeySecret: (sid) => {
        asked.push(sid);
        return sid === API_KEY ? SECRET : undefined;
      },
      at: during,
    });
    expect(asked).toEqual([API_KEY]);
    const other = await createAccessToken({ ...options, apiKeySid: `SK${'9'.repeat(32)}` });
    const error = await refusal(other, {
      apiKeySecret: (sid) => (sid === API_KEY ? SECRET : undefined),
      at: during,
    });
    expect(error.problem).toBe('unknown-api-key');
    expect(error.message).toContain(`SK${'9'.repeat(32)}`);
  });

  test('refuses a wrong secret and a tampered claim', async () => {
    const token = await createAccessToken(options);
    expect((await refusal(token, { apiKeySecret: 'not the secret', at: during })).problem).toBe(
      'bad-signature',
    );
    const [header, , signature] = token.split('.');
    const claims = decodePart(token.split('.')[1]);
    const forged = Buffer.from(
      JSON.stringify({
        ...claims,
        grants: { task_router: { workspace_sid: WORKSPACE, worker_sid: `WK${'5'.repeat(32)}` } },
      }),
    ).toString('base64url');
    const error = await refusal(`${header}.${forged}.${signature}`, { apiKeySecret: SECRET, at: during });
    expect(error.problem).toBe('bad-signature');
    expect(error.message).toContain(API_KEY);
  });

  test('refuses an expired token, one not yet valid, and one for another account', async () => {
    const token = await createAccessToken(options);
    const expiry = new Date((ISSUED_SECONDS + 600) * 1000);
    const expired = await refusal(token, { apiKeySecret: SECRET, at: expiry });
    expect(expired.problem).toBe('expired');
    expect(expired.message).toContain(expiry.toISOString());
    await expect(
      verifyAccessToken(token, { apiKeySecret: SECRET, at: new Date(expiry.valueOf() - 1000) }),
    ).resolves.toMatchObject({ sub: ACCOUNT });
    const wrongAccount = await refusal(token, {
      apiKeySecret: SECRET,
      accountSid: `AC${'7'.repeat(32)}`,
      at: during,
    });
    expect(wrongAccount.problem).toBe('wrong-account');

    const [header, claimsText] = token.split('.');
    const withNbf = Buffer.from(
      JSON.stringify({ ...decodePart(claimsText), nbf: ISSUED_SECONDS + 120 }),
    ).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${withNbf}`).digest('base64url');
    const early = await refusal(`${header}.${withNbf}.${signature}`, { apiKeySecret: SECRET, at: during });
    expect(early.problem).toBe('not-yet-valid');
  });

  test('refuses unsigned and unknown algorithms', async () => {
    const token = await createAccessToken(options);
    const [, claims, signature] = token.split('.');
    for (const alg of ['none', 'RS256', undefined]) {
      const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      const error = await refusal(`${header}.${claims}.${signature}`, { apiKeySecret: SECRET, at: during });
      expect(error.problem).toBe('unsupported-algorithm');
    }
  });

  test('refuses malformed tokens with the reason', async () => {
    const token = await createAccessToken(options);
    const [header, claims, signature] = token.split('.');
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: [string, RegExp][] = [
      ['', /non-empty/],
      ['a.b', /3 dot-separated parts/],
      [`${header}.${claims}`, /3 dot-separated parts/],
      [`${header}.${claims}.`, /signature/],
      [`***.${claims}.${signature}`, /header is not base64url/],
      [`${header}.${Buffer.from('not json').toString('base64url')}.${signature}`, /claims is not JSON/],
      [`${header}.${encode([1])}.${signature}`, /claims is not a JSON object/],
      [`${header}.${encode({ ...decodePart(claims), exp: '1' })}.${signature}`, /exp claim/],
      [`${header}.${encode({ ...decodePart(claims), iss: undefined })}.${signature}`, /iss claim/],
      [`${header}.${encode({ ...decodePart(claims), grants: 'all' })}.${signature}`, /grants claim/],
    ];
    for (const [text, reason] of cases) {
      const error = await refusal(text, { apiKeySecret: SECRET, at: during });
      expect(error.problem, text).toBe('malformed');
      expect(error.message, text).toMatch(reason);
    }
  });

  test('checkSignature: false checks everything but the signature', async () => {
    const token = await createAccessToken({ ...options, apiKeySecret: 'a secret nobody configured' });
    await expect(
      verifyAccessToken(token, { apiKeySecret: () => undefined, checkSignature: false, at: during }),
    ).resolves.toMatchObject({ iss: API_KEY });
    const expired = await refusal(token, {
      apiKeySecret: () => undefined,
      checkSignature: false,
      at: new Date((ISSUED_SECONDS + 601) * 1000),
    });
    expect(expired.problem).toBe('expired');
    const other = await refusal(token, {
      apiKeySecret: () => undefined,
      checkSignature: false,
      accountSid: `AC${'8'.repeat(32)}`,
      at: during,
    });
    expect(other.problem).toBe('wrong-account');
  });
});

describe('decodeAccessToken', () => {
  test('reads the claims without a secret and refuses what is not a token', async () => {
    const token = await createAccessToken(options);
    expect(decodeAccessToken(token).grants.task_router?.worker_sid).toBe(WORKER);
    expect(() => decodeAccessToken('nonsense')).toThrow(AccessTokenError);
  });
});
