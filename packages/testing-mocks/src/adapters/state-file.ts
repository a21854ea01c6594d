/**
 * The command's `--state-file`: the emulator's snapshot kept in a file, read at start and written
 * shortly after every change and on shutdown. Each write goes to a temporary file in the same
 * folder, is flushed to disk and renamed over the old one, so a crash leaves either the old or
 * the new state, never a torn file.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How long after a change the state is written, at most. */
export const STATE_WRITE_DELAY_MS = 50;

/** A state file that cannot be used; the server must not start (and must not overwrite it). */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `cannot use the state file ${path}: ${reason}. The file was left untouched. To start fresh, ` +
        'move or delete it, or give another --state-file.',
    );
  }
}

/** Reads the snapshot a state file holds; undefined when the file does not exist yet. */
export function readStateFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StateFileError(path, `it cannot be read (${code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StateFileError(path, `it is not valid JSON (${(error as Error).message})`);
  }
}

/** Writes `snapshot` to `path` through a flushed temporary file and a rename. */
export function writeStateFile(path: string, snapshot: unknown): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const descriptor = openSync(temporary, 'w', 0o600);
    try {
      writeSync(descriptor, JSON.stringify(snapshot));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable once the folder is flushed (not possible on every platform).
  try {
    const folder = openSync(dirname(path), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch {
    // Flushing a folder is not supported here (Windows); the rename is still atomic.
  }
}

/**
 * Writes the state at most {@link STATE_WRITE_DELAY_MS} after a change, once for a burst of
 * changes; `flush()` writes at once (shutdown).
 */
export class StateFileWriter {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly path: string,
    private readonly take: () => unknown,
    private readonly failed: (error: Error) => void,
  ) {}

  /** A change happened: write soon. */
  changed(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), STATE_WRITE_DELAY_MS);
  }

  /** Writes now, if a change is waiting (or `always`). */
  flush(always = false): void {
    const waiting = this.timer !== undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!waiting && !always) return;
    try {
      writeStateFile(this.path, this.take());
    } catch (error) {
      this.failed(error as Error);
    }
  }
}
