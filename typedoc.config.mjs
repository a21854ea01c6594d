import { readdirSync, readFileSync } from 'node:fs';
import { OptionDefaults } from 'typedoc';

const packages = ['core', 'workflow-builder', 'resources', 'testing-mocks'];

// Every subpath a package exports (`.`, `./msw`, `./vitest`) is built from `src/<name>.ts`; one glob
// covers them all, so a new subpath export is documented without touching this file.
const exportedModules = new Set(
  packages.flatMap((name) => {
    const manifest = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
    return Object.keys(manifest.exports ?? { '.': null })
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? 'index' : subpath.slice(2)));
  }),
);

/** One API site for all four packages, with the landing page and guides from `docs/`. */
export default {
  name: 'TaskRouter toolkit',
  entryPointStrategy: 'packages',
  entryPoints: packages.map((name) => `packages/${name}`),
  readme: 'docs/index.md',
  projectDocuments: readdirSync('docs')
    .filter((file) => file.endsWith('.md') && file !== 'index.md')
    .map((file) => `docs/${file}`),
  plugin: ['./docs/typedoc-generated-types.mjs', './docs/typedoc-mermaid.mjs'],
  highlightLanguages: [...OptionDefaults.highlightLanguages, 'mermaid'],
  packageOptions: {
    entryPoints: [`src/@(${[...exportedModules].join('|')}).ts`],
    tsconfig: 'tsconfig.build.json',
    // openapi-typescript writes @description on every generated member.
    blockTags: [...OptionDefaults.blockTags, '@description'],
    excludeInternal: true,
    includeVersion: true,
    // Source links need a hosted remote; the site links to the API, not to files.
    disableSources: true,
  },
  out: 'docs/api',
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, invalidPath: true },
};
