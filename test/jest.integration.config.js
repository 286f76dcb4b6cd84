// `npm run test:integration`: suites against real servers (deploy/local/up.sh or deploy/compose).
// A missing server fails the run; nothing is skipped.
const shared = require('./jest.shared');

module.exports = {
  ...shared,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 30_000,
};
