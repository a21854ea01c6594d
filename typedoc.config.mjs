import { OptionDefaults } from 'typedoc';

/** One API site for all four packages; each package may add entry points in its own typedoc.json. */
export default {
  name: 'TaskRouter toolkit',
  entryPointStrategy: 'packages',
  entryPoints: ['packages/core', 'packages/workflow-builder', 'packages/resources', 'packages/testing-mocks'],
  packageOptions: {
    entryPoints: ['src/index.ts'],
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
