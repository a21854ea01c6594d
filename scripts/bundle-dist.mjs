/**
 * Writes a package's JavaScript into `dist` as one bundled ES module per entry point, after tsc
 * has written the declarations there (`tsc --emitDeclarationOnly`). Run from the package:
 *
 *   node ../../scripts/bundle-dist.mjs index webhooks
 *
 * bundles `src/index.ts` and `src/webhooks.ts` into `dist/index.js` and `dist/webhooks.js`. Code two
 * entries share goes to `dist/chunks/`, so every class, symbol and cache exists once however many
 * entries an application imports. The package's dependencies and Node's built-in modules stay
 * imports. Why: Node resolves, reads and links each module file on its own, and for a package of
 * twenty-odd modules that work cost several MiB of memory at start, more than the code itself.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  throw new Error('usage: node bundle-dist.mjs <entry>... (file names under src/, without .ts)');
}
const manifest = JSON.parse(await readFile('package.json', 'utf8'));
const packages = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
];

// JavaScript left by an earlier build in any folder, whatever its layout; the declarations stay.
for (const file of await readdir('dist', { recursive: true })) {
  if (/\.js(\.map)?$/.test(file)) await rm(join('dist', file));
}

await build({
  entryPoints: Object.fromEntries(entries.map((name) => [name, `src/${name}.ts`])),
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['node:*', ...packages.flatMap((name) => [name, `${name}/*`])],
  // The package ships its sources; the maps point at them instead of repeating them.
  sourcemap: true,
  sourcesContent: false,
  charset: 'utf8',
  logLevel: 'warning',
});
