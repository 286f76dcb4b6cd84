// `npm test`: unit tests beside the code (*.spec.ts) and contract tests on the embedded adapters,
// then e2e tests that start the built service as a real process (test/e2e).
const shared = require('./jest.shared');

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
