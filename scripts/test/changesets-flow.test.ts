import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
type Bump = 'patch' | 'minor' | 'major';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function sh(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** A clone of the committed repository with its dependencies installed and no pending changesets. */
function releaseClone(): string {
  const clone = mkdtempSync(path.join(tmpdir(), 'taskrouter-release-'));
  sh('git', ['clone', '--quiet', repo, clone], tmpdir());
  sh('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts', '--silent'], clone);
  for (const file of readdirSync(path.join(clone, '.changeset'))) {
    if (file.endsWith('.md') && file !== 'README.md') rmSync(path.join(clone, '.changeset', file));
  }
  return clone;
}

function manifests(root: string): Manifest[] {
  return readdirSync(path.join(root, 'packages'))
    .map(
      (dir) => JSON.parse(readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
    )
    .filter((manifest) => !manifest.private);
}

function writeChangeset(clone: string, name: string, bump: Bump): void {
  writeFileSync(
    path.join(clone, '.changeset', 'release-test.md'),
    `---\n"${name}": ${bump}\n---\n\nHandles the release test case for ${name}.\n`,
  );
}

/** The release plan of the pending changesets: package name → bump, for packages that change. */
function releasePlan(clone: string): Record<string, Bump> {
  const output = path.join(clone, 'release-plan.json');
  sh(path.join(clone, 'node_modules', '.bin', 'changeset'), ['status', `--output=${output}`], clone);
  const { releases } = JSON.parse(readFileSync(output, 'utf8')) as {
    releases: { name: string; type: string }[];
  };
  rmSync(output);
  return Object.fromEntries(
    releases
      .filter((release) => release.type !== 'none')
      .map((release) => [release.name, release.type as Bump]),
  );
}

function increment(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `next` falls outside `^current`: carets on 0.x versions pin the minor (and on 0.0.x the patch). */
function leavesCaretRange(current: string, next: string): boolean {
  const [a = 0, b = 0, c = 0] = current.split('.').map(Number);
  const [x = 0, y = 0, z = 0] = next.split('.').map(Number);
  if (a > 0) return x !== a;
  if (b > 0) return x !== 0 || y !== b;
  return x !== 0 || y !== 0 || z !== c;
}

/**
 * What `.changeset/config.json` promises: a released package alone, plus the dependents whose
 * `workspace:^` range the new version leaves: peer dependents get a major
 * (`onlyUpdatePeerDependentsWhenOutOfRange`), regular dependents a patch (`updateInternalDependencies`).
 */
function expectedPlan(all: Manifest[], name: string, bump: Bump): Record<string, Bump> {
  const released = all.find((manifest) => manifest.name === name)!;
  const leaves = leavesCaretRange(released.version, increment(released.version, bump));
  const plan: Record<string, Bump> = { [name]: bump };
  for (const dependent of all) {
    if (!leaves || dependent.name === name) continue;
    if (dependent.peerDependencies?.[name]?.startsWith('workspace:')) plan[dependent.name] = 'major';
    else if (dependent.dependencies?.[name]?.startsWith('workspace:')) plan[dependent.name] = 'patch';
  }
  return plan;
}

describe('releasing with changesets', () => {
  let clone = '';
  beforeAll(() => {
    clone = releaseClone();
  }, 120_000);
  afterAll(() => {
    if (clone !== '') rmSync(clone, { recursive: true, force: true });
  }, 60_000);

  test('a changeset for one package bumps it, and dependents only when their range requires', () => {
    const all = manifests(clone);
    const cases: [string, Bump][] = [
      ['@taskrouter/core', 'patch'],
      ['@taskrouter/core', 'minor'],
      ['@taskrouter/core', 'major'],
      ['@taskrouter/resources', 'minor'],
      ['@taskrouter/workflow-builder', 'patch'],
      ['@taskrouter/workflow-builder', 'minor'],
      ['@taskrouter/workflow-builder', 'major'],
      ['@taskrouter/testing-mocks', 'major'],
    ];
    for (const [name, bump] of cases) {
      writeChangeset(clone, name, bump);
      expect(releasePlan(clone), `${name} ${bump}`).toEqual(expectedPlan(all, name, bump));
    }
  });

  test('changeset version writes versions and changelogs; the packed manifests carry real ranges; dry-run publish passes', () => {
    const before = manifests(clone);
    const builder = before.find((manifest) => manifest.name === '@taskrouter/workflow-builder')!;
    // A major leaves every caret range, so testing-mocks, which depends on it, is released too.
    writeChangeset(clone, builder.name, 'major');
    const plan = releasePlan(clone);
    expect(Object.keys(plan).sort()).toEqual(['@taskrouter/testing-mocks', builder.name]);
    sh(path.join(clone, 'node_modules', '.bin', 'changeset'), ['version'], clone);

    const after = manifests(clone);
    for (const manifest of after) {
      const old = before.find((item) => item.name === manifest.name)!;
      const bump = plan[manifest.name];
      expect(manifest.version, manifest.name).toBe(bump ? increment(old.version, bump) : old.version);
    }
    expect(existsSync(path.join(clone, '.changeset', 'release-test.md'))).toBe(false);

    const next = increment(builder.version, 'major');
    const changelog = readFileSync(path.join(clone, 'packages/workflow-builder/CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(
      new RegExp(`## ${next.replaceAll('.', '\\.')}\\s+### Major Changes\\s+- Handles the release test case`),
    );
    for (const dependent of Object.keys(plan).filter((name) => name !== builder.name)) {
      const dir = dependent.replace('@taskrouter/', '');
      const log = readFileSync(path.join(clone, 'packages', dir, 'CHANGELOG.md'), 'utf8');
      expect(log).toContain(`${builder.name}@${next}`);
    }

    for (const name of Object.keys(plan)) {
      const dir = path.join(clone, 'packages', name.replace('@taskrouter/', ''));
      const built = path.join(repo, 'packages', path.basename(dir), 'dist');
      expect(existsSync(built), `${built} (run pnpm build first)`).toBe(true);
      cpSync(built, path.join(dir, 'dist'), { recursive: true });
      const packed = JSON.parse(sh('pnpm', ['pack', '--json', '--pack-destination', clone], dir));
      const manifest: Manifest = JSON.parse(
        sh('tar', ['-xOzf', packed.filename, 'package/package.json'], clone),
      );
      expect(manifest.version).toBe(after.find((item) => item.name === name)!.version);
      const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
      expect(Object.values(ranges).filter((range) => range.startsWith('workspace:'))).toEqual([]);
      if (builder.name in ranges) expect(ranges[builder.name]).toBe(`^${next}`);
      const published = JSON.parse(sh('pnpm', ['publish', '--dry-run', '--no-git-checks', '--json'], dir));
      expect(published[name]?.version ?? published.version).toBe(manifest.version);
    }
  }, 120_000);
});
