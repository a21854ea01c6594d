/** Install footprint: packages and bytes that land in node_modules for our client vs twilio. */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../processes.js';
import { formatBytes, formatRatio, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** Packages and bytes found under a node_modules directory. */
export interface Footprint {
  packages: number;
  bytes: number;
}

/** Counts package directories (every `node_modules/<name>` and `node_modules/@scope/<name>`) and the bytes of every file below. */
export async function measureNodeModules(directory: string): Promise<Footprint> {
  let packages = 0;
  let bytes = 0;
  const walk = async (path: string, isPackageParent: boolean): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        const scope = isPackageParent && entry.name.startsWith('@');
        if (isPackageParent && !scope && !entry.name.startsWith('.')) packages += 1;
        await walk(full, scope || entry.name === 'node_modules');
      } else if (entry.isFile()) {
        bytes += (await stat(full)).size;
      }
    }
  };
  await walk(directory, true);
  return { packages, bytes };
}

async function npmInstall(specs: string[]): Promise<Footprint> {
  const prefix = await mkdtemp(join(tmpdir(), 'taskrouter-bench-install-'));
  try {
    await runProcess(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        ...specs,
      ],
      { cwd: prefix, timeoutMs: 240_000 },
    );
    return await measureNodeModules(join(prefix, 'node_modules'));
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
}

async function packWorkspacePackages(names: string[], destination: string): Promise<string[]> {
  const tarballs: string[] = [];
  for (const name of names) {
    const { stdout } = await runProcess(
      'pnpm',
      ['--filter', name, 'pack', '--pack-destination', destination],
      {
        timeoutMs: 120_000,
      },
    );
    const tarball = stdout
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`pnpm pack printed no tarball for ${name}:\n${stdout}`);
    tarballs.push(tarball.startsWith('/') ? tarball : join(destination, tarball));
  }
  return tarballs;
}

/** Installs `twilio` and the packed `@taskrouter/resources` (with core) into fresh directories. */
export async function measureInstallFootprint(context: BenchContext): Promise<{
  section: Section;
  ours: Footprint;
  twilio: Footprint;
}> {
  const packDir = await mkdtemp(join(tmpdir(), 'taskrouter-bench-pack-'));
  try {
    context.log('install footprint: packing @taskrouter/core and @taskrouter/resources');
    const tarballs = await packWorkspacePackages(['@taskrouter/core', '@taskrouter/resources'], packDir);
    context.log('install footprint: npm install of the tarballs');
    const ours = await npmInstall(tarballs);
    context.log('install footprint: npm install twilio@6.3.1');
    const twilio = await npmInstall(['twilio@6.3.1']);
    const row = (name: string, footprint: Footprint) => [
      name,
      String(footprint.packages),
      formatBytes(footprint.bytes),
      formatRatio(footprint.packages / twilio.packages),
      formatRatio(footprint.bytes / twilio.bytes),
    ];
    return {
      ours,
      twilio,
      section: {
        title: 'Install footprint',
        description:
          '`npm install` into an empty directory (scripts off): for ours, the tarballs that `pnpm pack` makes ' +
          'of `@taskrouter/core` and `@taskrouter/resources`; for twilio, `twilio@6.3.1` from the registry. ' +
          'Packages are the package directories under node_modules (nested ones included); bytes are the sizes of all files.',
        tables: [
          {
            columns: ['install', 'packages', 'bytes', 'packages × twilio', 'bytes × twilio'],
            rows: [row('@taskrouter/resources + core', ours), row('twilio 6.3.1', twilio)],
          },
        ],
      },
    };
  } finally {
    await rm(packDir, { recursive: true, force: true });
  }
}
