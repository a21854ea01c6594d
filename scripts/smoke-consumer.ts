/**
 * Tests what would be published, as a user gets it: packs every public package (`pnpm pack`, so
 * `workspace:` ranges become real ones), lints each tarball with publint and are-the-types-wrong
 * (ESM-only profile), installs the tarballs into a fresh project outside the repository, imports
 * every entry point of every package from an ESM script, runs every bin with `--help`, and
 * type-checks a consumer of the installed packages under each setup of {@link TYPE_CHECK_MATRIX},
 * always with `skipLibCheck: false`.
 *
 * Usage: `pnpm smoke` (builds first). `--keep` leaves the consumer project in place and prints
 * its path. Exits 1 when anything fails, listing every failure.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/** What {@link smokeConsumer} checked and what failed. */
export interface SmokeReport {
  /** The tarballs, with the name and version read from their manifests. */
  packages: { name: string; version: string; tarball: string }[];
  /** Entry points that imported, with the number of names each exports. */
  entryPoints: { specifier: string; exportCount: number }[];
  /** Bins that answered `--help` with exit code 0, and what they printed. */
  bins: { name: string; output: string }[];
  /** Setups of {@link TYPE_CHECK_MATRIX} whose consumer compiled, with the entry points it imported. */
  typeChecks: { setup: string; specifiers: string[] }[];
  /** One line per problem, prefixed with the package name. Empty when everything passed. */
  failures: string[];
}

/** Options of {@link smokeConsumer}. */
export interface SmokeOptions {
  /** Directories of the packages to check (each with a built `package.json`). */
  packageDirs: string[];
  /** Keep the consumer project instead of deleting it. */
  keep?: boolean;
  /** Progress lines; silent when omitted. */
  log?: (line: string) => void;
}

interface Manifest {
  name: string;
  version: string;
  exports?: string | Record<string, unknown>;
  bin?: string | Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoTool = (name: string) => path.join(repo, 'node_modules', '.bin', name);

/** The directories of the packages under `packages/` that are not private. */
export function publicPackageDirs(): string[] {
  const root = path.join(repo, 'packages');
  return readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((dir) => existsSync(path.join(dir, 'package.json')) && !readManifest(dir).private)
    .sort();
}

/** Packs, lints, installs and imports the packages; see the file's description. */
export async function smokeConsumer({
  packageDirs,
  keep = false,
  log = () => {},
}: SmokeOptions): Promise<SmokeReport> {
  const work = mkdtempSync(path.join(tmpdir(), 'taskrouter-smoke-'));
  const report: SmokeReport = { packages: [], entryPoints: [], bins: [], typeChecks: [], failures: [] };
  try {
    const tarballs = path.join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const dir of packageDirs) {
      const packed = run('pnpm', ['pack', '--json', '--pack-destination', tarballs], dir);
      if (packed.status !== 0) {
        report.failures.push(`${path.basename(dir)}: pnpm pack failed: ${packed.stderr.trim()}`);
        continue;
      }
      const { name, version, filename } = JSON.parse(packed.stdout) as {
        name: string;
        version: string;
        filename: string;
      };
      report.packages.push({ name, version, tarball: filename });
      log(`packed ${name}@${version}`);
      await lintTarball(name, filename, report);
    }

    const consumer = path.join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'smoke-consumer', version: '0.0.0', private: true, type: 'module' }),
    );
    const packed = new Set(report.packages.map((item) => item.name));
    const peers = packageDirs.flatMap((dir) =>
      Object.entries(readManifest(dir).peerDependencies ?? {})
        .filter(([peer]) => !packed.has(peer))
        .map(([peer, range]) => `${peer}@${workspaceVersion(dir, peer) ?? range}`),
    );
    log(
      `installing ${report.packages.length} tarballs${peers.length ? ` with ${[...new Set(peers)].join(', ')}` : ''}`,
    );
    const install = run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        '--ignore-scripts',
        '--prefer-offline',
        ...report.packages.map((item) => item.tarball),
        ...new Set(peers),
      ],
      consumer,
    );
    if (install.status !== 0) {
      report.failures.push(`npm install failed: ${install.stderr.trim()}`);
      return report;
    }

    importEntryPoints(consumer, report);
    runBins(consumer, report);
    TYPE_CHECK_MATRIX.forEach((setup, index) => {
      typeCheckConsumer(path.join(consumer, `typecheck-${index}`), setup, report);
    });
    if (keep) log(`consumer project kept in ${consumer}`);
    return report;
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

async function lintTarball(name: string, tarball: string, report: SmokeReport): Promise<void> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'warning',
    strict: true,
  });
  for (const message of messages) {
    report.failures.push(
      `${name}: publint: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
    );
  }
  const attw = run(
    repoTool('attw'),
    [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color', '--no-emoji'],
    repo,
  );
  if (attw.status !== 0)
    report.failures.push(`${name}: are-the-types-wrong:\n${attw.stdout.trim()}${attw.stderr.trim()}`);
}

function importEntryPoints(consumer: string, report: SmokeReport): void {
  const specifiers = report.packages.flatMap(({ name }) => {
    const exports = readManifest(path.join(consumer, 'node_modules', name)).exports;
    const subpaths = typeof exports === 'object' ? Object.keys(exports) : ['.'];
    return subpaths
      .filter((subpath) => !subpath.endsWith('.json') && !subpath.includes('*'))
      .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
  });
  // Each import is reported on its own, so one broken entry point does not hide the others.
  const script = `
const results = [];
for (const specifier of ${JSON.stringify(specifiers)}) {
  try {
    results.push({ specifier, exportCount: Object.keys(await import(specifier)).length });
  } catch (error) {
    results.push({ specifier, error: String(error?.message ?? error) });
  }
}
console.log(JSON.stringify(results));
`;
  writeFileSync(path.join(consumer, 'import-everything.mjs'), script);
  const imported = run(process.execPath, ['import-everything.mjs'], consumer);
  if (imported.status !== 0) {
    report.failures.push(`importing the entry points crashed: ${imported.stderr.trim()}`);
    return;
  }
  const results = JSON.parse(imported.stdout) as {
    specifier: string;
    exportCount?: number;
    error?: string;
  }[];
  for (const { specifier, exportCount, error } of results) {
    if (error !== undefined) report.failures.push(`${specifier}: import failed: ${error}`);
    else if (exportCount === 0) report.failures.push(`${specifier}: the entry point exports nothing`);
    else report.entryPoints.push({ specifier, exportCount: exportCount! });
  }
}

/** One way users compile: compiler options and the kind of program (`node` or `browser`). */
export interface TypeCheckSetup {
  /** Name of the setup in reports. */
  name: string;
  /** `browser`: no Node types, and only the packages that run in browsers. */
  runtime: 'node' | 'browser';
  /** Compiler options on top of `strict`, `skipLibCheck: false` and `noEmit`. */
  compilerOptions: Record<string, unknown>;
}

/** The consumer setups the published types must compile in. */
export const TYPE_CHECK_MATRIX: readonly TypeCheckSetup[] = [
  {
    name: 'node-only, node16',
    runtime: 'node',
    compilerOptions: { lib: ['ES2023'], types: ['node'], module: 'node16', moduleResolution: 'node16' },
  },
  {
    name: 'exactOptionalPropertyTypes, node16',
    runtime: 'node',
    compilerOptions: {
      lib: ['ES2023'],
      types: ['node'],
      module: 'node16',
      moduleResolution: 'node16',
      exactOptionalPropertyTypes: true,
    },
  },
  {
    name: 'node-only, bundler',
    runtime: 'node',
    compilerOptions: { lib: ['ES2023'], types: ['node'], module: 'esnext', moduleResolution: 'bundler' },
  },
  {
    name: 'browser-only, bundler',
    runtime: 'browser',
    compilerOptions: {
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: [],
      module: 'esnext',
      moduleResolution: 'bundler',
    },
  },
];

/** Packages documented to run in browsers; the browser setup compiles only these. */
const BROWSER_PACKAGES = new Set([
  '@taskrouter/core',
  '@taskrouter/resources',
  '@taskrouter/workflow-builder',
]);

/**
 * Entry points a consumer may import without installing optional peers: `/msw` and `/vitest`
 * need those packages, `/node` needs Node.
 */
function entryPointsFor(runtime: TypeCheckSetup['runtime'], report: SmokeReport): string[] {
  return report.entryPoints
    .map(({ specifier }) => specifier)
    .filter((specifier) => !/\/(msw|vitest)$/.test(specifier))
    .filter(
      (specifier) =>
        runtime === 'node' ||
        (BROWSER_PACKAGES.has(specifier.split('/').slice(0, 2).join('/')) && !specifier.endsWith('/node')),
    );
}

/**
 * Calls that pass `undefined` to optional inputs, as code built on `process.env` or optional
 * values does; under `exactOptionalPropertyTypes` they compile only where the types say
 * `?: T | undefined`.
 */
function optionalInputCalls(runtime: TypeCheckSetup['runtime'], specifiers: readonly string[]): string {
  if (!specifiers.includes('@taskrouter/resources')) return '';
  const emulator = runtime === 'node' && specifiers.includes('@taskrouter/testing-mocks');
  return `
import { createTaskRouterClient } from '@taskrouter/core';
import { TaskRouterClient } from '@taskrouter/resources';
${emulator ? "import { createEmulator } from '@taskrouter/testing-mocks';" : ''}
declare const maybeNumber: number | undefined;
declare const maybeText: string | undefined;
export async function optionalInputs(): Promise<unknown[]> {
  const api = createTaskRouterClient({ accountSid: 'AC', authToken: 't', baseUrl: maybeText, timeoutMs: maybeNumber });
  const client = new TaskRouterClient({ accountSid: 'AC', authToken: 't', baseUrl: maybeText });
  const tasks = client.tasks('WS');
  await tasks.create({ priority: maybeNumber, attributes: { type: 'support' }, workflowSid: maybeText });
  await tasks.list({ limit: maybeNumber, pageSize: maybeNumber, assignmentStatus: undefined }).toArray();
  await client.workers('WS').update('WK', { activitySid: maybeText }, { ifMatch: maybeText });
  ${emulator ? 'createEmulator({ startTime: undefined });' : ''}
  return [api];
}
`;
}

/** Type-checks a program that imports every entry point the setup allows, with the repository's TypeScript. */
function typeCheckConsumer(dir: string, setup: TypeCheckSetup, report: SmokeReport): void {
  mkdirSync(dir, { recursive: true });
  const specifiers = entryPointsFor(setup.runtime, report);
  const source = [
    ...specifiers.map((specifier, index) => `import * as entry${index} from '${specifier}';`),
    optionalInputCalls(setup.runtime, specifiers),
    `export const entryPoints = [${specifiers.map((_, index) => `entry${index}`).join(', ')}];`,
  ].join('\n');
  writeFileSync(path.join(dir, 'index.ts'), source);
  const compilerOptions = {
    target: 'ES2022',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    // @types/node comes from the repository: the consumer installs nothing from the registry.
    ...(setup.runtime === 'node' ? { typeRoots: [path.join(repo, 'node_modules', '@types')] } : {}),
    ...setup.compilerOptions,
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
  const checked = run(repoTool('tsc'), ['-p', dir, '--pretty', 'false'], dir);
  if (checked.status === 0) report.typeChecks.push({ setup: setup.name, specifiers });
  else {
    const errors = `${checked.stdout}${checked.stderr}`.trim().split('\n').slice(0, 20).join('\n  ');
    report.failures.push(`type-check (${setup.name}) failed:\n  ${errors}`);
  }
}

function runBins(consumer: string, report: SmokeReport): void {
  for (const { name } of report.packages) {
    const manifest = readManifest(path.join(consumer, 'node_modules', name));
    const bins =
      typeof manifest.bin === 'string' ? [name.split('/').pop()!] : Object.keys(manifest.bin ?? {});
    for (const command of bins) {
      const help = run(path.join(consumer, 'node_modules', '.bin', command), ['--help'], consumer);
      if (help.status === 0 && help.stdout.trim() !== '')
        report.bins.push({ name: command, output: help.stdout });
      else
        report.failures.push(`${name}: ${command} --help exited with ${help.status}: ${help.stderr.trim()}`);
    }
  }
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
}

function readManifest(dir: string): Manifest & { private?: boolean } {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** The version of `dependency` the package is developed against, if installed next to it. */
function workspaceVersion(dir: string, dependency: string): string | undefined {
  const manifest = path.join(dir, 'node_modules', dependency, 'package.json');
  return existsSync(manifest) ? readManifest(path.dirname(manifest)).version : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await smokeConsumer({
    packageDirs: publicPackageDirs(),
    keep: process.argv.includes('--keep'),
    log: (line) => console.log(line),
  });
  for (const { specifier, exportCount } of report.entryPoints)
    console.log(`imported ${specifier} (${exportCount} exports)`);
  for (const { name } of report.bins) console.log(`ran ${name} --help`);
  for (const { setup } of report.typeChecks) console.log(`type-checked a consumer: ${setup}`);
  if (report.failures.length > 0) {
    console.error(
      `\n${report.failures.length} problem(s):\n${report.failures.map((line) => `- ${line}`).join('\n')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`\n${report.packages.length} packages packed, linted, installed and imported.`);
  }
}
