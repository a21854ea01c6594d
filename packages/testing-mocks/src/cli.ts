#!/usr/bin/env node
import { CLI_USAGE, CliUsageError, parseCliArguments } from './adapters/cli-options.js';
import { createEmulator } from './emulator.js';

async function main(): Promise<void> {
  let settings: ReturnType<typeof parseCliArguments>;
  try {
    settings = parseCliArguments(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`taskrouter-mock: ${error.message}\n\n${CLI_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (settings.help) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return;
  }
  const emulator = createEmulator(settings.emulator);
  const server = await emulator.listen(settings.listen);
  const accepted = settings.emulator.acceptAnyCredentials
    ? 'any Basic credentials'
    : `account ${emulator.credentials.accountSid} with its auth token`;
  process.stdout.write(`TaskRouter emulator listening on ${server.url}\nAccepting ${accepted}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`taskrouter-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
