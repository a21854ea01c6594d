import { request } from 'node:http';
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { createTaskRouterClient } from '@taskrouter/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { CliUsageError, parseCliArguments } from '../src/adapters/cli-options.js';
import { createEmulator } from '../src/index.js';
import { cli, runCli, startCli } from './cli-process.js';

describe('HTTP server', () => {
  test('serves the same state as the in-process fetch, with URLs on its own origin', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen({ port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createTaskRouterClient({ ...emulator.credentials, baseUrl: server.url });
      const { data: workspace } = await client.POST('/v1/Workspaces', {
        body: { FriendlyName: 'Over HTTP', Template: 'FIFO' },
      });
      expect(workspace.url).toBe(`${server.url}/v1/Workspaces/${workspace.sid}`);
      const { data: task, response } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: { path: { WorkspaceSid: workspace.sid! } },
        body: { Attributes: { type: 'http' } },
      });
      expect(response.headers.get('etag')).toBe('0');
      expect(emulator.inspect.tasks(workspace.sid!).map((item) => item.sid)).toEqual([task.sid]);
      const refused = await fetch(`${server.url}/v1/Workspaces`);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 20003 });
    } finally {
      await server.close();
    }
  });

  test('a body over 1 MB gets 413 and the server keeps serving', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen();
    try {
      const { port } = new URL(server.url);
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = request(
          {
            port,
            method: 'POST',
            path: '/v1/Workspaces',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(`FriendlyName=${'x'.repeat(1_100_000)}`);
      });
      expect(status).toBe(413);
      const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
      expect((await fetch(`${server.url}/v1/Workspaces`, { headers: { authorization } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('close() stops every server; a bad port is refused', async () => {
    const emulator = createEmulator();
    const first = await emulator.listen();
    await emulator.listen();
    await emulator.close();
    await expect(fetch(`${first.url}/v1/Workspaces`)).rejects.toThrow();
    await expect(emulator.listen({ port: 70_000 })).rejects.toThrow(
      /port must be an integer from 0 to 65535/,
    );
  });
});

/** Writes `text` on a fresh connection and resolves with all the server sends until it closes the connection. */
function rawExchange(url: string, text: string): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('slow clients', () => {
  // Small timeouts keep these tests short; the vitest timeout bounds them if the server never answers.
  const timeouts = { requestTimeout: 300, headersTimeout: 200, keepAliveTimeout: 100 };

  test('a body announced but never sent gets a Twilio-shaped 408 and the connection is closed', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen(timeouts);
    try {
      const received = await rawExchange(
        server.url,
        'POST /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
          'Content-Length: 100\r\n\r\nFriendlyName=Sl',
      );
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(received).toContain('Connection: close');
      expect(received).toContain('X-Rate-Limit-Limit: 100');
      const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));
      expect(body).toMatchObject({ status: 408, code: 20408 });
      expect(body.message).toContain('the whole request within 300 ms');
      expect(emulator.inspect.workspaces()).toEqual([]);
      const authorization = `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;
      expect((await fetch(`${server.url}/v1/Workspaces`, { headers: { authorization } })).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 10_000);

  test('headers that never end get a 408 too', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen(timeouts);
    try {
      const received = await rawExchange(server.url, 'GET /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\n');
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(received).toContain('"code":20408');
    } finally {
      await server.close();
    }
  }, 10_000);

  test('an idle keep-alive connection is closed after keepAliveTimeout', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen(timeouts);
    try {
      const received = await rawExchange(server.url, 'GET /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\n\r\n');
      expect(received).toMatch(/^HTTP\/1\.1 401 /);
      expect(received).toContain('Connection: keep-alive');
    } finally {
      await server.close();
    }
    // Below Node's default of 5 s, so this fails if the option is not applied.
  }, 4_000);

  test('timeouts must be positive whole milliseconds, headers no longer than the request', async () => {
    const emulator = createEmulator();
    await expect(emulator.listen({ requestTimeout: 0 })).rejects.toThrow(/requestTimeout.*above 0/);
    await expect(emulator.listen({ keepAliveTimeout: 1.5 })).rejects.toThrow(/keepAliveTimeout/);
    await expect(emulator.listen({ requestTimeout: 1000, headersTimeout: 2000 })).rejects.toThrow(
      /headersTimeout.*must not exceed requestTimeout \(1000 ms\)/,
    );
    const short = await emulator.listen({ requestTimeout: 500 });
    await short.close();
  });
});

describe('CLI options', () => {
  test('defaults: any free port on loopback, any credentials', () => {
    expect(parseCliArguments([], {})).toEqual({
      emulator: { acceptAnyCredentials: true, clock: 'real' },
      listen: { port: 0, host: '127.0.0.1', ui: true },
      stateFile: undefined,
      help: false,
    });
  });

  test('flags win over the environment; credentials come in pairs', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const env = { TWILIO_ACCOUNT_SID: `AC${'b'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'from-env' };
    expect(parseCliArguments(['--port', '4010', '--host', '0.0.0.0', '--account-sid', sid], env)).toEqual({
      emulator: { accountSid: sid, authToken: 'from-env', clock: 'real' },
      listen: { port: 4010, host: '0.0.0.0', ui: true },
      stateFile: undefined,
      help: false,
    });
    expect(() => parseCliArguments(['--auth-token', 'x'], {})).toThrow(
      /both an account SID and an auth token/,
    );
    expect(() => parseCliArguments(['--port', 'abc'], {})).toThrow(CliUsageError);
    expect(() => parseCliArguments(['--port', '65536'], {})).toThrow(/--port must be an integer/);
    expect(() => parseCliArguments(['--account-sid', 'AC1', '--auth-token', 'x'], {})).toThrow(
      /--account-sid must be AC/,
    );
    expect(() => parseCliArguments(['--verbose'], {})).toThrow(CliUsageError);
    expect(parseCliArguments(['-h'], {}).help).toBe(true);
    expect(parseCliArguments(['--', '--port', '4010'], {}).listen.port).toBe(4010);
  });

  test('--clock, --state-file and --no-ui', () => {
    const settings = parseCliArguments(['--clock', 'virtual', '--state-file', 'state.json', '--no-ui'], {});
    expect(settings.emulator.clock).toBe('virtual');
    expect(settings.stateFile).toBe('state.json');
    expect(settings.listen.ui).toBe(false);
    expect(() => parseCliArguments(['--clock', 'fast'], {})).toThrow(
      new CliUsageError("--clock must be 'real' or 'virtual', got 'fast'"),
    );
    expect(() => parseCliArguments(['--state-file', ''], {})).toThrow(/--state-file must name a file/);
  });

  test('an API key from flags or the environment, in pairs, with an SK SID', () => {
    const sid = `SK${'a'.repeat(32)}`;
    expect(parseCliArguments(['--api-key-sid', sid, '--api-key-secret', 's3cret'], {}).emulator).toEqual({
      acceptAnyCredentials: true,
      clock: 'real',
      apiKeys: [{ sid, secret: 's3cret' }],
    });
    expect(
      parseCliArguments(['--api-key-secret', 'flag'], { TWILIO_API_KEY: sid, TWILIO_API_SECRET: 'env' })
        .emulator.apiKeys,
    ).toEqual([{ sid, secret: 'flag' }]);
    expect(() => parseCliArguments(['--api-key-sid', sid], {})).toThrow(/both an API key SID and its secret/);
    expect(() =>
      parseCliArguments(['--api-key-sid', `AC${'a'.repeat(32)}`, '--api-key-secret', 'x'], {}),
    ).toThrow(/--api-key-sid must be SK followed by 32 hex digits/);
  });

  test('timeouts: whole milliseconds, headers within the request timeout (given or default)', () => {
    expect(
      parseCliArguments(
        ['--request-timeout', '5000', '--headers-timeout', '5000', '--keep-alive-timeout', '1'],
        {},
      ).listen,
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      ui: true,
      requestTimeout: 5000,
      headersTimeout: 5000,
      keepAliveTimeout: 1,
    });
    expect(parseCliArguments(['--headers-timeout', '30000'], {}).listen.headersTimeout).toBe(30_000);
    expect(() => parseCliArguments(['--headers-timeout', '30001'], {})).toThrow(
      /--headers-timeout must not exceed the request timeout \(30000 ms\), got 30001/,
    );
    for (const bad of ['-5', '1e3', '', '9007199254740993']) {
      expect(() => parseCliArguments([`--keep-alive-timeout=${bad}`], {})).toThrow(
        new CliUsageError(
          `--keep-alive-timeout must be a whole number of milliseconds above 0, got '${bad}'`,
        ),
      );
    }
  });
});

describe('taskrouter-mock command', () => {
  beforeAll(() => {
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `pnpm --filter @taskrouter/testing-mocks build`');
  });

  test('prints its URL, serves requests with the configured credentials, and stops on SIGTERM', async () => {
    const accountSid = `AC${'c'.repeat(32)}`;
    const { url, stop } = await startCli(['--port', '0'], {
      ...process.env,
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: 'token',
    });
    try {
      const good = await fetch(`${url}/v1/Workspaces`, {
        headers: { authorization: `Basic ${btoa(`${accountSid}:token`)}` },
      });
      expect(good.status).toBe(200);
      const bad = await fetch(`${url}/v1/Workspaces`, {
        headers: { authorization: `Basic ${btoa(`${accountSid}:other`)}` },
      });
      expect(bad.status).toBe(401);
    } finally {
      expect(await stop()).toBe(0);
    }
  }, 30_000);

  test('accepts Basic auth with its API key and prints the worker SDK options', async () => {
    const accountSid = `AC${'d'.repeat(32)}`;
    const apiKeySid = `SK${'e'.repeat(32)}`;
    const { url, stop, output } = await startCli([
      '--account-sid',
      accountSid,
      '--auth-token',
      'token',
      '--api-key-sid',
      apiKeySid,
      '--api-key-secret',
      'key-secret',
    ]);
    try {
      expect(output()).toContain(`Account ${accountSid}, API key ${apiKeySid}\n`);
      expect(output()).not.toContain('key-secret');
      expect(output()).toContain(
        `ebServer: '${url}/v1/wschannels', wsServer: '${url.replace('http', 'ws')}/v1/wschannels'`,
      );
      const withKey = await fetch(`${url}/v1/Workspaces`, {
        headers: { authorization: `Basic ${btoa(`${apiKeySid}:key-secret`)}` },
      });
      expect(withKey.status).toBe(200);
      const wrongSecret = await fetch(`${url}/v1/Workspaces`, {
        headers: { authorization: `Basic ${btoa(`${apiKeySid}:other`)}` },
      });
      expect(wrongSecret.status).toBe(401);
    } finally {
      expect(await stop()).toBe(0);
    }
  }, 30_000);

  test('a bad option exits with status 2 and the usage', async () => {
    const { code, stderr } = await runCli(['--port', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be an integer');
    expect(stderr).toContain('Usage: taskrouter-mock');
  }, 30_000);

  test('--help lists the timeout flags', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--request-timeout <ms>', '--headers-timeout <ms>', '--keep-alive-timeout <ms>']) {
      expect(stdout).toContain(flag);
    }
  }, 30_000);

  test.each([
    [['--request-timeout', '0'], "--request-timeout must be a whole number of milliseconds above 0, got '0'"],
    [
      ['--headers-timeout', '1.5'],
      "--headers-timeout must be a whole number of milliseconds above 0, got '1.5'",
    ],
    [
      ['--keep-alive-timeout', 'soon'],
      "--keep-alive-timeout must be a whole number of milliseconds above 0, got 'soon'",
    ],
    [
      ['--request-timeout', '1000', '--headers-timeout', '2000'],
      '--headers-timeout must not exceed the request timeout (1000 ms), got 2000',
    ],
  ])(
    '%j exits with status 2 and says why',
    async (args, message) => {
      const { code, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain('Usage: taskrouter-mock');
    },
    30_000,
  );

  test('the timeout flags reach the server', async () => {
    const { url, stop } = await startCli([
      '--request-timeout',
      '400',
      '--headers-timeout',
      '300',
      '--keep-alive-timeout',
      '7000',
    ]);
    try {
      const slow = await rawExchange(url, 'GET /v1/Workspaces HTTP/1.1\r\nHost: emulator\r\n');
      expect(slow).toMatch(/^HTTP\/1\.1 408 /);
      expect(slow).toContain('headers within 300 ms, the whole request within 400 ms');
      // Node announces the keep-alive timeout in whole seconds.
      const answer = await fetch(`${url}/v1/Workspaces`);
      expect(answer.headers.get('keep-alive')).toBe('timeout=7');
    } finally {
      expect(await stop()).toBe(0);
    }
  }, 30_000);
});
