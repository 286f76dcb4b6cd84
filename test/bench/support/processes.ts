/**
 * The processes a benchmark measures: the built service and the bare baselines, each a child
 * process of its own on free loopback ports, with its CPU time and resident memory readable from
 * /proc so a figure can be given per request and per connection.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { parse as parseYaml, stringify as toYaml } from 'yaml';

export const ROOT = resolve(__dirname, '../../..');
export const JWT_SECRET = 'bench-secret-0123456789-abcdefghijklmnop';
/** The built entry point; BENCH_SERVICE_MAIN measures another build (e.g. of the commit before). */
const MAIN = process.env.BENCH_SERVICE_MAIN ?? 'dist/apps/mediator-service/src/main.js';

type Tree = Record<string, unknown>;

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function buildOnce(): void {
  if (process.env.BENCH_SKIP_BUILD) return;
  process.stderr.write('building the service (npm run build)…\n');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.env.BENCH_SKIP_BUILD = '1';
}

export function tokenFor(claims: {
  sub: string;
  scope: string;
  mediator?: string;
  colleague?: string;
}): string {
  return jwt.sign(claims, JWT_SECRET, { algorithm: 'HS256', expiresIn: '2h' });
}

/** A child process that we measure: its URL, pid, CPU seconds and resident memory. */
export class Measured {
  private stopping = false;
  private output = '';

  constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (!this.stopping)
        process.stderr.write(`${name} exited (${code ?? signal}):\n${this.output}\n`);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** User + system CPU seconds the process used so far (/proc, Linux). */
  cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return NaN;
    }
  }

  /** Resident memory in bytes (/proc, Linux). */
  rssBytes(): number {
    try {
      const line = readFileSync(`/proc/${this.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      return line ? Number(line[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  async waitUntilLive(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      try {
        if ((await fetch(`${this.url}/health/live`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} did not come up: ${this.output}`);
  }

  stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((done) => {
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.once('exit', () => (clearTimeout(kill), done()));
      this.child.kill('SIGTERM');
    });
  }
}

const children = new Set<Measured>();
process.once('exit', () => children.forEach((c) => void c.stop()));

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv, url: string): Measured {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const measured = new Measured(name, url, child);
  children.add(measured);
  return measured;
}

export interface ServiceOptions {
  /** Deep-merged over config/config.yaml. */
  config?: Tree;
  /** Env on top of the bench defaults (e.g. MYSQL_HOST for the MariaDB mode). */
  env?: Record<string, string>;
  /** Reuse a database file (seeded runs); a fresh one in `dir` otherwise. */
  sqlitePath?: string;
  /** Node options before the entry point (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** The build's entry point (default: BENCH_SERVICE_MAIN, else this tree's dist). */
  main?: string;
}

export interface RunningService extends Measured {
  dir: string;
  sqlitePath: string;
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const both = [v, out[k]].every((x) => typeof x === 'object' && x && !Array.isArray(x));
    out[k] = both ? merge(out[k] as Tree, v as Tree) : v;
  }
  return out;
}

/**
 * The built service on the embedded default (SQLite in a temp dir) unless `env` says otherwise,
 * logging at warn, with the per-subject rate limit raised out of the way: a benchmark sends from
 * one subject far faster than any budget allows.
 */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const dir = mkdtempSync(join(tmpdir(), 'mediator-bench-'));
  const base = parseYaml(readFileSync(join(ROOT, 'config/config.yaml'), 'utf8')) as Tree;
  const config = merge(
    merge(base, { security: { rate_limit_requests: 1_000_000_000 } }),
    options.config ?? {},
  );
  writeFileSync(join(dir, 'config.yaml'), toYaml(config));
  const [port, metricsPort] = [await freePort(), await freePort()];
  const sqlitePath = options.sqlitePath ?? join(dir, 'bench.sqlite');
  const service = spawnNode(
    'service',
    [...(options.nodeArgs ?? []), options.main ?? MAIN],
    {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SQLITE_PATH: sqlitePath,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      CONFIG_FILE: join(dir, 'config.yaml'),
      ...options.env,
    },
    `http://127.0.0.1:${port}`,
  ) as RunningService;
  Object.assign(service, { dir, sqlitePath });
  const stop = service.stop.bind(service);
  service.stop = async () => {
    await stop();
    // The temp dir holds the config, and the database unless `sqlitePath` put it elsewhere.
    rmSync(dir, { recursive: true, force: true });
  };
  await service.waitUntilLive();
  return service;
}

export type BaselineKind = 'fastify' | 'socketio' | 'floor';

/** test/bench/baseline-server.ts in its own process: bare Fastify, or a bare Socket.IO relay. */
export async function startBaseline(
  kind: BaselineKind,
  env: Record<string, string> = {},
): Promise<Measured> {
  const port = await freePort();
  const baseline = spawnNode(
    `baseline ${kind}`,
    ['-r', require.resolve('ts-node/register/transpile-only'), 'test/bench/baseline-server.ts'],
    { ...env, PORT: String(port), BASELINE: kind },
    `http://127.0.0.1:${port}`,
  );
  await baseline.waitUntilLive();
  return baseline;
}

/** A JSON call that must succeed (fixtures: mediators, colleagues). */
export async function call(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export const ADMIN = () => tokenFor({ sub: 'bench-admin', scope: 'admin' });

/** A mediator and its colleagues through the API (all `message` colleagues). */
export async function createMediator(
  url: string,
  name: string,
  colleagues: string[],
  maxColleagues = 1000,
): Promise<void> {
  const admin = ADMIN();
  await call(url, admin, 'POST', '/mediators', { name, max_colleagues: maxColleagues });
  for (const id of colleagues)
    await call(url, admin, 'POST', `/mediators/${name}/colleagues`, {
      id,
      name: id,
      type: 'message',
    });
}

export const colleagueToken = (mediator: string, colleague: string) =>
  tokenFor({
    sub: `colleague:${mediator}:${colleague}`,
    scope: 'messages:send messages:read mediators:read',
    mediator,
    colleague,
  });
