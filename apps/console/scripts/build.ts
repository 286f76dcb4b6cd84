// `npm run console:build` (part of `npm run build`): bundles apps/console with esbuild into
// dist/console (console.js, console.css, index.html), which the service serves at /console/.
// @mediator/client is bundled from its source, so the console needs no prior client build.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const APP = join(__dirname, '..');
const ROOT = join(APP, '..', '..');
const OUT = join(ROOT, 'dist', 'console');

async function main(): Promise<void> {
  const esbuild = await import('esbuild');
  mkdirSync(OUT, { recursive: true });
  await esbuild.build({
    entryPoints: [join(APP, 'src', 'main.ts')],
    outfile: join(OUT, 'console.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    alias: { '@mediator/client': join(ROOT, 'libs', 'client', 'src', 'index.ts') },
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'console.css']) copyFileSync(join(APP, file), join(OUT, file));
  process.stdout.write(`built ${OUT}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
