#!/usr/bin/env node
import { CLI_USAGE, CliUsageError, parseCliArguments } from './adapters/cli-options.js';
import { readStateFile, StateFileError, StateFileWriter } from './adapters/state-file.js';
import { EmulatorSnapshotError } from './domain/errors.js';
import { createEmulator } from './emulator.js';
import { observeChanges } from './emulator/internals.js';
import type { EmulatorSnapshot } from './emulator/types.js';

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
  const { stateFile } = settings;
  const saved = stateFile === undefined ? undefined : readStateFile(stateFile);
  let emulator: ReturnType<typeof createEmulator>;
  try {
    emulator = createEmulator({ ...settings.emulator, snapshot: saved as EmulatorSnapshot | undefined });
  } catch (error) {
    if (stateFile !== undefined && (error instanceof EmulatorSnapshotError || error instanceof TypeError)) {
      throw new StateFileError(
        stateFile,
        error.message.replace(/^(createEmulator|Cannot restore the emulator snapshot): /, ''),
      );
    }
    throw error;
  }
  const writer =
    stateFile === undefined
      ? undefined
      : new StateFileWriter(stateFile, emulator.snapshot, (error) =>
          process.stderr.write(
            `taskrouter-mock: could not write the state file ${stateFile}: ${error.message}\n`,
          ),
        );
  if (writer) {
    observeChanges(emulator, () => writer.changed());
    // A new file exists from the start, so a later failure to write it shows at once.
    if (saved === undefined) writer.flush(true);
    // A real clock caught up with the time the command was stopped: keep what that fired.
    else writer.changed();
  }
  const server = await emulator.listen(settings.listen);
  const accepted = settings.emulator.acceptAnyCredentials
    ? "any Basic credentials (each caller's account SID has a state of its own)"
    : `account ${emulator.credentials.accountSid} with its auth token`;
  const restored = saved === undefined ? '' : `Restored the state of ${stateFile}\n`;
  const ui = settings.listen.ui ? `Dashboard at ${server.url}/__emulator/ui\n` : '';
  const [key] = emulator.apiKeys;
  const keyText =
    settings.emulator.apiKeys === undefined ? `${key?.sid} (secret ${key?.secret})` : `${key?.sid}`;
  process.stdout.write(
    `TaskRouter emulator listening on ${server.url}\nAccepting ${accepted}\n${restored}${ui}` +
      `Account ${emulator.credentials.accountSid}, API key ${keyText}\n` +
      `Worker SDK options: { ebServer: '${server.ebServer}', wsServer: '${server.wsServer}' }\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    writer?.flush(true);
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
