// `npm test`: unit tests beside the code (*.spec.ts, the Nest services' among them) and contract
// tests on the embedded adapters, then e2e tests that start the built service as a real process
// (test/e2e).
const path = require('path');
const shared = require('./jest.shared');

// Packages published only as ES modules: jest's CommonJS runtime on Node 20 cannot require them,
// so each project converts exactly those its tests load to CommonJS (test/jest.esm-to-cjs.js;
// see CONTRIBUTING.md). Unit: NestJS 12 and what it loads. e2e: the console's Firefox test
// (puppeteer-core).
const ESM_TO_CJS = path.join(__dirname, 'jest.esm-to-cjs.js');
const convert = (packages) => ({
  transform: { ...shared.transform, '^.+\\.js$': ESM_TO_CJS },
  transformIgnorePatterns: [`/node_modules/(?!(${packages.join('|')})/)`],
});

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
      ...convert(['@nestjs', 'uid']),
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      ...convert(['puppeteer-core', '@puppeteer/browsers', 'chromium-bidi']),
      // Each file starts the built service as a process: on a loaded machine that alone can take
      // longer than jest's default 5 s.
      testTimeout: 30_000,
    },
  ],
};
