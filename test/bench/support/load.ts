/**
 * Load generators and the arithmetic of a comparison: autocannon for HTTP, a closed loop of
 * Socket.IO clients for events, each run reporting throughput, latency and the CPU the measured
 * process spent per request; and rounds that alternate service and baseline, taking medians.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { io, type Socket } from 'socket.io-client';
import type { Measured } from './processes';

export const QUICK = process.env.BENCH_QUICK === '1';
export const SECONDS = Number(process.env.BENCH_DURATION ?? (QUICK ? 2 : 10));
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? (QUICK ? 1 : 3));
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Figures {
  name: string;
  connections: number;
  seconds: number;
  rps: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
  /** CPU (user + system) the measured process spent per completed request, in microseconds. */
  cpuUsPerRequest: number;
  deliveries?: Deliveries;
  /** Fixed-rate runs: the rate asked for (requests/s over all connections). */
  targetRps?: number;
}

export interface Deliveries {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP request shape for autocannon. */
export interface HttpTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** A recipient that acks every `message` and records its latency since the envelope's `created_at`. */
export class Recipient {
  private latencies: number[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('message', (envelope: { created_at: string }, ack?: (r: unknown) => void) => {
      this.latencies.push(Date.now() - Date.parse(envelope.created_at));
      ack?.({ ok: true });
    });
  }

  static connect(baseUrl: string, auth: Record<string, string>): Promise<Recipient> {
    const socket = io(baseUrl, {
      path: '/ws',
      auth,
      transports: ['websocket'],
      reconnection: false,
    });
    return new Promise((done, fail) => {
      socket.once('connect', () => done(new Recipient(socket)));
      socket.once('connect_error', fail);
    });
  }

  reset(): void {
    this.latencies = [];
  }

  samples(): number[] {
    return this.latencies;
  }

  close(): void {
    this.socket.close();
  }
}

export function deliveryFigures(recipients: Recipient[]): Deliveries {
  const sorted = recipients.flatMap((r) => r.samples()).sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) };
}

interface RunOptions {
  connections?: number;
  seconds?: number;
  /** Fixed rate over all connections (autocannon `overallRate`). */
  rate?: number;
  recipients?: Recipient[];
}

/** Settles deliveries of the previous run, runs, waits for this run's deliveries, then counts. */
async function around<T>(
  process: Measured,
  recipients: Recipient[],
  run: () => Promise<T>,
): Promise<{ result: T; cpu: number; deliveries?: Deliveries }> {
  if (recipients.length) await sleep(500);
  recipients.forEach((r) => r.reset());
  const cpu0 = process.cpuSeconds();
  const result = await run();
  const cpu = process.cpuSeconds() - cpu0;
  if (recipients.length) await sleep(1000);
  return { result, cpu, deliveries: recipients.length ? deliveryFigures(recipients) : undefined };
}

export async function http(
  name: string,
  process: Measured,
  target: HttpTarget,
  options: RunOptions = {},
): Promise<Figures> {
  const connections = options.connections ?? CONNECTIONS;
  const seconds = options.seconds ?? SECONDS;
  const { result, cpu, deliveries } = await around(process, options.recipients ?? [], () =>
    autocannon({
      ...target,
      connections,
      duration: seconds,
      ...(options.rate ? { overallRate: options.rate } : {}),
    }),
  );
  const ok = result['2xx'];
  return {
    name,
    connections,
    seconds,
    rps: result.requests.average,
    meanMs: result.latency.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    cpuUsPerRequest: ok > 0 ? (cpu * 1e6) / ok : NaN,
    deliveries,
    targetRps: options.rate,
  };
}

/** What a Socket.IO sender emits, and with which auth it connects. */
export interface SocketTarget {
  url: string;
  auth: Record<string, string>;
  event: string;
  payload: unknown;
}

/**
 * `connections` Socket.IO clients, each emitting `event` and waiting for its ack before the next
 * (a closed loop, as autocannon's connections are); latency per event in milliseconds.
 */
export async function socket(
  name: string,
  process: Measured,
  target: SocketTarget,
  options: RunOptions = {},
): Promise<Figures> {
  const connections = options.connections ?? CONNECTIONS;
  const seconds = options.seconds ?? SECONDS;
  const senders = await Promise.all(
    Array.from({ length: connections }, () => connectSocket(target.url, target.auth)),
  );
  try {
    const { result, cpu, deliveries } = await around(process, options.recipients ?? [], () =>
      closedLoop(senders, target, seconds),
    );
    const sorted = result.latencies.sort((a, b) => a - b);
    return {
      name,
      connections,
      seconds,
      rps: result.latencies.length / seconds,
      meanMs: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      ok: sorted.length,
      failed: result.failed,
      cpuUsPerRequest: sorted.length > 0 ? (cpu * 1e6) / sorted.length : NaN,
      deliveries,
    };
  } finally {
    senders.forEach((s) => s.close());
  }
}

export function connectSocket(url: string, auth: Record<string, string>): Promise<Socket> {
  const s = io(url, { path: '/ws', auth, transports: ['websocket'], reconnection: false });
  return new Promise((done, fail) => {
    s.once('connect', () => done(s));
    s.once('connect_error', (e) => (s.close(), fail(e)));
  });
}

async function closedLoop(
  senders: Socket[],
  target: SocketTarget,
  seconds: number,
): Promise<{ latencies: number[]; failed: number }> {
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  await Promise.all(
    senders.map(async (s) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const ack = (await s.timeout(10_000).emitWithAck(target.event, target.payload)) as {
            ok?: boolean;
          };
          if (ack?.ok === false) failed++;
          else latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { latencies, failed };
}

/** The run whose throughput is the median of `runs`. */
export function medianRun(runs: Figures[]): Figures {
  const m = median(runs.map((x) => x.rps));
  return runs.reduce((best, x) => (Math.abs(x.rps - m) < Math.abs(best.rps - m) ? x : best));
}

export interface Comparison {
  name: string;
  goal?: number;
  service: Figures;
  baseline: Figures;
  /** Median service req/s over median baseline req/s. */
  ratio: number;
  rounds: { service: number; baseline: number }[];
}

/**
 * Service and baseline measured in alternating rounds (service, baseline, service, …) after one
 * warm-up run of each; the figures kept are the round with the median throughput of each side.
 */
export async function compare(
  name: string,
  goal: number | undefined,
  service: () => Promise<Figures>,
  baseline: () => Promise<Figures>,
  warmup: { service: () => Promise<unknown>; baseline: () => Promise<unknown> },
): Promise<Comparison> {
  process.stderr.write(`  ${name}: warm-up…\n`);
  await warmup.service();
  await warmup.baseline();
  const s: Figures[] = [];
  const b: Figures[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    s.push(await service());
    b.push(await baseline());
    process.stderr.write(
      `  ${name}: round ${round}: service ${s[s.length - 1].rps.toFixed(0)}/s, ` +
        `baseline ${b[b.length - 1].rps.toFixed(0)}/s\n`,
    );
  }
  const ratio = median(s.map((x) => x.rps)) / median(b.map((x) => x.rps));
  return {
    name,
    goal,
    service: medianRun(s),
    baseline: medianRun(b),
    ratio,
    rounds: s.map((x, i) => ({ service: x.rps, baseline: b[i].rps })),
  };
}
