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

/** Node-platform sizes by target id (absent when the target does not bundle). */
export type BundleResults = Map<
  string,
  { sizes: BundleSizes | undefined; platforms: Record<string, boolean> }
>;

async function measureTargets(targets: readonly BundleTarget[]): Promise<BundleResults> {
  const results: BundleResults = new Map();
  for (const target of targets) {
    const platforms: Record<string, boolean> = {};
    let sizes: BundleSizes | undefined;
    for (const platform of PLATFORMS) {
      const outcome = await measureBundle(target, platform);
      platforms[platform] = outcome.ok;
      if (outcome.ok && platform === 'node') sizes = outcome.sizes;
    }
    results.set(target.id, { sizes, platforms });
  }
  return results;
}

/** Measures every app and package entry point. */
export async function measureBundleSizes(): Promise<{ section: Section; results: BundleResults }> {
  const results = await measureTargets([...APP_TARGETS, ...PACKAGE_TARGETS]);
  const twilioGzip = results.get('app:twilio')?.sizes?.gzip;
  const row = (id: string) => {
    const { sizes, platforms } = results.get(id)!;
    const cells = sizes
      ? [formatBytes(sizes.minified), formatBytes(sizes.gzip), formatBytes(sizes.brotli)]
      : ['—', '—', '—'];
    const ratio = sizes && twilioGzip ? formatRatio(sizes.gzip / twilioGzip) : '—';
    return [id, ...cells, ratio, ...PLATFORMS.map((platform) => (platforms[platform] ? 'yes' : 'no'))];
  };
  const columns = [
    'bundle',
    'minified',
    'gzip',
    'brotli',
    'gzip × twilio app',
    ...PLATFORMS.map((p) => `${p}?`),
  ];
  return {
    results,
    section: {
      title: 'Bundle size',
      description:
        'esbuild, `bundle + minify`, ESM, target es2022; gzip level 9 and brotli quality 11 of the output. ' +
        'Sizes are for the node platform; the last columns say whether esbuild can bundle the code at all for ' +
        'each platform. Apps create one task; package rows keep every export of the entry point.',
      tables: [
        { columns, rows: APP_TARGETS.map((target) => row(target.id)) },
        { columns, rows: PACKAGE_TARGETS.map((target) => row(target.id)) },
      ],
    },
  };
}
