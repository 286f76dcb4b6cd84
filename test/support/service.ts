// Starts the BUILT service (dist/, from `npm run build`) as a child process on free ports, with a
// fresh SQLite file and a temp config, so e2e tests never import Nest (ESM-only; jest cannot load it).
import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
/** The built entry point; E2E_MAIN points at another build (e.g. one that concurrent builds do not wipe). */
export const MAIN =
  process.env.E2E_MAIN ?? join(ROOT, 'dist', 'apps', 'mediator-service', 'src', 'main.js');
export const BASE_CONFIG = join(ROOT, 'config', 'config.yaml');
export const JWT_SECRET = 'e2e-secret-that-is-long-enough-for-hs256';

type Tree = Record<string, unknown>;

/** Children still running when the test worker exits are killed, so a failed run leaves no process. */
export interface StartOptions {
  /** Deep-merged over config/config.yaml and written to a temp CONFIG_FILE. */
  config?: Tree;
  /** A config file used as it is, instead of `config` (e.g. the original's, verbatim). */
  configFile?: string;
  /** Command-line arguments of the service (e.g. `--strict`). */
  args?: string[];
  /** Reuse a database (restart tests); a fresh temp file otherwise. */
  sqlitePath?: string;
  env?: Record<string, string>;
  /**
   * The path that must answer 200 before the service counts as started (default /health: every
   * configured component up; /health/ready is already 200 while Redis or Kafka is degraded).
   */
  readyPath?: string;
}

export interface RunningService {
  url: string;
  metricsUrl: string;
  sqlitePath: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** SIGKILL at once (a crash): no shutdown hooks run; the database file is kept. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit code and signal (SIGKILL after timeoutMs). */
  stop(
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mediator-e2e-'));
}

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isTree(v) && isTree(out[k]) ? merge(out[k] as Tree, v) : v;
  return out;
}

/**
 * Writes a config file: the shipped default, a rate limit high enough that tests are not
 * throttled by accident, and the test's own settings. JSON is valid YAML.
 */
export function writeConfig(dir: string, overrides: Tree = {}): string {
  const base = parseYaml(readFileSync(BASE_CONFIG, 'utf8')) as Tree;
  const config = merge(merge(base, { security: { rate_limit_requests: 100000 } }), overrides);
  const file = join(dir, 'config.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Runs the service with raw env and waits for it to exit by itself (start-up failures). */
export function runUntilExit(
  env: Record<string, string>,
  timeoutMs = 15000,
  args: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export async function startService(options: StartOptions = {}): Promise<RunningService> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} does not exist: run \`npm run build\` first`);
  const dir = tempDir();
  const sqlitePath = options.sqlitePath ?? join(dir, 'mediator.sqlite');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SQLITE_PATH: sqlitePath,
      JWT_SECRET,
      CONFIG_FILE: options.configFile ?? writeConfig(dir, options.config),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // A service a test left running must not keep jest from exiting; the global teardown kills it
  // (test/support/orphans.js).
  child.unref();
  (child.stderr as unknown as { unref(): void }).unref();
  if (process.env.MEDIATOR_TEST_PIDS)
    appendFileSync(process.env.MEDIATOR_TEST_PIDS, `${child.pid}\n`);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (gone) throw new Error(`the service exited during start-up: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service was not ready within 30 s: ${stderr}`);
    }
    try {
      const res = await fetch(`${url}${options.readyPath ?? '/health'}`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    sqlitePath,
    stderr: () => stderr,
    async kill() {
      if (!gone) child.kill('SIGKILL');
      return exited;
    },
    async stop(timeoutMs = 10000) {
      const started = Date.now();
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (!options.sqlitePath) rmSync(dir, { recursive: true, force: true });
      return { ...result, ms: Date.now() - started };
    },
  };
}
