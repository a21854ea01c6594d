/** Child processes of the benchmark: the stub server, measured apps and command-line tools. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Directory of this package; children run from here so `--import tsx` and packages resolve. */
export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Node arguments that let a child run this package's TypeScript sources directly. */
export const TS_NODE_ARGS = ['--import', 'tsx'];

/** Outcome of a finished child process. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  wallMs: number;
  /** Milliseconds from spawn to the first complete line on stdout, if any. */
  firstLineMs: number | undefined;
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The child is killed after this long; default 120 s. */
  timeoutMs?: number;
}

/** Runs a command to completion, timing it; rejects when it fails, times out or cannot start. */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstLineMs: number | undefined;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, {
      cwd: options.cwd ?? BENCH_DIR,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (firstLineMs === undefined && chunk.includes('\n')) firstLineMs = performance.now() - started;
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, wallMs: performance.now() - started, firstLineMs };
      if (code === 0) resolve(result);
      else {
        const reason =
          signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
        reject(new Error(`${command} ${args.join(' ')} ${reason}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

/** A long-running child whose first stdout line is a JSON announcement. */
export interface Service<T> {
  announcement: T;
  process: ChildProcess;
  /** Closes the child's stdin (its signal to stop) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a child that prints one JSON line when ready and exits when its stdin closes. */
export function startService<T>(args: string[], env?: NodeJS.ProcessEnv): Promise<Service<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: BENCH_DIR,
      env: env ?? process.env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const stop = async () => {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    };
    let buffer = '';
    const onData = (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      child.stdout.off('data', onData);
      try {
        resolve({ announcement: JSON.parse(buffer.slice(0, newline)) as T, process: child, stop });
      } catch (error) {
        child.kill('SIGKILL');
        reject(error);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)),
    );
  });
}

/** Starts the stub TaskRouter server in its own process. */
export async function startStubProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const service = await startService<{ url: string }>([...TS_NODE_ARGS, 'src/stub-server.ts']);
  return { url: service.announcement.url, stop: service.stop };
}
