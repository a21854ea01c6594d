import { parseArgs } from 'node:util';
import { isSid } from '@taskrouter/core';
import { DEFAULT_REQUEST_TIMEOUT, type ListenOptions } from './http-server.js';

/** The emulator options the command line sets (a subset of `createEmulator`'s options). */
export interface CliEmulatorSettings {
  readonly accountSid?: string;
  readonly authToken?: string;
  readonly acceptAnyCredentials?: boolean;
  /** How time passes (`--clock`); real by default. */
  readonly clock: 'virtual' | 'real';
  readonly apiKeys?: readonly { readonly sid: string; readonly secret: string }[];
}

/** What the `taskrouter-mock` command line asks for. */
export interface CliSettings {
  readonly emulator: CliEmulatorSettings;
  /** Where to listen, plus the timeouts given on the command line (the others keep their defaults). */
  readonly listen: Required<Pick<ListenOptions, 'port' | 'host' | 'ui'>> &
    Pick<ListenOptions, 'requestTimeout' | 'headersTimeout' | 'keepAliveTimeout'>;
  /** Where the state is kept across restarts (`--state-file`), if anywhere. */
  readonly stateFile: string | undefined;
  readonly help: boolean;
}

/** Usage text of `taskrouter-mock`. */
export const CLI_USAGE = `Usage: taskrouter-mock [options]

Serves an in-memory TaskRouter v1 emulator over HTTP.

Options:
  --port <n>            TCP port, 0 for any free port (default 0)
  --host <address>      interface to bind (default 127.0.0.1)
  --account-sid <AC…>   account to accept (default: $TWILIO_ACCOUNT_SID)
  --auth-token <token>  auth token to accept (default: $TWILIO_AUTH_TOKEN)
  --api-key-sid <SK…>   API key to accept for REST Basic auth and to verify the worker
                        SDK's access tokens (default: $TWILIO_API_KEY)
  --api-key-secret <secret>
                        that API key's secret (default: $TWILIO_API_SECRET)
  --request-timeout <ms>
                        time a client has to send a whole request, else 408 (default 30000)
  --headers-timeout <ms>
                        time a client has to send a request's headers, at most the
                        request timeout (default 10000, or the request timeout if lower)
  --keep-alive-timeout <ms>
                        time an idle keep-alive connection stays open (default 5000)
  --clock <real|virtual>
                        real: time follows the wall clock and timers fire by themselves;
                        virtual: time moves only when told (POST /__emulator/clock/advance)
                        (default real)
  --state-file <file>   keep the state of every account in this file: loaded at start,
                        written within about 100 ms of every change and on SIGINT/SIGTERM (a
                        file of another version or that cannot be read stops the command; it
                        is never overwritten). With the real clock, timers due while the
                        command was stopped fire on start, dated when they were due
  --no-ui               do not serve the dashboard at /__emulator/ui
  -h, --help            show this help

Without an account SID and auth token, any Basic credentials are accepted and access
tokens are checked for everything but their signature; each caller's account SID (the
Basic user name) then has a state of its own. Without an API key, a random one is made
and printed. The worker SDK connects with the printed ebServer and wsServer; its token's
sub picks the account, as the Basic user name does (one a caller has used).

Remote control, on the same port, with the same Basic credentials, JSON in and out. It
acts on the caller's account (?AccountSid=AC… picks another one when any credentials are
accepted); the clock is one for every account:
  GET  /__emulator/clock            the time, the clock mode and the pending timers
  POST /__emulator/clock/advance    {"seconds": n}: move time on, firing the timers due
                                    in every account
  POST /__emulator/reset            forget the account's workspaces and timers
  POST /__emulator/seed             {"workspaces": [{...CreateWorkspace parameters,
                                    "taskQueues": [...], "workers": [...], "workflows": [...],
                                    "tasks": [...]}]}: create resources, all or nothing
  GET  /__emulator/state            the account's state as a snapshot (--state-file keeps
                                    every account's)
  GET  /__emulator/accounts         the accounts there are, the emulator's own first
  GET  /__emulator/calls            the requests answered so far (?OperationId=CreateTask: one operation's)
  GET  /__emulator/callbacks        the callbacks sent so far
  GET  /__emulator/events           server-sent events: every event as it happens
  GET  /__emulator/ui               the dashboard (in a browser)`;

/** Thrown for command lines the CLI cannot run with. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** Reads the command line and environment into emulator and server settings. */
export function parseCliArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliSettings {
  let values: Record<string, string | boolean | undefined>;
  // `pnpm mock -- --port 4010` hands the separator on; options follow it.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'account-sid': { type: 'string' },
        'auth-token': { type: 'string' },
        'api-key-sid': { type: 'string' },
        'api-key-secret': { type: 'string' },
        'request-timeout': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'keep-alive-timeout': { type: 'string' },
        clock: { type: 'string' },
        'state-file': { type: 'string' },
        'no-ui': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const portText = (values.port as string | undefined) ?? '0';
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new CliUsageError(`--port must be an integer from 0 to 65535, got '${portText}'`);
  }
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  if (host === '') throw new CliUsageError('--host must not be empty');
  const account = sidAndSecret(values, env, {
    sid: 'account-sid',
    secret: 'auth-token',
    sidVariable: 'TWILIO_ACCOUNT_SID',
    secretVariable: 'TWILIO_AUTH_TOKEN',
    prefix: 'AC',
    what: 'an account SID and an auth token',
  });
  const clock = (values.clock as string | undefined) ?? 'real';
  if (clock !== 'real' && clock !== 'virtual') {
    throw new CliUsageError(`--clock must be 'real' or 'virtual', got '${clock}'`);
  }
  const stateFile = values['state-file'] as string | undefined;
  if (stateFile === '') throw new CliUsageError('--state-file must name a file');
  const apiKey = sidAndSecret(values, env, {
    sid: 'api-key-sid',
    secret: 'api-key-secret',
    sidVariable: 'TWILIO_API_KEY',
    secretVariable: 'TWILIO_API_SECRET',
    prefix: 'SK',
    what: 'an API key SID and its secret',
  });
  const credentials: CliEmulatorSettings =
    account === undefined
      ? { acceptAnyCredentials: true, clock }
      : { accountSid: account.sid, authToken: account.secret, clock };
  const emulator: CliEmulatorSettings =
    apiKey === undefined ? credentials : { ...credentials, apiKeys: [apiKey] };
  const listen: CliSettings['listen'] = { port, host, ui: values['no-ui'] !== true };
  const requestTimeout = milliseconds('request-timeout', values['request-timeout']);
  const headersTimeout = milliseconds('headers-timeout', values['headers-timeout']);
  const keepAliveTimeout = milliseconds('keep-alive-timeout', values['keep-alive-timeout']);
  if (requestTimeout !== undefined) listen.requestTimeout = requestTimeout;
  if (headersTimeout !== undefined) {
    const limit = requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
    if (headersTimeout > limit) {
      throw new CliUsageError(
        `--headers-timeout must not exceed the request timeout (${limit} ms), got ${headersTimeout}`,
      );
    }
    listen.headersTimeout = headersTimeout;
  }
  if (keepAliveTimeout !== undefined) listen.keepAliveTimeout = keepAliveTimeout;
  return { emulator, listen, stateFile, help: values.help === true };
}

/** A timeout flag's value: whole milliseconds above 0, written in digits. */
function milliseconds(flag: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const parsed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new CliUsageError(`--${flag} must be a whole number of milliseconds above 0, got '${text}'`);
  }
  return parsed;
}

/** Where {@link sidAndSecret} reads a credential pair from, and how it names it in errors. */
interface CredentialPair {
  sid: string;
  secret: string;
  sidVariable: string;
  secretVariable: string;
  prefix: 'AC' | 'SK';
  what: string;
}

/**
 * A SID and its secret from their flags, else from their environment variables: both or neither,
 * and the SID of the pair's kind.
 */
function sidAndSecret(
  values: Record<string, string | boolean | undefined>,
  env: Readonly<Record<string, string | undefined>>,
  pair: CredentialPair,
): { sid: string; secret: string } | undefined {
  const sid = (values[pair.sid] as string | undefined) || env[pair.sidVariable] || undefined;
  const secret = (values[pair.secret] as string | undefined) || env[pair.secretVariable] || undefined;
  if (sid === undefined && secret === undefined) return undefined;
  if (sid === undefined || secret === undefined) {
    throw new CliUsageError(
      `give both ${pair.what} (--${pair.sid}/--${pair.secret} or ${pair.sidVariable}/${pair.secretVariable}), or neither`,
    );
  }
  if (!isSid(sid, pair.prefix)) {
    throw new CliUsageError(`--${pair.sid} must be ${pair.prefix} followed by 32 hex digits, got '${sid}'`);
  }
  return { sid, secret };
}
