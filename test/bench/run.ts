/**
 * `npm run bench`: runs every test/bench/*.bench.ts, one after the other, each in its own process
 * (a benchmark starts and stops its own servers). `npm run bench -- http-ws` runs the files whose
 * name contains one of the arguments.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const filters = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stdout.write(`\n## ${file}\n\n`);
  const { status } = spawnSync(
    process.execPath,
    [
      require.resolve('ts-node/dist/bin.js'),
      '-r',
      'tsconfig-paths/register',
      '--transpile-only',
      join('test/bench', file),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
