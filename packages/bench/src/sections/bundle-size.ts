/** Bundle size of the create-task apps and the package entry points, and which platforms bundle. */
import {
  APP_TARGETS,
  type BundleSizes,
  type BundleTarget,
  measureBundle,
  PACKAGE_TARGETS,
  PLATFORMS,
} from '../bundle.js';
import { formatBytes, formatRatio, type Section } from '../report.js';

/**
 * Sizes by target id: for the node platform, and for the browser (absent where the target does not
 * bundle for it).
 */
export type BundleResults = Map<
  string,
  {
    sizes: BundleSizes | undefined;
    browserSizes: BundleSizes | undefined;
    platforms: Record<string, boolean>;
  }
>;

async function measureTargets(targets: readonly BundleTarget[]): Promise<BundleResults> {
  const results: BundleResults = new Map();
  for (const target of targets) {
    const platforms: Record<string, boolean> = {};
    const sizes: Record<string, BundleSizes> = {};
    for (const platform of PLATFORMS) {
      const outcome = await measureBundle(target, platform);
      platforms[platform] = outcome.ok;
      if (outcome.ok) sizes[platform] = outcome.sizes;
    }
    results.set(target.id, { sizes: sizes.node, browserSizes: sizes.browser, platforms });
  }
  return results;
}

/** Measures every app and package entry point. */
export async function measureBundleSizes(): Promise<{ section: Section; results: BundleResults }> {
  const results = await measureTargets([...APP_TARGETS, ...PACKAGE_TARGETS]);
  const twilioGzip = results.get('app:twilio')?.sizes?.gzip;
  const row = (id: string) => {
    const { sizes, browserSizes, platforms } = results.get(id)!;
    const cells = sizes
      ? [formatBytes(sizes.minified), formatBytes(sizes.gzip), formatBytes(sizes.brotli)]
      : ['—', '—', '—'];
    const ratio = sizes && twilioGzip ? formatRatio(sizes.gzip / twilioGzip) : '—';
    const browserGzip = browserSizes ? formatBytes(browserSizes.gzip) : '—';
    return [
      id,
      ...cells,
      ratio,
      browserGzip,
      ...PLATFORMS.map((platform) => (platforms[platform] ? 'yes' : 'no')),
    ];
  };
  const columns = [
    'bundle',
    'minified',
    'gzip',
    'brotli',
    'gzip × twilio app',
    'gzip, browser',
    ...PLATFORMS.map((p) => `${p}?`),
  ];
  return {
    results,
    section: {
      title: 'Bundle size',
      description:
        'esbuild, `bundle + minify`, ESM, target es2022; gzip level 9 and brotli quality 11 of the output. ' +
        'Sizes are for the node platform, where `@taskrouter/core` brings its Node transport (its `node` ' +
        'export condition), except `gzip, browser`, the same bundle for browsers; the last columns say ' +
        'whether esbuild can bundle the code at all for each platform. Apps create one task; package rows ' +
        'keep every export of the entry point.',
      tables: [
        { columns, rows: APP_TARGETS.map((target) => row(target.id)) },
        { columns, rows: PACKAGE_TARGETS.map((target) => row(target.id)) },
      ],
    },
  };
}
