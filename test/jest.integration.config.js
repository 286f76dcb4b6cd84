// `npm run test:integration`: suites against real servers (deploy/local/up.sh or deploy/compose).
// A missing server fails the run; nothing is skipped.
const path = require('path');
const shared = require('./jest.shared');

module.exports = {
  ...shared,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  // NestJS 12 is published as ES modules only: converted to CommonJS (test/jest.esm-to-cjs.js), as
  // in the unit project, for the suites that load the service's Redis adapters in process.
  transform: { ...shared.transform, '^.+\\.js$': path.join(__dirname, 'jest.esm-to-cjs.js') },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid)/)'],
  maxWorkers: 1,
  testSequencer: '<rootDir>/test/support/integration-sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 30_000,
};
