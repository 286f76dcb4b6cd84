// `npm run client:generate`: the REST part of @mediator/client, generated from the service's own
// OpenAPI document (GET /docs-json of the built service), never copied by hand.
// `npm run client:check` (`--check`): generates into a temporary folder and fails when the
// committed files differ, so a route change without a regenerated client fails CI.
//
// Both need the built service (`npm run build`); `--document FILE` reads a saved document instead.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const CLIENT = join(ROOT, 'libs', 'client');
const GENERATED = join(CLIENT, 'src', 'generated');
/** The document the committed code was generated from: reviewers see API changes as a diff. */
const DOCUMENT = join(CLIENT, 'openapi.json');
const MAIN = join(ROOT, 'dist', 'apps', 'mediator-service', 'src', 'main.js');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, document: { type: 'string' } },
  });
  const document = values.document
    ? readFileSync(values.document, 'utf8')
    : await documentOfBuiltService();
  const work = mkdtempSync(join(tmpdir(), 'mediator-client-'));
  try {
    writeFileSync(join(work, 'openapi.json'), document);
    await generate(join(work, 'openapi.json'), join(work, 'generated'));
    if (values.check) {
      const drift = differences(work);
      if (drift.length > 0) {
        process.stderr.write(
          `libs/client is out of date with the service's OpenAPI document:\n  ${drift.join('\n  ')}\n` +
            'run `npm run build && npm run client:generate` and commit the result\n',
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write('libs/client/src/generated matches /docs-json\n');
      return;
    }
    rmSync(GENERATED, { recursive: true, force: true });
    cpSync(join(work, 'generated'), GENERATED, { recursive: true });
    writeFileSync(DOCUMENT, document);
    process.stdout.write(`wrote ${relative(ROOT, GENERATED)} and ${relative(ROOT, DOCUMENT)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function generate(input: string, output: string): Promise<void> {
  // ESM-only package: a dynamic import keeps this script CommonJS like the rest of the repository.
  const { createClient } = await import('@hey-api/openapi-ts');
  await createClient({
    input,
    // Extensionless imports: the library is compiled as CommonJS, bundled by esbuild, and
    // loaded by ts-jest, which all resolve them.
    output: { path: output, module: { extension: null } },
    logs: { level: 'silent' },
    plugins: [
      '@hey-api/typescript',
      // Calls resolve to the response body and throw on an error status (as MediatorApiError,
      // see rest.ts), and their types say so.
      { name: '@hey-api/client-fetch', throwOnError: true },
      {
        name: '@hey-api/sdk',
        responseStyle: 'data',
        // `new MediatorApi({ client })`, one group per controller: `api.mediators.create(…)`.
        operations: {
          strategy: 'single',
          containerName: 'MediatorApi',
          methods: 'instance',
          nesting: 'operationId',
          nestingDelimiters: /_/,
          segmentName: (name: string) => name.replace(/Controller$/, ''),
        },
      },
    ],
  });
  await formatTree(output);
}

/** Formats with the repository's Prettier settings, so `npm run lint` accepts the output. */
async function formatTree(dir: string): Promise<void> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(join(ROOT, 'package.json'));
  for (const file of listFiles(dir)) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
  }
}

/** Relative paths that differ between the fresh generation in `work` and the committed files. */
function differences(work: string): string[] {
  const fresh = listFiles(join(work, 'generated'));
  const committed = listFiles(GENERATED);
  const drift = new Set<string>();
  for (const file of new Set([...fresh, ...committed])) {
    const a = fresh.includes(file) ? readFileSync(join(work, 'generated', file), 'utf8') : null;
    const b = committed.includes(file) ? readFileSync(join(GENERATED, file), 'utf8') : null;
    if (a !== b) drift.add(`src/generated/${file}`);
  }
  const document = readFileSync(join(work, 'openapi.json'), 'utf8');
  if (readFileOrNull(DOCUMENT) !== document) drift.add('openapi.json');
  return [...drift].sort();
}

function listFiles(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}

function readFileOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Starts the built service with the shipped default config (embedded SQLite in a temporary
 * folder, no Kafka) on a free port, reads /docs-json, and stops it.
 */
async function documentOfBuiltService(): Promise<string> {
  try {
    readFileSync(MAIN);
  } catch {
    throw new Error(`${relative(ROOT, MAIN)} does not exist: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mediator-docs-'));
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SQLITE_PATH: join(dir, 'docs.sqlite'),
      // Only for this throwaway process: the document does not depend on the secret.
      JWT_SECRET: 'client-generate-only-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
      NODE_NO_WARNINGS: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    return await fetchDocument(`http://127.0.0.1:${port}/docs-json`, child);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(null),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fetchDocument(url: string, child: ChildProcess): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited (code ${child.exitCode})`);
    try {
      const res = await fetch(url);
      // Stable bytes whatever the key order of the moment: the check compares files.
      if (res.ok) return `${JSON.stringify(await res.json(), null, 2)}\n`;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no OpenAPI document at ${url} within 30 s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
