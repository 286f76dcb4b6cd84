/**
 * HTTP + Socket.IO benchmark of the mediator service against a bare baseline on the same machine.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/http-ws.bench.ts
 *
 * Builds the service, starts it as a child process on the embedded default (SQLite in a temp dir,
 * rate limit raised out of the way), connects the recipient over Socket.IO (it acks every
 * delivery), then runs autocannon against `POST /api/v1/mediators/{name}/messages` and
 * `GET /health/live`, and the same against test/bench/baseline-server.ts. Prints figures and
 * ratios; asserts nothing. See test/bench/README.md for the knobs and the last figures.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { parse as parseYaml, stringify as toYaml } from 'yaml';

const ROOT = resolve(__dirname, '../..');
const SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const JWT_SECRET = 'bench-secret-0123456789-abcdefghijklmnop';
const MEDIATOR = 'bench';

interface Figures {
  name: string;
  rps: number;
  mean: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  deliveries?: Deliveries;
}

interface Deliveries {
  count: number;
  p50: number;
  p99: number;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${code ?? signal}):\n${output}\n`);
      process.exit(1);
    }
  });
  return child;
}

async function waitUntilLive(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${baseUrl} did not come up within 60 s`);
}

async function call(baseUrl: string, token: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

const tokenFor = (sub: string, scope: string, colleague?: string) =>
  jwt.sign({ sub, scope, ...(colleague ? { mediator: MEDIATOR, colleague } : {}) }, JWT_SECRET, {
    algorithm: 'HS256',
    expiresIn: '1h',
  });

/** A recipient that acks every `message` and records how long each took since `created_at`. */
class Recipient {
  private latencies: number[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('message', (envelope: { created_at: string }, ack: (r: unknown) => void) => {
      this.latencies.push(Date.now() - Date.parse(envelope.created_at));
      ack({ ok: true });
    });
  }

  static connect(baseUrl: string, auth: Record<string, string>): Promise<Recipient> {
    const socket = io(baseUrl, { path: '/ws', auth, transports: ['websocket'] });
    return new Promise((done, fail) => {
      socket.once('connect', () => done(new Recipient(socket)));
      socket.once('connect_error', fail);
    });
  }

  reset(): void {
    this.latencies = [];
  }

  figures(): Deliveries {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
  }

  close(): void {
    this.socket.close();
  }
}

async function measure(
  name: string,
  options: {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
  },
  recipient?: Recipient,
): Promise<Figures> {
  const run = (duration: number) => autocannon({ ...options, connections: CONNECTIONS, duration });
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  // Let the warm-up's deliveries land before counting this run's.
  if (recipient) await new Promise((r) => setTimeout(r, 1000));
  recipient?.reset();
  const result = await run(SECONDS);
  // Deliveries still in flight when autocannon stops belong to this run.
  if (recipient) await new Promise((r) => setTimeout(r, 1000));
  const figures: Figures = {
    name,
    rps: result.requests.average,
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    deliveries: recipient?.figures(),
  };
  process.stderr.write(`  ${name}: ${figures.rps.toFixed(0)} req/s\n`);
  return figures;
}

/** autocannon's latencies are whole milliseconds: a ratio to a 0 ms baseline says nothing. */
const ratio = (service: number, base: number) =>
  base >= 1 ? `${(service / base).toFixed(1)}×` : `— (baseline < 1 ms)`;

function table(rows: Figures[], ratios: [string, Figures, Figures][], load: number[]): string {
  const cpu = cpus()[0]?.model ?? 'cpu';
  const lines = [
    `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ` +
      `load average at start ${load.map((l) => l.toFixed(2)).join(' ')}`,
    `autocannon: ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up`,
    '',
    '| run | req/s | mean ms | p50 ms | p99 ms | 2xx | non-2xx + errors | deliveries | delivery p50 / p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows
      .map((r) =>
        [
          r.name,
          r.rps.toFixed(0),
          r.mean.toFixed(2),
          r.p50,
          r.p99,
          r.ok,
          r.failed,
          r.deliveries ? r.deliveries.count : '—',
          r.deliveries ? `${r.deliveries.p50} / ${r.deliveries.p99}` : '—',
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
    '',
    '| service / baseline | req/s | mean latency | p50 | p99 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...ratios.map(
      ([name, service, base]) =>
        `| ${name} | ${(service.rps / base.rps).toFixed(3)} | ${(service.mean / base.mean).toFixed(1)}× | ` +
        `${ratio(service.p50, base.p50)} | ${ratio(service.p99, base.p99)} |`,
    ),
  ];
  return lines.join('\n');
}

let stopping = false;

async function main(): Promise<void> {
  if (!process.env.BENCH_SKIP_BUILD) {
    process.stderr.write('building the service (npm run build)…\n');
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const load = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'mediator-bench-'));
  const children: ChildProcess[] = [];
  const recipients: Recipient[] = [];
  const stop = () => {
    stopping = true;
    recipients.forEach((r) => r.close());
    children.forEach((c) => c.kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => (stop(), process.exit(130)));

  try {
    const config = parseYaml(readFileSync(join(ROOT, 'config/config.yaml'), 'utf8'));
    config.security.rate_limit_requests = 1_000_000_000;
    writeFileSync(join(dir, 'config.yaml'), toYaml(config));

    const [port, metricsPort, basePort] = [await freePort(), await freePort(), await freePort()];
    const service = `http://127.0.0.1:${port}`;
    const baseline = `http://127.0.0.1:${basePort}`;
    children.push(
      start('service', ['dist/apps/mediator-service/src/main.js'], {
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        SQLITE_PATH: join(dir, 'bench.sqlite'),
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        CONFIG_FILE: join(dir, 'config.yaml'),
      }),
      start(
        'baseline',
        ['-r', require.resolve('ts-node/register/transpile-only'), 'test/bench/baseline-server.ts'],
        { PORT: String(basePort) },
      ),
    );
    await Promise.all([waitUntilLive(service), waitUntilLive(baseline)]);

    const admin = tokenFor('bench-admin', 'admin');
    await call(service, admin, '/api/v1/mediators', { name: MEDIATOR });
    for (const id of ['sender', 'recipient'])
      await call(service, admin, `/api/v1/mediators/${MEDIATOR}/colleagues`, {
        id,
        name: id,
        type: 'message',
      });
    const sender = tokenFor('sender', 'messages:send', 'sender');
    const recipientToken = tokenFor('recipient', 'messages:read', 'recipient');
    const serviceRecipient = await Recipient.connect(service, { token: recipientToken });
    const baseRecipient = await Recipient.connect(baseline, { colleague: 'recipient' });
    recipients.push(serviceRecipient, baseRecipient);

    const post = (headers: Record<string, string> = {}) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        sender_id: 'sender',
        recipient_id: 'recipient',
        message: { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] },
      }),
    });
    process.stderr.write('running…\n');
    const sendService = await measure(
      'service POST /messages (recipient on Socket.IO)',
      {
        url: `${service}/api/v1/mediators/${MEDIATOR}/messages`,
        ...post({ authorization: `Bearer ${sender}` }),
      },
      serviceRecipient,
    );
    const sendBare = await measure('baseline POST (Fastify, JSON → 202)', {
      url: `${baseline}/api/v1/mediators/${MEDIATOR}/messages`,
      ...post(),
    });
    const sendRelay = await measure(
      'baseline POST + Socket.IO relay',
      { url: `${baseline}/relay/${MEDIATOR}/messages`, ...post() },
      baseRecipient,
    );
    const liveService = await measure('service GET /health/live', {
      url: `${service}/health/live`,
    });
    const liveBare = await measure('baseline GET /health/live', { url: `${baseline}/health/live` });

    console.log(
      table(
        [sendService, sendBare, sendRelay, liveService, liveBare],
        [
          ['POST messages vs bare Fastify', sendService, sendBare],
          ['POST messages vs Fastify + Socket.IO relay', sendService, sendRelay],
          ['GET /health/live vs bare Fastify', liveService, liveBare],
        ],
        load,
      ),
    );
  } finally {
    stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
