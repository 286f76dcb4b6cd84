// Settings shared by the unit/e2e and the integration jest configs.
const path = require('path');
const ts = require('typescript');
const { pathsToModuleNameMapper } = require('ts-jest');

const rootDir = path.join(__dirname, '..');
const { compilerOptions } = ts.readConfigFile(
  path.join(rootDir, 'tsconfig.json'),
  ts.sys.readFile,
).config;

module.exports = {
  rootDir,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};
