/** The built `taskrouter-mock` command as a child process, for the tests that run it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built command, as `npx taskrouter-mock` runs it. */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built command with `args` and resolves with its exit code and output once it exits. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/**
 * Starts the built command with `args`; resolves with its URL, what it printed so far, a `stop`
 * that sends SIGTERM (or the signal given) and resolves with the exit code.
 */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    child.kill(signal);
    return exited;
  };
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`CLI exited early: ${output}`)));
    });
    return { url, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}
