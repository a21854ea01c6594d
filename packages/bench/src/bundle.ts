/**
 * Bundle-size measurement with esbuild: minified ESM, then gzip and brotli at their highest levels.
 * Shared by the benchmark report and the budget test, so both see the same bytes.
 */
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Platform } from 'esbuild';
import { BENCH_DIR } from './processes.js';

/** Something to bundle: an app file, or the whole public surface of a package entry point. */
export interface BundleTarget {
  /** Stable id, the key of its budget in budgets.json. */
  id: string;
  /** Either a file (relative to this package) or a module specifier whose exports are all kept. */
  source: { file: string } | { reexport: string };
}

/** Sizes of one bundle, in bytes. */
export interface BundleSizes {
  minified: number;
  gzip: number;
  brotli: number;
}

/** The platforms esbuild bundles for. */
export const PLATFORMS: readonly Platform[] = ['node', 'browser', 'neutral'];

/** The create-task apps, each doing the same job with a different library. */
export const APP_TARGETS: readonly BundleTarget[] = [
  { id: 'app:resources', source: { file: 'src/apps/resources.mjs' } },
  { id: 'app:resources-class', source: { file: 'src/apps/resources-class.mjs' } },
  { id: 'app:core', source: { file: 'src/apps/core.mjs' } },
  { id: 'app:fetch', source: { file: 'src/apps/fetch.mjs' } },
  { id: 'app:twilio', source: { file: 'src/apps/twilio.mjs' } },
];

/** Every public entry point of the toolkit's packages (all of them bundle for node). */
export const PACKAGE_TARGETS: readonly BundleTarget[] = [
  { id: '@taskrouter/core', source: { reexport: '@taskrouter/core' } },
  { id: '@taskrouter/core/node', source: { reexport: '@taskrouter/core/node' } },
  { id: '@taskrouter/resources', source: { reexport: '@taskrouter/resources' } },
  { id: '@taskrouter/resources/webhooks', source: { reexport: '@taskrouter/resources/webhooks' } },
  { id: '@taskrouter/workflow-builder', source: { reexport: '@taskrouter/workflow-builder' } },
  { id: '@taskrouter/testing-mocks', source: { reexport: '@taskrouter/testing-mocks' } },
];

/** Bundles a target for a platform and returns the minified code; throws with esbuild's errors. */
export async function bundle(target: BundleTarget, platform: Platform): Promise<Uint8Array> {
  const entry =
    'file' in target.source
      ? { entryPoints: [join(BENCH_DIR, target.source.file)] }
      : {
          stdin: {
            contents: `export * from '${target.source.reexport}';`,
            resolveDir: BENCH_DIR,
            loader: 'js' as const,
          },
        };
  const result = await build({
    ...entry,
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${target.id}`);
  return output.contents;
}

/** Minified, gzip and brotli sizes of some code. */
export function compressedSizes(code: Uint8Array): BundleSizes {
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength,
      },
    }).byteLength,
  };
}

/** Bundles a target for a platform; a failure to bundle is reported, not thrown. */
export async function measureBundle(
  target: BundleTarget,
  platform: Platform,
): Promise<{ ok: true; sizes: BundleSizes } | { ok: false; error: string }> {
  try {
    return { ok: true, sizes: compressedSizes(await bundle(target, platform)) };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors;
    const first = errors?.[0]?.text ?? (error instanceof Error ? error.message : String(error));
    const more = errors && errors.length > 1 ? ` (+${errors.length - 1} more errors)` : '';
    return { ok: false, error: first + more };
  }
}

/** Path of the budget file, relative to this package. */
export const BUDGET_FILE = 'budgets.json';

/** One budget: the gzip size recorded when it was last reviewed, and the most it may grow to. */
export interface Budget {
  /** Minified + gzip bytes (on the target's {@link budgetPlatform}) when the budget was last reviewed. */
  recordedGzipBytes: number;
  /** A bundle above this many minified + gzip bytes fails the budget test. */
  maxGzipBytes: number;
}

/**
 * The create-task apps of core and resources bundled for Node, as a serverless deployment ships
 * them: with core's Node transport, without its fetch wrapper, which the default client never calls.
 */
const NODE_APP_TARGETS: readonly BundleTarget[] = ['app:core', 'app:resources'].map((id) => ({
  id: `${id} (node)`,
  source: APP_TARGETS.find((target) => target.id === id)!.source,
}));

/** The targets whose size is budgeted: our apps and packages, not the baselines. */
export const BUDGETED_TARGETS: readonly BundleTarget[] = [
  ...APP_TARGETS.filter((target) => target.id !== 'app:twilio' && target.id !== 'app:fetch'),
  ...NODE_APP_TARGETS,
  ...PACKAGE_TARGETS,
];

/** Targets measured for Node.js only: entry points made for it, and the apps bundled for it. */
const NODE_ONLY_TARGETS = new Set([
  '@taskrouter/core/node',
  '@taskrouter/testing-mocks',
  ...NODE_APP_TARGETS.map((target) => target.id),
]);

/**
 * The platform a target's budget is measured on: the browser, where bundle size is what users pay
 * for, except for entry points made for Node only. On the node platform, `@taskrouter/core`
 * deliberately brings its Node transport (its `node` export condition), which a browser never loads.
 */
export function budgetPlatform(target: BundleTarget): Platform {
  return NODE_ONLY_TARGETS.has(target.id) ? 'node' : 'browser';
}
