// Several instances behave as one (issue 3, DESIGN rule 8): three processes of the BUILT service
// share MariaDB, Redis and Kafka, as behind a load balancer. Run `npm run build` first; the
// servers come from `eval "$(deploy/local/up.sh)"` and a missing one fails the suite.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import type { Socket } from 'socket.io-client';
import {
  freePort,
  JWT_SECRET,
  MAIN,
  ROOT,
  type RunningService,
  startService,
  tempDir,
  writeConfig,
} from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';
import { connected, emitAck, record, sleep, waitFor } from '../support/ws';
import { call, crash, eventually } from './support/cluster';
import {
  kafkaServer,
  type KafkaServer,
  mysqlServer,
  type MysqlServer,
  redisServer,
  type RedisServer,
} from './support/servers';

jest.setTimeout(60_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_mi_${RUN}`;
const TOPICS = {
  commands: `mi-${RUN}-commands`,
  responses: `mi-${RUN}-responses`,
  events: `mi-${RUN}-events`,
};
const PARTITIONS = 3;
/** Presence of a crashed instance lapses after 3 missed 5 s heartbeats (libs/realtime/presence.ts). */
const PRESENCE_TTL_MS = 15_000;

/** GET /health: its status and what it says about the `redis` component (terminus format). */
async function redisHealth(base: string): Promise<{ status: number; redis: unknown }> {
  const res = await fetch(`${base}/health`);
  const body = (await res.json()) as { details?: Record<string, { status?: string }> };
  return { status: res.status, redis: body.details?.redis?.status };
}

/** Sum of `mediator_kafka_commands_total` over its labels, from an instance's /metrics. */
async function kafkaCommandsHandled(service: RunningService): Promise<number> {
  const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('mediator_kafka_commands_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('several instances behind one load balancer (MariaDB, Redis, Kafka shared)', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let kafkaServerInfo: KafkaServer;
  let kafka: Kafka;
  let A: RunningService;
  let B: RunningService;
  let C: RunningService;
  const started: RunningService[] = [];
  const sockets: Socket[] = [];
  const admin = adminToken(`mi-admin-${RUN}`);
  const mediator = `mi-${RUN}`;

  function env(): Record<string, string> {
    return {
      MYSQL_HOST: mysql.host,
      MYSQL_PORT: String(mysql.port),
      MYSQL_USERNAME: mysql.username,
      MYSQL_PASSWORD: mysql.password,
      MYSQL_DATABASE: DATABASE,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      KAFKA_BROKERS: kafkaServerInfo.brokers.join(','),
      // Documents stay in MariaDB here: this suite is about fan-out, not the document store.
      MONGODB_URI: '',
    };
  }

  /** An instance of the shared cluster; `config` is deep-merged over config/config.yaml. */
  async function instance(config: Record<string, unknown> = {}): Promise<RunningService> {
    const service = await startService({
      env: env(),
      config: {
        message_queue: { group_id: `mi-${RUN}`, topics: TOPICS },
        // Keys and channels of its own, so suites running beside this one share Redis safely.
        database: { redis: { key_prefix: `mi-${RUN}:` } },
        ...config,
      },
    });
    started.push(service);
    return service;
  }

  async function socket(on: RunningService, bearer: string): Promise<Socket> {
    const s = await connected(on.url, bearer);
    sockets.push(s);
    return s;
  }

  const online = async (on: RunningService, id: string): Promise<boolean> =>
    (await call(on.url, 'GET', `/mediators/${mediator}/colleagues/${id}`, admin)).body?.online;

  beforeAll(async () => {
    [mysql, redis, kafkaServerInfo] = await Promise.all([
      mysqlServer(),
      redisServer(),
      kafkaServer(),
    ]);

    const db = await createConnection({
      host: mysql.host,
      port: mysql.port,
      user: mysql.username,
      password: mysql.password,
    });
    await db.query(`CREATE DATABASE \`${DATABASE}\``);
    await db.end();

    kafka = new Kafka({
      clientId: `mi-${RUN}`,
      brokers: kafkaServerInfo.brokers,
      logLevel: logLevel.NOTHING,
    });
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({
      waitForLeaders: true,
      topics: Object.values(TOPICS).map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
      })),
    });
    await kafkaAdmin.disconnect();

    // The first instance runs the migrations of the fresh database; the others join it.
    A = await instance();
    [B, C] = await Promise.all([instance(), instance()]);

    expect((await call(A.url, 'POST', '/mediators', admin, { name: mediator })).status).toBe(201);
    for (const id of ['alice', 'bob', 'carol', 'dave']) {
      const reply = await call(A.url, 'POST', `/mediators/${mediator}/colleagues`, admin, {
        id,
        name: id,
        type: 'message',
      });
      expect(reply.status).toBe(201);
    }
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(started.map((s) => s.stop()));
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
    if (kafka) {
      const kafkaAdmin = kafka.admin();
      await kafkaAdmin.connect();
      await kafkaAdmin.deleteTopics({ topics: Object.values(TOPICS) }).catch(() => undefined);
      await kafkaAdmin.disconnect();
    }
  });

  it('every instance is healthy and reports Redis up', async () => {
    for (const service of [A, B, C]) {
      expect(await redisHealth(service.url)).toEqual({
        status: 200,
        redis: 'up',
      });
    }
  });

  it('a colleague connected to B is online when asked through A, B and C, and offline after it leaves', async () => {
    const bob = await socket(B, colleagueToken(mediator, 'bob'));
    for (const service of [A, B, C])
      await eventually(
        () => online(service, 'bob'),
        (v) => v === true,
      );

    const page = await call(C.url, 'GET', `/mediators/${mediator}/colleagues`, admin);
    const byId = Object.fromEntries(
      page.body.items.map((c: { id: string; online: boolean }) => [c.id, c.online]),
    );
    expect(byId).toEqual({ alice: false, bob: true, carol: false, dave: false });

    bob.close();
    for (const service of [A, B, C])
      await eventually(
        () => online(service, 'bob'),
        (v) => v === false,
      );
  });

  it('a message sent through A reaches the recipient on B, and its ack is recorded', async () => {
    const bob = await socket(B, colleagueToken(mediator, 'bob'));
    await eventually(
      () => online(A, 'bob'),
      (v) => v === true,
    );

    const received = new Promise<{ id: string; payload: unknown }>((resolve) =>
      bob.once(
        'message',
        (envelope: { id: string; payload: unknown }, ack: (r: unknown) => void) => {
          ack({ ok: true });
          resolve(envelope);
        },
      ),
    );
    const sent = await call(
      A.url,
      'POST',
      `/mediators/${mediator}/messages`,
      colleagueToken(mediator, 'alice'),
      {
        sender_id: 'alice',
        recipient_id: 'bob',
        message: { hello: 'from A' },
      },
    );
    expect(sent.status).toBe(202);
    const envelope = await received;
    expect({ id: envelope.id, payload: envelope.payload }).toEqual({
      id: sent.body.id,
      payload: { hello: 'from A' },
    });

    // The ack travelled back from B to A (the instance that pushed) through the Redis adapter.
    const status = await eventually(
      () => call(C.url, 'GET', `/mediators/${mediator}/messages/${sent.body.id}`, admin),
      (r) => r.body?.status === 'acked',
    );
    expect(status.body.recipients).toEqual([
      expect.objectContaining({ recipient_id: 'bob', status: 'acked' }),
    ]);
    bob.close();
  });

  it('a Socket.IO send on C reaches the recipient on A', async () => {
    const carol = await socket(C, colleagueToken(mediator, 'carol'));
    const alice = await socket(A, colleagueToken(mediator, 'alice'));
    await eventually(
      () => online(C, 'alice'),
      (v) => v === true,
    );

    const received = waitFor<{ sender_id: string; payload: unknown }>(
      alice,
      'message',
      (e) => e.sender_id === 'carol',
    );
    const ack = await emitAck<{ ok: boolean; envelope: { id: string } }>(carol, 'send', {
      mediator,
      recipient_id: 'alice',
      message: 'hi from C',
    });
    expect(ack.ok).toBe(true);
    expect((await received).payload).toBe('hi from C');
    carol.close();
    alice.close();
  });

  it('a lifecycle event caused through A reaches a subscriber on C, once', async () => {
    const watcher = await socket(C, admin);
    const name = `mi-${RUN}-events`;
    // '*': the mediator does not exist yet, and a subscription needs an existing one.
    expect(await emitAck(watcher, 'subscribe', { mediator: '*' })).toEqual({
      ok: true,
      mediator: '*',
    });
    const seen = record<{ mediator: string }>(watcher, 'mediator_created');

    expect((await call(A.url, 'POST', '/mediators', admin, { name })).status).toBe(201);
    const event = await waitFor<{ event: string; mediator: string }>(
      watcher,
      'mediator_created',
      (e) => e.mediator === name,
      10_000,
    );
    expect(event).toMatchObject({ event: 'mediator_created', mediator: name });
    await sleep(1000);
    expect(seen.filter((e) => e.mediator === name)).toHaveLength(1);
  });

  it('a registry change through one instance is seen at once by the others (shared cache)', async () => {
    // Warm every instance's look-up of dave, then deactivate dave through A.
    for (const service of [A, B, C]) {
      expect(
        (await call(service.url, 'GET', `/mediators/${mediator}/colleagues/dave`, admin)).body
          .active,
      ).toBe(true);
    }
    expect(
      (
        await call(A.url, 'PATCH', `/mediators/${mediator}/colleagues/dave`, admin, {
          active: false,
        })
      ).status,
    ).toBe(200);

    const viaB = await call(
      B.url,
      'POST',
      `/mediators/${mediator}/messages`,
      colleagueToken(mediator, 'dave'),
      {
        sender_id: 'dave',
        recipient_id: 'alice',
        message: 'should not go',
      },
    );
    expect({ status: viaB.status, code: viaB.body?.code }).toEqual({
      status: 409,
      code: 'COLLEAGUE_INACTIVE',
    });
    expect(
      (
        await call(C.url, 'PATCH', `/mediators/${mediator}/colleagues/dave`, admin, {
          active: true,
        })
      ).status,
    ).toBe(200);
  });

  it('a mediator read through any instance counts a colleague registered through another at once', async () => {
    const count = async (service: RunningService) =>
      (await call(service.url, 'GET', `/mediators/${mediator}`, admin)).body.colleague_count;
    // Every instance has answered (and cached) the mediator before the registration.
    const before = await count(A);
    expect([await count(B), await count(C)]).toEqual([before, before]);

    const path = `/mediators/${mediator}/colleagues`;
    const body = { id: 'erin', name: 'erin', type: 'message' };
    expect((await call(B.url, 'POST', path, admin, body)).status).toBe(201);
    expect([await count(A), await count(B), await count(C)]).toEqual([
      before + 1,
      before + 1,
      before + 1,
    ]);
    expect((await call(C.url, 'DELETE', `${path}/erin`, admin)).status).toBe(204);
    expect([await count(A), await count(B), await count(C)]).toEqual([before, before, before]);
  });

  it('Kafka commands are spread over the instances of the consumer group', async () => {
    const before = await Promise.all([A, B, C].map(kafkaCommandsHandled));
    const replies = new Map<string, { ok: boolean }>();
    const consumer: Consumer = kafka.consumer({ groupId: `mi-${RUN}-test`, maxWaitTimeInMs: 100 });
    const producer: Producer = kafka.producer();
    await Promise.all([consumer.connect(), producer.connect()]);
    try {
      await consumer.subscribe({ topic: TOPICS.responses, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const id = message.headers?.kafka_correlationId?.toString();
          if (id) replies.set(id, JSON.parse(message.value!.toString()));
        },
      });
      const total = 30;
      const ids = Array.from({ length: total }, () => randomUUID());
      await producer.send({
        topic: TOPICS.commands,
        messages: ids.map((id, i) => ({
          partition: i % PARTITIONS,
          headers: { kafka_correlationId: id, authorization: `Bearer ${admin}` },
          value: JSON.stringify({ type: 'get_mediator', payload: { mediator } }),
        })),
      });
      await eventually(
        async () => replies.size,
        (n) => n === total,
        30_000,
      );
      expect(ids.map((id) => replies.get(id)).filter((r) => r?.ok !== true)).toEqual([]);

      const after = await Promise.all([A, B, C].map(kafkaCommandsHandled));
      const handled = after.map((n, i) => n - before[i]);
      expect(handled.reduce((a, b) => a + b, 0)).toBe(total);
      for (const perInstance of handled) expect(perInstance).toBeGreaterThan(0);
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    }
  });

  it('the colleagues of a crashed instance go offline everywhere', async () => {
    await socket(C, colleagueToken(mediator, 'dave'));
    await eventually(
      () => online(A, 'dave'),
      (v) => v === true,
    );
    crash(C);
    const crashedAt = Date.now();
    await eventually(
      () => online(A, 'dave'),
      (v) => v === false,
      PRESENCE_TTL_MS + 10_000,
    );
    expect(Date.now() - crashedAt).toBeLessThan(PRESENCE_TTL_MS + 10_000);
    expect(await online(B, 'dave')).toBe(false);
  });
});

describe('a rate limit counted across instances (Redis counters)', () => {
  const LIMIT = 6;
  const pair: RunningService[] = [];

  afterAll(async () => {
    await Promise.all(pair.map((s) => s.stop()));
  });

  it(`requests split over A and B get 429 once ${LIMIT} were made in total`, async () => {
    const redis = await redisServer();
    // The embedded SQLite store is enough here: the counters are what is shared.
    const config = {
      security: { rate_limit_requests: LIMIT, rate_limit_window: '1m' },
      database: { redis: { key_prefix: `mi-${RUN}-rate:` } },
    };
    const env = {
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      MYSQL_HOST: '',
      MONGODB_URI: '',
      KAFKA_BROKERS: '',
    };
    pair.push(
      ...(await Promise.all([startService({ env, config }), startService({ env, config })])),
    );
    const [a, b] = pair;
    // One subject of its own per run, so counters left by an earlier run do not count.
    const bearer = token({ sub: `mi-rate-${randomUUID()}`, scope: 'mediators:read' });

    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      statuses.push((await call((i % 2 ? b : a).url, 'GET', '/mediators', bearer)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));

    for (const service of [a, b]) {
      const over = await call(service.url, 'GET', '/mediators', bearer);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe('a Redis that is down at start-up', () => {
  const children: ChildProcess[] = [];

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('does not stop the service: health reports redis down, the API answers, and Redis is picked up when it starts', async () => {
    const [port, metricsPort, redisPort] = [await freePort(), await freePort(), await freePort()];
    const dir = tempDir();
    const service = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        SQLITE_PATH: `${dir}/mediator.sqlite`,
        CONFIG_FILE: writeConfig(dir, { database: { redis: { key_prefix: `mi-${RUN}-down:` } } }),
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(redisPort),
        MYSQL_HOST: '',
        MONGODB_URI: '',
        KAFKA_BROKERS: '',
      },
      stdio: 'ignore',
    });
    children.push(service);
    const url = `http://127.0.0.1:${port}`;
    const status = (path: string) =>
      fetch(`${url}${path}`).then(
        (r) => r.status,
        () => 0,
      );

    await eventually(
      () => status('/health/live'),
      (s) => s === 200,
      20_000,
    );
    expect(await redisHealth(url)).toEqual({
      status: 503,
      redis: 'down',
    });
    const started = Date.now();
    expect((await call(url, 'GET', '/mediators', adminToken())).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(service.exitCode).toBeNull();

    const redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    children.push(redis);
    await eventually(
      () => status('/health/ready'),
      (s) => s === 200,
      15_000,
    );
  });
});
