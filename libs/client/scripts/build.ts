// `npm run client:build`: libs/client/dist — ESM and CommonJS for Node (dist/index.mjs, .cjs,
// kafka.mjs, .cjs; socket.io-client and kafkajs stay dependencies), one self-contained browser
// bundle (dist/browser: ESM, and an IIFE that defines `mediatorClient`), and the type
// declarations (dist/types, by tsc).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

const CLIENT = join(__dirname, '..');
const DIST = join(CLIENT, 'dist');
const SRC = join(CLIENT, 'src');

const node: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['socket.io-client', 'kafkajs'],
  sourcemap: true,
  logLevel: 'warning',
};

/** The browser bundle: everything inside, no Node built-in (the Kafka entry is not part of it). */
export function browserBuild(format: 'esm' | 'iife'): BuildOptions {
  return {
    entryPoints: [join(SRC, 'index.ts')],
    bundle: true,
    platform: 'browser',
    target: ['es2022'],
    format,
    globalName: format === 'iife' ? 'mediatorClient' : undefined,
    sourcemap: true,
    logLevel: 'warning',
  };
}

async function main(): Promise<void> {
  const esbuild = await import('esbuild');
  rmSync(DIST, { recursive: true, force: true });
  const entryPoints = [join(SRC, 'index.ts'), join(SRC, 'kafka.ts')];
  await Promise.all([
    esbuild.build({
      ...node,
      entryPoints,
      format: 'esm',
      outdir: DIST,
      outExtension: { '.js': '.mjs' },
    }),
    esbuild.build({
      ...node,
      entryPoints,
      format: 'cjs',
      outdir: DIST,
      outExtension: { '.js': '.cjs' },
    }),
    esbuild.build({
      ...browserBuild('esm'),
      outfile: join(DIST, 'browser', 'mediator-client.mjs'),
    }),
    esbuild.build({
      ...browserBuild('iife'),
      outfile: join(DIST, 'browser', 'mediator-client.js'),
    }),
  ]);
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(CLIENT, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
  process.stdout.write('built libs/client/dist\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
