/**
 * The import rules of the tree (issue 18), checked by `npm test` (test/architecture.test.ts) and
 * by `npx depcruise src test --config .dependency-cruiser.cjs`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and layers blur; migrations register themselves in a list and are exempt.',
      severity: 'error',
      from: { pathNot: '/migrations/' },
      to: { circular: true, viaOnly: { pathNot: '/migrations/' } },
    },
    {
      name: 'api-not-store-internals',
      comment: 'The API talks to the Store interface; dialect folders are the stores\' own business.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/store/(sqlite|postgres)/' },
    },
    {
      name: 'domain-not-store',
      comment: 'The domain is the model and its rules; it does not know how they are kept.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'delivery-not-api',
      comment: 'The delivery engine runs without the HTTP API (role=worker).',
      severity: 'error',
      from: { path: '^src/delivery/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'src-not-test',
      comment: 'Shipped code never imports test code; test support lives in test/support.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
