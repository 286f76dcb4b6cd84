/**
 * `npm run bench`: runs the test/bench/*.bench.ts files one after the other, each in its own
 * process (a benchmark starts and stops its own servers), then merges their results into
 * BENCH_OUT/results.json and draws BENCH_OUT/chart.png.
 *
 *   npm run bench                    every benchmark except the opt-in ones below
 *   npm run bench -- ratios growth   the files whose name contains one of the arguments
 *
 * Opt-in (heavy or needing servers): growth (the growth table), mariadb (needs MYSQL_HOST and
 * REDIS_HOST), kafka (needs KAFKA_BROKERS).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderChart } from './support/chart';
import { mergeSections, OUT } from './support/results';

const ROOT = resolve(__dirname, '../..');
const OPT_IN = ['growth', 'mariadb', 'kafka'];
const filters = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) =>
    filters.length === 0
      ? !OPT_IN.some((name) => f.startsWith(name))
      : filters.some((name) => f.includes(name)),
  )
  .sort();

async function main(): Promise<number> {
  const started = Date.now();
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
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_OUT: OUT } },
    );
    if (status !== 0) failed += 1;
    // The service is built once per run.
    process.env.BENCH_SKIP_BUILD = '1';
  }
  const sections = mergeSections(started);
  if (sections.length > 0) {
    process.stdout.write(`\nresults: ${join(OUT, 'results.json')}\n`);
    try {
      const chart = await renderChart(sections);
      if (chart) process.stdout.write(`chart: ${chart}\n`);
    } catch (error) {
      process.stderr.write(`chart not drawn: ${(error as Error).message}\n`);
    }
  }
  return failed;
}

main().then((failed) => process.exit(failed === 0 ? 0 : 1));
