/**
 * Writes a package's JavaScript into `dist` as one bundled ES module per entry point, after tsc
 * has written the declarations there (`tsc --emitDeclarationOnly`). Run from the package:
 *
 *   node ../../scripts/bundle-dist.mjs index webhooks --data facts
 *
 * bundles `src/index.ts` and `src/webhooks.ts` into `dist/index.js` and `dist/webhooks.js`. Code two
 * entries share goes to `dist/chunks/`, so every class, symbol and cache exists once however many
 * entries an application imports. The package's dependencies and Node's built-in modules stay
 * imports. Why: Node resolves, reads and links each module file on its own, and for a package of
 * twenty-odd modules that work cost several MiB of memory at start, more than the code itself.
 *
 * Entries after `--data` hold plain data only (no classes, no state) and are bundled on their own:
 * the other entries then keep the few tables they use in their own chunks instead of loading a
 * shared chunk with every table, and the data entry repeats those tables in its one file.
 *
 * Specifiers after `--inline` name data-only modules of a dependency (such as `@taskrouter/core/facts`)
 * to bundle in rather than import: the package keeps the few tables it reads, and an application
 * loads one module fewer. The build fails if such a module imports anything.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The arguments after `flag` up to the next flag. */
function listAfter(args, flag) {
  const at = args.indexOf(flag);
  if (at === -1) return [];
  const rest = args.slice(at + 1);
  const end = rest.findIndex((arg) => arg.startsWith('--'));
  return end === -1 ? rest : rest.slice(0, end);
}

const args = process.argv.slice(2);
const firstFlag = args.findIndex((arg) => arg.startsWith('--'));
const entries = firstFlag === -1 ? args : args.slice(0, firstFlag);
const dataEntries = listAfter(args, '--data');
const inlined = listAfter(args, '--inline');
if (entries.length === 0) {
  throw new Error(
    'usage: node bundle-dist.mjs <entry>... [--data <entry>...] [--inline <specifier>...] (entries: file names under src/, without .ts)',
  );
}
const manifest = JSON.parse(await readFile('package.json', 'utf8'));
const requireHere = createRequire(resolve('package.json'));
/** Resolves each `--inline` specifier to its file, ahead of the rule that keeps dependencies external. */
const inlinePlugin = {
  name: 'inline-data-modules',
  setup(build) {
    for (const specifier of inlined) {
      const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      build.onResolve({ filter }, () => ({ path: requireHere.resolve(specifier) }));
    }
  },
};
const packages = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
];

// JavaScript left by an earlier build in any folder, whatever its layout; the declarations stay.
for (const file of await readdir('dist', { recursive: true })) {
  if (/\.js(\.map)?$/.test(file)) await rm(join('dist', file));
}

/** Builds `names` from src/ into dist/, code they share in chunks when `splitting`. */
const bundle = (names, splitting) =>
  build({
    entryPoints: Object.fromEntries(names.map((name) => [name, `src/${name}.ts`])),
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*', ...packages.flatMap((name) => [name, `${name}/*`])],
    // The package ships its sources; the maps point at them instead of repeating them.
    sourcemap: true,
    sourcesContent: false,
    charset: 'utf8',
    logLevel: 'warning',
    metafile: true,
    plugins: [inlinePlugin],
  });

const { metafile } = await bundle(entries, true);
for (const specifier of inlined) {
  const file = requireHere.resolve(specifier);
  const input = Object.entries(metafile.inputs).find(([path]) => resolve(path) === file)?.[1];
  if (input === undefined) throw new Error(`no entry imports ${specifier}, given after --inline`);
  if (input.imports.length > 0) {
    throw new Error(
      `${specifier}, given after --inline, imports ${input.imports.map((i) => i.path).join(', ')}`,
    );
  }
}
for (const name of dataEntries) {
  const { metafile } = await bundle([name], false);
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  if (imports.length > 0) {
    throw new Error(`the data entry ${name} imports ${imports.map((i) => i.path).join(', ')}`);
  }
}
