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
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The packages whose `dist` holds one bundled module per entry point (see scripts/bundle-dist.mjs). */
const BUNDLED = ['core', 'resources'];

/** Every JavaScript file an export of the manifest names, under any condition. */
function exportedFiles(manifest: { exports: Record<string, unknown> }): string[] {
  const files = new Set<string>();
  const visit = (target: unknown) => {
    if (typeof target === 'string') {
      if (target.endsWith('.js')) files.add(path.normalize(target));
    } else if (target && typeof target === 'object') Object.values(target).forEach(visit);
  };
  visit(manifest.exports);
  return [...files];
}

/** The files of the package that loading `entry` reads, following its static relative imports. */
function loadedFiles(packageDir: string, entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(packageDir, file), 'utf8');
    for (const [, specifier] of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?["'](\.[^'"]+)["']/g)) {
      pending.push(path.normalize(path.join(path.dirname(file), specifier as string)));
    }
  }
  return [...seen];
}

describe.each(BUNDLED)('the built %s package', (name) => {
  const packageDir = path.join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const entries = exportedFiles(manifest);

  it('is built', () => {
    for (const entry of entries) expect(existsSync(path.join(packageDir, entry)), entry).toBe(true);
  });

  it('ships a module per entry point, and code shared between entries once, in dist/chunks', () => {
    const modules = readdirSync(path.join(packageDir, 'dist'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .map((file) => path.join('dist', file));
    const chunks = modules.filter((file) => file.startsWith(path.join('dist', 'chunks')));
    expect(modules.sort()).toEqual([...entries, ...chunks].sort());
    // One file per source module (a plain tsc build) would put every module beside the entries.
    const sources = readdirSync(path.join(packageDir, 'src')).filter((file) => file.endsWith('.ts'));
    expect(modules.length).toBeLessThan(sources.length);
  });

  it('loads each entry point from a handful of files', () => {
    for (const entry of entries) {
      const files = loadedFiles(packageDir, entry);
      expect(files[0]).toBe(entry);
      expect(
        files.slice(1).every((file) => file.startsWith(path.join('dist', 'chunks'))),
        entry,
      ).toBe(true);
      expect(files.length, entry).toBeLessThanOrEqual(6);
    }
  });

  it('has source maps that point at the shipped sources', () => {
    for (const file of loadedFiles(packageDir, entries[0] as string)) {
      const map = JSON.parse(readFileSync(path.join(packageDir, `${file}.map`), 'utf8')) as {
        sources: string[];
      };
      for (const source of map.sources) {
        expect(existsSync(path.join(packageDir, path.dirname(file), source)), source).toBe(true);
        expect(source).toMatch(/\/src\//);
      }
    }
  });
});

describe('the data entry of core (@taskrouter/core/facts)', () => {
  const packageDir = path.join(root, 'packages', 'core');
  const code = (entry: string) =>
    loadedFiles(packageDir, entry).map((file) => readFileSync(path.join(packageDir, file), 'utf8'));

  it('is one file that imports nothing', () => {
    expect(loadedFiles(packageDir, 'dist/facts.js')).toEqual(['dist/facts.js']);
  });

  it('leaves out of the client entries the tables they do not use', () => {
    for (const entry of ['dist/index.node.js', 'dist/index.js']) {
      const loaded = code(entry).join('\n');
      // The client checks SIDs by these two tables; the rest serve other packages.
      expect(loaded, entry).toMatch(/\bvar sidPathSegments =/);
      expect(loaded, entry).toMatch(/\bvar sidFieldPrefixes =/);
      for (const table of ['sidParameters', 'bodyFields', 'requiredBodyFields', 'dateTimeFields']) {
        expect(loaded, `${entry} defines ${table}`).not.toMatch(new RegExp(`\\bvar ${table} =`));
      }
    }
  });
});

describe("resources, which reads three of core's tables", () => {
  const packageDir = path.join(root, 'packages', 'resources');
  const code = loadedFiles(packageDir, 'dist/index.js')
    .map((file) => readFileSync(path.join(packageDir, file), 'utf8'))
    .join('\n');

  it('carries them instead of loading @taskrouter/core/facts', () => {
    expect(code).not.toMatch(/["']@taskrouter\/core\/facts["']/);
    for (const table of ['sidFieldPrefixes', 'requiredBodyFields', 'dateTimeResponseFields']) {
      expect(code, table).toMatch(new RegExp(`\\bvar ${table} =`));
    }
    expect(code).not.toMatch(/\bvar sidParameters =/);
  });
});

describe('bundle-dist --inline', () => {
  const script = path.join(root, 'scripts', 'bundle-dist.mjs');
  /** A package importing `dep/data`, whose module `data` holds the given code. */
  function packageWith(data: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-dist-'));
    const dep = path.join(dir, 'node_modules', 'dep');
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'dist'));
    mkdirSync(dep, { recursive: true });
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'app', type: 'module', peerDependencies: { dep: '*' } }),
    );
    writeFileSync(
      path.join(dir, 'src', 'index.ts'),
      "import { colours } from 'dep/data';\nexport const first = colours[0];\n",
    );
    writeFileSync(
      path.join(dep, 'package.json'),
      JSON.stringify({
        name: 'dep',
        type: 'module',
        exports: { './data': './data.js', './other': './other.js' },
      }),
    );
    writeFileSync(path.join(dep, 'data.js'), data);
    writeFileSync(path.join(dep, 'other.js'), 'export const other = 1;\n');
    return dir;
  }
  const run = (dir: string, ...args: string[]) =>
    spawnSync(process.execPath, [script, 'index', ...args], { cwd: dir, encoding: 'utf8' });

  it('bundles a data module of a dependency in, and leaves it an import without the flag', () => {
    const dir = packageWith("export const colours = ['red', 'green'];\nexport const unused = ['blue'];\n");
    try {
      expect(run(dir).status).toBe(0);
      expect(readFileSync(path.join(dir, 'dist', 'index.js'), 'utf8')).toMatch(/from ["']dep\/data["']/);
      const inlined = run(dir, '--inline', 'dep/data');
      expect(inlined.stderr).toBe('');
      const built = readFileSync(path.join(dir, 'dist', 'index.js'), 'utf8');
      expect(built).not.toMatch(/\bfrom ["']dep\/data["']/);
      expect(built).toMatch(/"red"/);
      expect(built).not.toMatch(/"blue"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a module that imports anything, naming it', () => {
    const dir = packageWith("import { other } from 'dep/other';\nexport const colours = ['red', other];\n");
    try {
      const result = run(dir, '--inline', 'dep/data');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/dep\/data, given after --inline, imports dep\/other/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('entry points of one package', () => {
  it('share their classes: an error from the Node entry is the one the default entry exports', async () => {
    const dist = path.join(root, 'packages', 'core', 'dist');
    const node = await import(path.join(dist, 'index.node.js'));
    const neutral = await import(path.join(dist, 'index.js'));
    const proxy = await import(path.join(dist, 'proxy.js'));
    expect(node.TaskRouterError).toBe(neutral.TaskRouterError);
    expect(node.TaskRouterValidationError).toBe(neutral.TaskRouterValidationError);
    // The proxy refuses a bad option with the same class the entries export.
    expect(() => proxy.createTaskRouterProxy({})).toThrow(neutral.TaskRouterValidationError);
  });
});
