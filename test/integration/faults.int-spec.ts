// Faults on the real servers (issue 9, goal 5): three instances of the BUILT service share
// MariaDB, Redis and Kafka, and one of them is killed, or a server goes away, in the middle of a
// load. MariaDB and Redis are reached through a TCP proxy that the test cuts (as a server that
// stops: connections reset, new ones refused) because they are shared with other suites; Kafka is
// really stopped and started with deploy/local/{down,up}.sh kafka (with the state dir of the
// checkout that started it). Run `npm run build` first and `eval "$(deploy/local/up.sh)"`; a
// missing server fails the suite.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Socket } from 'socket.io-client';
import { ROOT, type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, sleep } from '../support/ws';
import { call, crash, eventually, type Reply } from './support/cluster';
import { type FaultProxy, faultProxy } from './support/fault-proxy';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  kcatRead,
  type Topics,
} from './support/kafka-client';
import {
  type KafkaServer,
  kafkaServer,
  type MysqlServer,
  mysqlServer,
  type RedisServer,
  redisServer,
} from './support/servers';

jest.setTimeout(240_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_faults_${RUN}`;
/** Messages of the kill -9 load (the issue asks for 10,000 through three instances). */
const LOAD_MESSAGES = Number(process.env.FAULTS_MESSAGES ?? 10_000);
const LOAD_CONCURRENCY = 48;
const REDIS_OUTAGE_MS = 30_000;
const MYSQL_OUTAGE_MS = 10_000;
/** The 60 s; shorter (FAULTS_KAFKA_OUTAGE_MS) on a machine whose broker others share. */
const KAFKA_OUTAGE_MS = Number(process.env.FAULTS_KAFKA_OUTAGE_MS ?? 60_000);

const admin = adminToken(`faults-admin-${RUN}`);
const mediator = `faults-${RUN}`;

const script = (name: string, env: Record<string, string>, ...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(
      join(ROOT, 'deploy', 'local', name),
      args,
      { timeout: 300_000, env: { ...process.env, ...env } },
      (error, _out, stderr) =>
        error
          ? reject(new Error(`${name} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
          : resolve(),
    ),
  );

/**
 * The deploy/local state dir of the broker listening on `port` (from its -Dkafka.logs.dir), so
 * down.sh stops it and up.sh starts it again with its data, whichever checkout started it.
 */
function brokerStateDir(port: number): string {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on the Kafka port ${port}: ${out}`);
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const logs = cmdline.find((arg) => arg.startsWith('-Dkafka.logs.dir='))?.split('=')[1];
  if (!logs) throw new Error(`the Kafka broker (pid ${pid}) was not started by deploy/local/up.sh`);
  return dirname(logs);
}

/** A fetch that never throws: a refused or reset connection is status 0. */
async function attempt(base: string, method: string, path: string, body?: unknown): Promise<Reply> {
  try {
    return await call(base, method, path, admin, body);
  } catch {
    return { status: 0, headers: new Headers(), body: undefined };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Response): Promise<any> => r.json();

async function portOpen(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code !== 'ECONNREFUSED';
  }
}

interface Receiver {
  id: string;
  socket: Socket;
  /** Ids of every delivery it acked. */
  acked: Set<string>;
}

describe('faults on the real servers (3 instances on MariaDB + Redis + Kafka)', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let kafka: KafkaServer;
  let mysqlProxy: FaultProxy;
  let redisProxy: FaultProxy;
  let topics: Topics;
  let A: RunningService;
  let B: RunningService;
  let C: RunningService;
  const started: RunningService[] = [];
  const sockets: Socket[] = [];

  async function instance(config: Record<string, unknown> = {}): Promise<RunningService> {
    const service = await startService({
      env: {
        MYSQL_HOST: mysqlProxy.host,
        MYSQL_PORT: String(mysqlProxy.port),
        MYSQL_USERNAME: mysql.username,
        MYSQL_PASSWORD: mysql.password,
        MYSQL_DATABASE: DATABASE,
        REDIS_HOST: redisProxy.host,
        REDIS_PORT: String(redisProxy.port),
        KAFKA_BROKERS: kafka.brokers.join(','),
        MONGODB_URI: '',
      },
      config: {
        ...kafkaConfig(topics),
        database: { redis: { key_prefix: `faults-${RUN}:` } },
        ...config,
      },
    });
    started.push(service);
    return service;
  }

  /** A colleague on a socket of `on` that acks every delivery. */
  async function receiver(id: string, on: RunningService, acked = new Set<string>()) {
    const socket = await connected(on.url, colleagueToken(mediator, id));
    sockets.push(socket);
    socket.on('message', (envelope: { id: string }, ack?: (answer: unknown) => void) => {
      acked.add(envelope.id);
      ack?.({ ok: true });
    });
    return { id, socket, acked } satisfies Receiver;
  }

  async function register(id: string) {
    const res = await call(A.url, 'POST', `/mediators/${mediator}/colleagues`, admin, {
      id,
      name: id,
      type: 'message',
    });
    expect(res.status).toBe(201);
  }

  const send = (via: RunningService, recipient: string) =>
    attempt(via.url, 'POST', `/mediators/${mediator}/messages`, {
      sender_id: 'alice',
      recipient_id: recipient,
      message: { at: Date.now() },
    });

  beforeAll(async () => {
    [mysql, redis, kafka] = await Promise.all([mysqlServer(), redisServer(), kafkaServer()]);
    const db = await createConnection({
      host: mysql.host,
      port: mysql.port,
      user: mysql.username,
      password: mysql.password,
    });
    await db.query(`CREATE DATABASE \`${DATABASE}\``);
    await db.end();
    mysqlProxy = await faultProxy(mysql.host, mysql.port);
    redisProxy = await faultProxy(redis.host, redis.port);
    topics = await createTopics(kafka.brokers, 'faults');

    A = await instance();
    [B, C] = await Promise.all([instance(), instance()]);
    expect((await call(A.url, 'POST', '/mediators', admin, { name: mediator })).status).toBe(201);
    for (const id of ['alice', 'carol', 'r0', 'r1', 'r2', 'r3', 'r4', 'r5']) await register(id);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(started.map((s) => s.stop()));
    await mysqlProxy?.close();
    await redisProxy?.close();
    if (mysql) {
      const db = await createConnection({
        host: mysql.host,
        port: mysql.port,
        user: mysql.username,
        password: mysql.password,
      });
      await db.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      await db.end();
    }
    if (topics) await deleteTopics(kafka.brokers, topics).catch(() => undefined);
  });

  it('Redis stopped for 30 s mid-load: every send answers 202, readiness is degraded, cross-instance delivery resumes by itself', async () => {
    const carol = await receiver('carol', C);
    const accepted: string[] = [];
    const failures: number[] = [];
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop; i += 1) {
        const res = await send(i % 2 === 0 ? A : B, 'carol');
        if (res.status === 202) accepted.push(res.body.id);
        else failures.push(res.status);
        await sleep(20);
      }
    })();
    try {
      await eventually(
        async () => carol.acked.size,
        (n) => n >= 20,
      );
      await redisProxy.cut();
      try {
        const cutAt = Date.now();
        const ready = await eventually(
          () =>
            fetch(`${A.url}/health/ready`).then(async (r) => ({ s: r.status, b: await json(r) })),
          (r) => r.b.details?.redis?.status === 'degraded',
        );
        expect(ready.s).toBe(200);
        expect(ready.b.status).toBe('degraded');
        // /health names the component that is down (CONTRACT §4).
        const health = await fetch(`${B.url}/health`);
        expect(health.status).toBe(503);
        expect((await json(health)).error.redis.status).toBe('down');
        await sleep(Math.max(0, REDIS_OUTAGE_MS - (Date.now() - cutAt)));
      } finally {
        await redisProxy.restore();
      }
      // Without reconnecting: a message sent through A after the outage reaches carol on C.
      await eventually(
        () => fetch(`${A.url}/health/ready`).then(async (r) => (await json(r)).status),
        (s) => s === 'ok',
        30_000,
      );
      const after = await send(A, 'carol');
      expect(after.status).toBe(202);
      await eventually(
        async () => carol.acked.has(after.body.id),
        (yes) => yes,
        30_000,
      );
    } finally {
      stop = true;
      await load;
    }
    expect(failures).toEqual([]);
    // Each 202 is stored: delivered already, or waiting in carol's inbox.
    const stored = await inboxStatuses(A, 'carol');
    expect(accepted.filter((id) => !stored.has(id))).toEqual([]);
    process.stdout.write(
      `redis outage: ${accepted.length} sends accepted, ${carol.acked.size} delivered live\n`,
    );
  });

  it('MariaDB restarted: requests answer 503 SERVICE_UNAVAILABLE meanwhile, never 500, and recover without a restart', async () => {
    const statuses = new Map<number, number>();
    const bad: Reply[] = [];
    const probe = async (via: RunningService) => {
      const replies = await Promise.all([
        send(via, 'r0'),
        attempt(via.url, 'GET', `/mediators/${mediator}`),
        attempt(via.url, 'GET', `/mediators/${mediator}/colleagues/r0/messages?limit=5`),
        attempt(via.url, 'POST', `/mediators/${mediator}/colleagues`, {
          id: `m-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
          name: 'during',
          type: 'message',
        }),
      ]);
      for (const r of replies) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500 && r.body?.code !== 'SERVICE_UNAVAILABLE') bad.push(r);
        if (r.status === 0 || (r.status >= 500 && r.status !== 503)) bad.push(r);
      }
    };
    await mysqlProxy.cut();
    try {
      const until = Date.now() + MYSQL_OUTAGE_MS;
      while (Date.now() < until) {
        await Promise.all([A, B, C].map(probe));
        await sleep(200);
      }
    } finally {
      await mysqlProxy.restore();
    }
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(bad).toEqual([]);
    for (const via of [A, B, C]) {
      await eventually(
        async () => (await send(via, 'r0')).status,
        (s) => s === 202,
        30_000,
      );
      expect((await attempt(via.url, 'GET', `/mediators/${mediator}`)).status).toBe(200);
    }
    process.stdout.write(`mariadb outage: statuses ${JSON.stringify([...statuses])}\n`);
  });

  it('Kafka stopped: no lifecycle event lost, all on mediator-events within 10 s of the broker coming back; commands resume', async () => {
    const brokerPort = Number(kafka.brokers[0].split(':')[1] ?? 9092);
    const since = Date.now();
    const sent: string[] = [];
    const mediators: string[] = [];
    const state = { MEDIATOR_LOCAL_STATE: brokerStateDir(brokerPort) };
    await script('down.sh', state, 'kafka');
    let backAt = 0;
    let restartFailure: unknown;
    try {
      expect(await portOpen(brokerPort)).toBe(false);
      const until = Date.now() + KAFKA_OUTAGE_MS;
      for (let i = 0; Date.now() < until; i += 1) {
        const via = [A, B, C][i % 3];
        const res = await send(via, 'r1');
        expect(res.status).toBe(202);
        sent.push(res.body.id);
        if (i % 10 === 0) {
          const name = `${mediator}-k${i}`;
          expect((await attempt(via.url, 'POST', '/mediators', { name })).status).toBe(201);
          mediators.push(name);
        }
        await sleep(100);
      }
    } finally {
      restartFailure = await script('up.sh', state, 'kafka').then(
        () => undefined,
        (error: unknown) => error,
      );
      backAt = Date.now();
    }
    // On a shared machine another checkout's up.sh may start a broker of its own (other data,
    // without this run's topics) while ours is down: say so rather than fail obscurely.
    const now = (await portOpen(brokerPort)) ? brokerStateDir(brokerPort) : undefined;
    if (now !== state.MEDIATOR_LOCAL_STATE)
      throw new Error(
        now
          ? `another deploy/local (${now}) started a broker during the outage; run again`
          : `the broker did not come back: ${String(restartFailure)}`,
      );
    const missing = await eventually(
      async () => {
        const records = await kcatRead(kafka.brokers[0], topics.events, since).catch(() => []);
        const seen = new Set(
          records.map((r) => {
            const event = JSON.parse(r.value) as {
              event: string;
              mediator: string;
              data: { id?: string };
            };
            return event.event === 'message_sent'
              ? event.data.id
              : `${event.event}:${event.mediator}`;
          }),
        );
        return [
          ...sent.filter((id) => !seen.has(id)),
          ...mediators.filter((name) => !seen.has(`mediator_created:${name}`)),
        ];
      },
      (left) => left.length === 0,
      10_000,
    );
    expect(missing).toEqual([]);
    const arrivedMs = Date.now() - backAt;
    const commands = new CommandClient(kafka.brokers, topics, admin);
    try {
      await commands.start(60_000);
      const reply = await commands.command('get_mediator', { mediator });
      expect(reply.value).toMatchObject({ ok: true, result: { name: mediator } });
    } finally {
      await commands.stop();
    }
    process.stdout.write(
      `kafka outage ${KAFKA_OUTAGE_MS} ms: ${sent.length} message_sent + ${mediators.length} ` +
        `mediator_created events, all on ${topics.events} ${arrivedMs} ms after the broker was back\n`,
    );
  });

  it(`kill -9 of one instance during a load of ${LOAD_MESSAGES} messages: every 202 is stored and delivered or in its inbox; deliveries in flight are redelivered`, async () => {
    const ids = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
    // Start from empty inboxes: earlier tests left messages to r0 and r1.
    await drainInbox(A, 'r0');
    await drainInbox(A, 'r1');
    const homes = [A, A, B, B, C, C];
    const receivers = await Promise.all(ids.map((id, i) => receiver(id, homes[i])));
    // The colleagues of B reconnect through A and C as soon as it is gone, as a client would.
    const failovers = [2, 3].map(
      (i) =>
        new Promise<void>((resolve, reject) =>
          receivers[i].socket.once('disconnect', () =>
            receiver(ids[i], i === 2 ? A : C, receivers[i].acked).then(() => resolve(), reject),
          ),
        ),
    );
    const accepted = new Map<string, string>();
    let next = 0;
    let crashed = false;
    const startedAt = Date.now();
    const worker = async () => {
      for (;;) {
        const n = next++;
        if (n >= LOAD_MESSAGES) return;
        if (!crashed && n >= LOAD_MESSAGES / 3) {
          crashed = true;
          crash(B);
        }
        const pool = crashed ? [A, C] : [A, B, C];
        const recipient = ids[n % ids.length];
        const res = await send(pool[n % pool.length], recipient);
        if (res.status === 202) accepted.set(res.body.id, recipient);
      }
    };
    await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
    const loadMs = Date.now() - startedAt;

    await Promise.all(failovers);
    expect(accepted.size).toBeGreaterThan(LOAD_MESSAGES * 0.9);

    // Every 202 is stored; it was delivered (acked) or it is still in its colleague's inbox.
    const inboxes = new Map<string, Map<string, string>>();
    for (const id of ids) inboxes.set(id, await inboxStatuses(A, id));
    const lost = [...accepted].filter(([id, to]) => !inboxes.get(to)!.has(id));
    expect(lost).toEqual([]);

    // Deliveries in flight when B died were not acked: B stored some and died before pushing
    // them, or pushed them and died before the colleague's ack came back through it. They are
    // sent again when the colleague reconnects (CONTRACT §5), as every client does here.
    const unacked = async () => {
      const left: string[] = [];
      for (const id of ids)
        for (const [m, status] of await inboxStatuses(A, id))
          if (status !== 'acked') left.push(`${id}:${m}:${status}`);
      return left;
    };
    await sleep(2000);
    const inFlight = (await unacked()).length;
    for (const s of sockets) s.close();
    await Promise.all(ids.map((id, i) => receiver(id, i % 2 === 0 ? A : C, receivers[i].acked)));
    await eventually(unacked, (left) => left.length === 0, 30_000);
    const delivered = receivers.reduce((n, r) => n + r.acked.size, 0);
    process.stdout.write(
      `kill -9: ${accepted.size}/${LOAD_MESSAGES} accepted in ${loadMs} ms ` +
        `(${Math.round((accepted.size * 1000) / loadMs)}/s), none lost; ${delivered} deliveries acked; ` +
        `${inFlight} un-acked after the crash, all acked after reconnecting\n`,
    );
  });
});

/** Every message of a colleague's inbox, id → status, through the API. */
async function inboxStatuses(via: RunningService, colleague: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const res = await call(
      via.url,
      'GET',
      `/mediators/${mediator}/colleagues/${colleague}/messages?limit=500` +
        (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''),
      admin,
    );
    expect(res.status).toBe(200);
    for (const e of res.body.items) found.set(e.id, e.status);
    cursor = res.body.next_cursor ?? undefined;
  } while (cursor);
  return found;
}

/** Acks everything in a colleague's inbox (what earlier tests left there). */
async function drainInbox(via: RunningService, colleague: string): Promise<void> {
  for (const [id, status] of await inboxStatuses(via, colleague))
    if (status !== 'acked')
      await call(
        via.url,
        'POST',
        `/mediators/${mediator}/colleagues/${colleague}/messages/${id}/ack`,
        admin,
      );
}

describe('rate limits while Redis is away', () => {
  let proxy: FaultProxy;
  let service: RunningService;

  beforeAll(async () => {
    const redis = await redisServer();
    proxy = await faultProxy(redis.host, redis.port);
    service = await startService({
      env: {
        REDIS_HOST: proxy.host,
        REDIS_PORT: String(proxy.port),
        MYSQL_HOST: '',
        KAFKA_BROKERS: '',
      },
      config: {
        database: { redis: { key_prefix: `faults-rl-${RUN}:` } },
        security: { rate_limit_requests: 5, rate_limit_window: '1m' },
      },
    });
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
  });

  it('fall back to per-instance counters: the budget still holds', async () => {
    await proxy.cut();
    try {
      await eventually(
        () =>
          fetch(`${service.url}/health/ready`).then(
            async (r) => (await json(r)).details?.redis?.status,
          ),
        (s) => s === 'degraded',
      );
      const bearer = adminToken(`faults-rl-${RUN}`);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1)
        statuses.push((await call(service.url, 'GET', '/mediators', bearer)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    } finally {
      await proxy.restore();
    }
  });
});
