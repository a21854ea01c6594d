import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { publicPackageDirs, smokeConsumer, TYPE_CHECK_MATRIX } from '../smoke-consumer.ts';

const SLOW = 600_000;

describe('smoke test of the packed packages', () => {
  test(
    'every public package packs, lints, installs, imports and runs its bins',
    async () => {
      const dirs = publicPackageDirs();
      const manifests = dirs.map((dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
      const report = await smokeConsumer({ packageDirs: dirs });

      expect(report.failures).toEqual([]);
      expect(report.packages.map((item) => item.name).sort()).toEqual(
        manifests.map((item) => item.name).sort(),
      );
      const expectedEntryPoints = manifests.flatMap((manifest) =>
        Object.keys(manifest.exports)
          .filter((subpath) => subpath !== './package.json')
          .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`)),
      );
      expect(report.entryPoints.map((item) => item.specifier).sort()).toEqual(expectedEntryPoints.sort());
      const expectedBins = manifests.flatMap((manifest) => Object.keys(manifest.bin ?? {}));
      expect(report.bins.map((item) => item.name).sort()).toEqual(expectedBins.sort());
      for (const { output } of report.bins) expect(output).toMatch(/usage/i);
      expect(report.typeChecks.map((item) => item.setup)).toEqual(
        TYPE_CHECK_MATRIX.map((setup) => setup.name),
      );
      const browser = report.typeChecks.find((item) => item.setup.startsWith('browser'))!;
      expect(browser.specifiers).toContain('@taskrouter/resources');
      expect(browser.specifiers.some((specifier) => specifier.includes('testing-mocks'))).toBe(false);
    },
    SLOW,
  );

  describe('a broken package', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smoke-fixture-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test(
      'fails with every problem named: a missing export target, its types, its import, a failing bin, a DOM-only declaration',
      async () => {
        writeFileSync(
          path.join(dir, 'package.json'),
          JSON.stringify({
            name: '@smoke-fixture/broken',
            version: '1.0.0',
            type: 'module',
            license: 'MIT',
            exports: {
              '.': { types: './index.d.ts', default: './index.js' },
              './missing': { types: './missing.d.ts', default: './missing.js' },
            },
            bin: { 'broken-cli': './cli.js' },
          }),
        );
        writeFileSync(path.join(dir, 'index.js'), 'export const ok = 1;\n');
        // A declaration that compiles only with DOM types, as `RequestInfo` does.
        writeFileSync(
          path.join(dir, 'index.d.ts'),
          'export declare const ok: number;\nexport declare function send(input: RequestInfo): void;\n',
        );
        writeFileSync(path.join(dir, 'cli.js'), '#!/usr/bin/env node\nprocess.exit(3);\n');
        chmodSync(path.join(dir, 'cli.js'), 0o755);

        const report = await smokeConsumer({ packageDirs: [dir] });

        expect(report.entryPoints).toEqual([{ specifier: '@smoke-fixture/broken', exportCount: 1 }]);
        expect(report.bins).toEqual([]);
        const problems = report.failures.join('\n');
        expect(problems).toMatch(/@smoke-fixture\/broken: publint: .*missing\.js/);
        expect(problems).toMatch(/@smoke-fixture\/broken: are-the-types-wrong:/);
        expect(problems).toContain('@smoke-fixture/broken/missing: import failed:');
        expect(problems).toContain('@smoke-fixture/broken: broken-cli --help exited with 3');
        expect(problems).toMatch(/type-check \(node-only, node16\) failed:[\s\S]*RequestInfo/);
      },
      SLOW,
    );
  });
});
