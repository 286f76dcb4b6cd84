// `npm test`: unit tests beside the code (*.spec.ts) and contract tests on the embedded adapters,
// then e2e tests that start the built service as a real process (test/e2e).
const shared = require('./jest.shared');

/** Packages published only as ES modules that e2e tests import (directly or not). */
const ESM_ONLY = ['puppeteer-core', '@puppeteer/browsers', 'chromium-bidi'];

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/contract/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform: { ...shared.transform, '^.+\\.js$': '<rootDir>/test/esm-to-cjs.js' },
      // ESM-only packages of the console's Firefox test (puppeteer-core): compiled to CommonJS.
      transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
      // Each file starts the built service as a process: on a loaded machine that alone can take
      // longer than jest's default 5 s.
      testTimeout: 30_000,
    },
  ],
};
