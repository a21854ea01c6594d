import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
    expect(sampleModule(sample, './setup.js', exports)).toEqual({
      source: `import { workspaceSid } from './setup.js';\n${sample.code}\n`,
      isTest: false,
    });
    expect(sampleModule({ ...sample, code: 'const x = 1;' }, './setup.js', exports)).toEqual({
      source: `import './setup.js';\nconst x = 1;\n`,
      isTest: false,
    });
  });

  test('a sample using vitest is a test file; vitest globals it uses are imported on the same line', () => {
    const sample: Sample = {
      readme: 'README.md',
      block: 1,
      line: 10,
      code: '',
      run: true,
      setup: '/setup.ts',
    };
    const globals = sampleModule(
      { ...sample, code: "test('x', () => expect(taskSid).toBeTruthy());" },
      './s.js',
      new Set(['taskSid']),
    );
    expect(globals).toEqual({
      source: `import { taskSid } from './s.js'; import { expect, test } from 'vitest';\ntest('x', () => expect(taskSid).toBeTruthy());\n`,
      isTest: true,
    });
    const helper = sampleModule(
      {
        ...sample,
        code: "import { useEmulator } from '@taskrouter/testing-mocks/vitest';\nconst emulator = useEmulator();",
      },
      './s.js',
      new Set(),
    );
    expect(helper.isTest).toBe(true);
    const hooks = sampleModule({ ...sample, code: 'beforeAll(() => server.listen());' }, './s.js', new Set());
    expect(hooks.source).toBe(
      `import './s.js'; import { beforeAll, test } from 'vitest';\nbeforeAll(() => server.listen());\ntest('runs its hooks', () => {});\n`,
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

interface RunResult {
  passed: boolean;
  failures: string[];
}

/** Runs test files with a vitest of their own, in a separate process, and reports each file. */
function runVitest(workDir: string, files: readonly string[]): Map<string, RunResult> {
  const config = path.join(workDir, 'vitest.config.mjs');
  writeFileSync(config, `export default { test: { include: ['**/*.test.ts'], testTimeout: 30_000 } };\n`);
  const output = path.join(workDir, 'results.json');
  // The child must not believe it runs inside this test's worker.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  const child = spawnSync(
    path.join(repo, 'node_modules', '.bin', 'vitest'),
    ['run', '--root', workDir, '--config', config, '--reporter=json', `--outputFile=${output}`],
    { cwd: workDir, encoding: 'utf8', env, timeout: 300_000 },
  );
  if (!existsSync(output))
    throw new Error(`vitest did not run the samples:\n${child.stdout}\n${child.stderr}`);
  const report = JSON.parse(readFileSync(output, 'utf8')) as {
    testResults: {
      name: string;
      status: string;
      message?: string;
      assertionResults: { failureMessages: string[] }[];
    }[];
  };
  const results = new Map<string, RunResult>();
  for (const file of report.testResults) {
    const failures = [file.message ?? '', ...file.assertionResults.flatMap((test) => test.failureMessages)]
      .map((text) => stripVTControlCharacters(text).trim())
      .filter(Boolean);
    results.set(path.resolve(file.name), { passed: file.status === 'passed', failures });
  }
  for (const file of files)
    if (!results.has(file)) results.set(file, { passed: false, failures: ['not run'] });
  return results;
}

describe('README samples compile and run against the emulator', () => {
  const samples = readmeSamples(repo, setups);
  /** The module compiled for each sample, and the test file vitest runs for it (none when skip-run). */
  const files = new Map<Sample, { module: string; run?: string }>();
  let workDir = '';
  let errors: CompileError[] = [];
  let results = new Map<string, RunResult>();

  beforeAll(() => {
    // Inside the repository so that the workspace packages resolve; each README's samples in a
    // folder whose node_modules is its package's, so they see the same dependencies it does.
    workDir = mkdtempSync(path.join(repo, 'scripts', '.readme-samples-'));
    writeFileSync(path.join(workDir, '.gitignore'), '*\n');
    const exports = moduleExports(
      [...new Set(samples.map((sample) => sample.setup))],
      readProject(tsconfig).options,
    );
    for (const sample of samples) {
      const home = path.dirname(sample.readme);
      const dir = path.join(workDir, home === '.' ? 'root' : path.basename(home));
      if (!existsSync(dir)) {
        mkdirSync(dir);
        const dependencies = path.join(repo, home, 'node_modules');
        if (home !== '.' && existsSync(dependencies))
          symlinkSync(dependencies, path.join(dir, 'node_modules'), 'dir');
      }
      const setup = path.relative(dir, sample.setup).split(path.sep).join('/');
      const { source, isTest } = sampleModule(sample, setup, exports.get(sample.setup)!);
      const base = path.join(dir, `block-${sample.block}`);
      const module = `${base}${isTest && sample.run ? '.test.ts' : '.ts'}`;
      writeFileSync(module, source);
      let run: string | undefined;
      if (sample.run) {
        run = module;
        if (!isTest) {
          run = `${base}.sample.test.ts`;
          writeFileSync(
            run,
            `import { test } from 'vitest';\ntest('runs', async () => {\n  await import('./block-${sample.block}.ts');\n});\n`,
          );
        }
      }
      files.set(sample, { module, run });
    }
    errors = typeCheck(
      tsconfig,
      [...files.values()].map((file) => file.module),
    );
    const runs = [...files.values()].flatMap((file) => (file.run ? [file.run] : []));
    results = runVitest(workDir, runs);
  }, 300_000);

  afterAll(() => {
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });

  test('the setups compile', () => {
    const modules = new Set([...files.values()].map((file) => file.module));
    expect(errors.filter((error) => !modules.has(error.file ?? ''))).toEqual([]);
  });

  for (const sample of samples) {
    const title = `${sample.readme} block ${sample.block} (line ${sample.line})${sample.run ? '' : ', type-checked only'}`;
    test(title, () => {
      const { module, run } = files.get(sample)!;
      const own = errors
        .filter((error) => error.file === module)
        .map((error) => `${sample.readme}:${error.line + sample.line - 2}:${error.column} ${error.message}`);
      expect(own).toEqual([]);
      if (!run) return;
      // Point at README lines instead of the generated module, and leave out the runner's frames.
      const failures = results.get(run)?.failures.map((failure) =>
        failure
          .split('\n')
          .filter((line) => !/^\s+at .*(node_modules|node:internal|\.sample\.test\.ts)/.test(line))
          .join('\n')
          .replaceAll(
            new RegExp(`${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, 'g'),
            (_, line: string, column: string) =>
              `${sample.readme}:${Number(line) + sample.line - 2}:${column}`,
          ),
      );
      expect(failures).toEqual([]);
    });
  }
});
