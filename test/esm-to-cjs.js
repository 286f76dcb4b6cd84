// jest loads modules as CommonJS, and it cannot require an ES module before Node 24.9 (Node itself
// can since 20.19). The few ESM-only packages the tests import (puppeteer-core and the packages
// it imports) are compiled to CommonJS by esbuild, which the console's build already uses.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const esbuild = require('esbuild');

const OPTIONS = {
  format: 'cjs',
  loader: 'js',
  platform: 'node',
  target: 'node20',
  // import() too: jest's CommonJS modules cannot import without --experimental-vm-modules.
  supported: { 'dynamic-import': false },
};

/** jest's cache keeps a compiled file until its source, these options or esbuild change. */
const SALT = readFileSync(__filename, 'utf8') + esbuild.version;

module.exports = {
  process(source, path) {
    return { code: esbuild.transformSync(source, { ...OPTIONS, sourcefile: path }).code };
  },
  getCacheKey(source, path) {
    return createHash('sha256').update(SALT).update(path).update(source).digest('hex');
  },
};
