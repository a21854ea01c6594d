import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { codeBlocks } from './markdown.ts';
import { moduleExports, readmeSamples, type Sample, sampleModule, undeclaredNames } from './samples.ts';
import { type CompileError, readProject, typeCheck } from './typecheck.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const setups = path.join(import.meta.dirname, 'readme-setups');
const tsconfig = path.join(repo, 'scripts', 'tsconfig.json');

describe('finding samples', () => {
  test('code blocks keep their language, position, directive and inner fences', () => {
    const markdown = [
      '# Title', // 1
      '```sh', // 2
      'npm install', // 3
      '```', // 4
      '<!-- sample: skip-run -->', // 5
      '', // 6
      '````ts', // 7
      "const fence = '```';", // 8
      '````', // 9
      '1. a list', // 10
      '   ```ts', // 11
      '   const indented = true;', // 12
      '   ```', // 13
    ].join('\n');
    expect(codeBlocks(markdown)).toEqual([
      { language: 'sh', code: 'npm install', line: 3, directives: [] },
      { language: 'ts', code: "const fence = '```';", line: 8, directives: ['skip-run'] },
      { language: 'ts', code: 'const indented = true;', line: 12, directives: [] },
    ]);
  });

  test('undeclared names are what a block reads without importing or declaring it', () => {
    const names = undeclaredNames(
      [
        "import { paginate } from '@taskrouter/core';",
        'const { data: task } = await client.GET(path, { params: { WorkspaceSid } });',
        'function log(item: Item) { console.log(item.sid, task.sid, paginate); }',
      ].join('\n'),
    );
    expect([...names].sort()).toEqual(['Item', 'WorkspaceSid', 'client', 'console', 'item', 'path']);
  });

  test('a sample imports from its setup only what it uses and does not declare', () => {
    const sample: Sample = {
      readme: 'README.md',
      block: 1,
      line: 10,
      code: 'const client = make();\nawait client.run(workspaceSid);',
      run: true,
      setup: '/setup.ts',
    };
    const exports = new Set(['client', 'workspaceSid', 'taskSid']);
    expect(sampleModule(sample, './setup.js', exports)).toBe(
      `import { workspaceSid } from './setup.js';\n${sample.code}\n`,
    );
    expect(sampleModule({ ...sample, code: 'const x = 1;' }, './setup.js', exports)).toBe(
      `import './setup.js';\nconst x = 1;\n`,
    );
  });

  test('every README with TypeScript blocks is covered, each README with its own setup', () => {
    const samples = readmeSamples(repo, setups);
    const setupOf = (readme: string) => samples.find((sample) => sample.readme === readme)?.setup;
    expect(setupOf('packages/core/README.md')).toBe(path.join(setups, 'core.ts'));
    expect(setupOf('README.md')).toBe(path.join(setups, 'emulator.ts'));
    for (const readme of new Set(samples.map((sample) => sample.readme))) {
      const blocks = samples.filter((sample) => sample.readme === readme).map((sample) => sample.block);
      expect(blocks, readme).toEqual(blocks.map((_, index) => index + 1));
    }
  });
});

describe('README samples compile and run against the emulator', () => {
  const samples = readmeSamples(repo, setups);
  const files = new Map<Sample, string>();
  let workDir = '';
  let errors: CompileError[] = [];

  beforeAll(() => {
    // Inside the repository, so that the workspace packages resolve as they do for users.
    workDir = mkdtempSync(path.join(repo, 'scripts', '.readme-samples-'));
    writeFileSync(path.join(workDir, '.gitignore'), '*\n');
    const setupFiles = [...new Set(samples.map((sample) => sample.setup))];
    const exports = moduleExports(setupFiles, readProject(tsconfig).options);
    for (const sample of samples) {
      const file = path.join(workDir, `${sample.readme.replace(/\W+/g, '-')}-${sample.block}.ts`);
      const specifier = path.relative(workDir, sample.setup).split(path.sep).join('/');
      writeFileSync(file, sampleModule(sample, specifier, exports.get(sample.setup)!));
      files.set(sample, file);
    }
    errors = typeCheck(tsconfig, [...files.values()]);
  });

  afterAll(() => {
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });

  test('the setups compile', () => {
    const sampleFiles = new Set(files.values());
    expect(errors.filter((error) => !sampleFiles.has(error.file ?? ''))).toEqual([]);
  });

  for (const sample of samples) {
    const title = `${sample.readme} block ${sample.block} (line ${sample.line})${sample.run ? '' : ', type-checked only'}`;
    test(title, async () => {
      const file = files.get(sample)!;
      const own = errors
        .filter((error) => error.file === file)
        .map((error) => `${sample.readme}:${error.line + sample.line - 2}:${error.column} ${error.message}`);
      expect(own).toEqual([]);
      if (!sample.run) return;

      const { fetch } = globalThis;
      const environment = { ...process.env };
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      vi.resetModules(); // a fresh setup, hence a fresh emulator, for every sample
      try {
        await import(file);
      } finally {
        log.mockRestore();
        globalThis.fetch = fetch;
        for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
        Object.assign(process.env, environment);
      }
    });
  }
});
