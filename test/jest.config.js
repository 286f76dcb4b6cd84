// `npm test`: unit tests beside the code (*.spec.ts, the Nest services' among them) and contract
// tests on the embedded adapters, then e2e tests that start the built service as a real process
// (test/e2e).
const path = require('path');
const shared = require('./jest.shared');

// NestJS 12 and some packages it loads are ESM-only; jest's CommonJS runtime on Node 20 cannot
// require them, so the unit project converts exactly these to CommonJS (see CONTRIBUTING.md).
const ESM_ONLY_PACKAGES = ['@nestjs', 'uid'];

module.exports = {
  rootDir: shared.rootDir,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/contract/**/*.spec.ts',
      ],
      transform: { ...shared.transform, '^.+\\.js$': path.join(__dirname, 'jest.esm-to-cjs.js') },
      transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // Each file starts the built service as a process: on a loaded machine that alone can take
      // longer than jest's default 5 s.
      testTimeout: 30_000,
    },
  ],
};
