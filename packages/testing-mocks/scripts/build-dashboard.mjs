// Bundles the dashboard (dashboard/app.ts, plain TypeScript for the browser) with esbuild into
// dist/dashboard, next to its page; the emulator serves both at /__emulator/ui.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const out = new URL('../dist/dashboard/', import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL('../dashboard/app.ts', import.meta.url).pathname],
  outfile: new URL('app.js', out).pathname,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(new URL('../dashboard/index.html', import.meta.url), new URL('index.html', out));
