// Unit tests live beside the code (*.spec.ts); e2e tests start the real app (test/e2e).
const path = require('path');
const ts = require('typescript');
const { pathsToModuleNameMapper } = require('ts-jest');

const rootDir = path.join(__dirname, '..');
const tsconfigPath = path.join(rootDir, 'tsconfig.json');
const { compilerOptions } = ts.readConfigFile(tsconfigPath, ts.sys.readFile).config;

const shared = {
  rootDir,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: tsconfigPath, isolatedModules: true }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

module.exports = {
  shared,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/contract/**/*.spec.ts'],
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], testTimeout: 30000 },
  ],
};
