import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, WORKSPACE_SID } from '../src/fixtures.js';
import { BENCH_DIR } from '../src/processes.js';
import { parseExitReport, prepareApps } from '../src/sections/cold-start.js';
import { type StubServer, startStubServer } from '../src/stub-server.js';

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(() => stub.close());

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

/** Runs a file with the exit report preloaded; resolves to its output once it exits. */
function runWithReport(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './src/exit-report.mjs', file], {
      cwd: BENCH_DIR,
      env: {
        PATH: process.env.PATH,
        TASKROUTER_BASE_URL: stub.url,
        TASKROUTER_WORKSPACE_SID: WORKSPACE_SID,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cold-start apps', () => {
  test('the exit report gives peak memory, CPU time and uptime of the child', async () => {
    const { code, stdout, stderr } = await runWithReport('src/apps/core-node.mjs');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^WT[0-9a-f]{32}$/);
    const report = parseExitReport(stderr);
    expect(Object.keys(report).sort()).toEqual(['cpuMs', 'maxRssKb', 'uptimeMs']);
    for (const value of Object.values(report)) expect(value).toBeGreaterThan(0);
  });

  test("the peak memory is the child's own, not that of the process that started it", async () => {
    // A parent holding 256 MiB: the getrusage peak of its child would report at least that much.
    const ballast = Buffer.alloc(256 * 1024 * 1024, 1);
    const { code, stderr } = await runWithReport('src/apps/empty.mjs');
    expect(code).toBe(0);
    expect(ballast.length).toBeGreaterThan(0);
    expect(parseExitReport(stderr).maxRssKb).toBeLessThan(200 * 1024);
  });

  test('a child without the report is refused with its output', () => {
    expect(() => parseExitReport('some error\n')).toThrow(/printed no exit report:\nsome error/);
  });

  test('a bundled app is one self-contained file that still creates its task', async () => {
    directory = await mkdtemp(join(tmpdir(), 'bench-cold-start-test-'));
    const files = await prepareApps(
      [
        { name: 'plain', file: 'src/apps/core-node.mjs' },
        { name: 'bundled', file: 'src/apps/resources-node.mjs', bundled: true },
      ],
      directory,
    );
    expect(files.get('plain')).toBe('src/apps/core-node.mjs');
    const bundled = files.get('bundled')!;
    expect(bundled.startsWith(directory)).toBe(true);
    const code = await readFile(bundled, 'utf8');
    // Only Node's own modules are left to import.
    const imports = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((match) => match[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
    const run = await runWithReport(bundled);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^WT[0-9a-f]{32}$/);
  });
});
