// Jest transform for the ESM-only packages (NestJS 12 and the ESM packages it loads; puppeteer-core
// for the console's Firefox test): converts them to CommonJS with esbuild so tests can load them
// in jest's CommonJS runtime.
// The built service needs none of this: it runs on Node's own require(esm).
const { createHash } = require('crypto');
const { readFileSync } = require('fs');
const { transformSync, version } = require('esbuild');

// `import.meta.url` has no CommonJS counterpart that esbuild fills in on its own.
const IMPORT_META_URL = '__jestImportMetaUrl';
const THIS_FILE = readFileSync(__filename, 'utf8');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1')
      .update(`${version}\0${THIS_FILE}\0${filename}\0`)
      .update(source)
      .digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      platform: 'node',
      target: 'node20',
      sourcefile: filename,
      // import() too: jest's CommonJS modules cannot import without --experimental-vm-modules.
      supported: { 'dynamic-import': false },
      sourcemap: 'external',
      define: { 'import.meta.url': IMPORT_META_URL },
      // A block scope lets a module declare its own `const require = createRequire(...)`
      // without clashing with the `require` parameter of jest's module wrapper.
      banner: `const ${IMPORT_META_URL} = require('url').pathToFileURL(__filename).href;\n{`,
      footer: '}',
    });
    return { code, map };
  },
};
