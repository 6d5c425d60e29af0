// ESM jest (see ../shared/stack-notes.md §1): unit specs live beside the code, e2e specs under test/.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', useESM: true }] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // CommonJS that require()s ESM Nest: Jest on Node 20 loads it only as an ES module converted from its own
    // dist by the globalSetup (test/support/throttler-esm.mjs). The server imports the package itself.
    '^@nestjs/throttler$': '<rootDir>/node_modules/.cache/nestjs-throttler-esm/index.mjs',
  },
};
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
