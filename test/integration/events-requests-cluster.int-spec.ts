// Events, commands and queries with TWO instances of the built service sharing MariaDB and Redis
// (and Kafka): a command sent through A is answered by a handler connected to B, also when the
// handler answers over REST on the other instance; a query's cached reply is shared; an event
// reaches each subscriber once, wherever it is connected; Kafka publish_event / execute_command /
// execute_query. Servers: eval "$(deploy/local/up.sh)"; a missing one fails the suite.
import { createConnection } from 'mysql2/promise';
import type { Socket } from 'socket.io-client';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, sleep } from '../support/ws';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  type Topics,
} from './support/kafka-client';
import {
  kafkaServer,
  mysqlServer,
  type MysqlServer,
  redisServer,
  type RedisServer,
} from './support/servers';

jest.setTimeout(120_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_er_${RUN}`;
const M = `er-${RUN}`;
const admin = adminToken(`er-admin-${RUN}`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  bearer = admin,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`not met; last: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await probe();
  }
  return last;
}

describe('events, commands and queries on two instances sharing MariaDB and Redis', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let brokers: string[];
  let topics: Topics;
  let kafka: CommandClient;
  let A: RunningService;
  let B: RunningService;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let db: any;
  const sockets: Socket[] = [];

  const instance = () =>
    startService({
      env: {
        MYSQL_HOST: mysql.host,
        MYSQL_PORT: String(mysql.port),
        MYSQL_USERNAME: mysql.username,
        MYSQL_PASSWORD: mysql.password,
        MYSQL_DATABASE: DATABASE,
        REDIS_HOST: redis.host,
        REDIS_PORT: String(redis.port),
        KAFKA_BROKERS: brokers.join(','),
        MONGODB_URI: '',
      },
      config: { ...kafkaConfig(topics), database: { redis: { key_prefix: `er-${RUN}:` } } },
    });

  /** A colleague connected to `on`, answering every delivery with `answer` and counting them. */
  const handler = async (on: RunningService, id: string, answer: (e: Json) => Json) => {
    const socket = await connected(on.url, colleagueToken(M, id));
    sockets.push(socket);
    const seen: Json[] = [];
    socket.on('message', (envelope: Json, ack: (r: unknown) => void) => {
      seen.push(envelope);
      ack(answer(envelope));
    });
    await eventually(
      () => call(A.url, 'GET', `/mediators/${M}/colleagues/${id}`),
      (r) => r.body.online === true,
    );
    return seen;
  };

  beforeAll(async () => {
    [mysql, redis, { brokers }] = await Promise.all([mysqlServer(), redisServer(), kafkaServer()]);
    topics = await createTopics(brokers, 'er-it');
    db = await createConnection({
      host: mysql.host,
      port: mysql.port,
      user: mysql.username,
      password: mysql.password,
    });
    await db.query(`CREATE DATABASE \`${DATABASE}\``);
    [A, B] = await Promise.all([instance(), instance()]);
    kafka = new CommandClient(brokers, topics, admin);
    await kafka.start();
    expect((await call(A.url, 'POST', '/mediators', { name: M })).status).toBe(201);
    const colleagues = [
      { id: 'caller' },
      { id: 'worker-b', handles: ['resize'] },
      { id: 'catalog-b', handles: ['get_price'] },
      { id: 'poller', handles: ['by_rest'], metadata: { delivery: 'poll' } },
      { id: 'sub-a', subscriptions: ['order_created'] },
      { id: 'sub-b', subscriptions: ['order_created'] },
      { id: 'other', subscriptions: ['unrelated'] },
    ];
    for (const c of colleagues) {
      // Colleagues without subscriptions would receive every event.
      const res = await call(A.url, 'POST', `/mediators/${M}/colleagues`, {
        name: c.id,
        type: 'service',
        subscriptions: ['none'],
        ...c,
      });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await kafka?.stop();
    await Promise.all([A?.stop(), B?.stop()]);
    if (topics) await deleteTopics(brokers, topics);
    await db?.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await db?.end();
  });

  it('answers a command sent through A with the reply of a handler connected to B', async () => {
    const seen = await handler(B, 'worker-b', (e) => ({ ok: true, result: { size: e.payload.w } }));
    for (const w of [100, 200]) {
      const res = await call(A.url, 'POST', `/mediators/${M}/commands`, {
        sender_id: 'caller',
        type: 'resize',
        data: { w },
      });
      expect(res).toEqual({ status: 200, body: { reply: { size: w } } });
    }
    expect(seen.map((e) => e.payload.w)).toEqual([100, 200]);
    // the ack that came back through the Redis adapter marked the stored request acked
    await eventually(
      () => call(A.url, 'GET', `/mediators/${M}/messages/${seen[0].id}`),
      (r) => r.body.status === 'acked',
    );
  });

  it('takes a REST reply on B to the request that waits on A', async () => {
    const waiting = call(A.url, 'POST', `/mediators/${M}/commands`, {
      sender_id: 'caller',
      type: 'by_rest',
      data: { n: 1 },
      timeout_ms: 15_000,
    });
    const inbox = await eventually(
      () => call(B.url, 'GET', `/mediators/${M}/colleagues/poller/messages?status=pending`),
      (r) => r.body.items.length === 1,
    );
    const request = inbox.body.items[0];
    const poller = colleagueToken(M, 'poller');
    const reply = await call(
      B.url,
      'POST',
      `/mediators/${M}/messages/${request.id}/reply`,
      { ok: true, result: { done: 1 } },
      poller,
    );
    expect(reply.status).toBe(204);
    expect(await waiting).toEqual({ status: 200, body: { reply: { done: 1 } } });
    // answered once: a second reply, on either instance, finds no request waiting
    for (const on of [A, B]) {
      const again = await call(
        on.url,
        'POST',
        `/mediators/${M}/messages/${request.id}/reply`,
        { ok: true },
        poller,
      );
      expect([again.status, again.body.code]).toEqual([409, 'REQUEST_NOT_PENDING']);
    }
  });

  it('shares a query reply between the instances: the repeat on B skips the handler', async () => {
    let price = 10;
    const seen = await handler(B, 'catalog-b', () => ({ ok: true, result: { price: price++ } }));
    const ask = (on: RunningService, data: Json) =>
      call(on.url, 'POST', `/mediators/${M}/queries`, {
        sender_id: 'caller',
        type: 'get_price',
        data,
      });

    expect((await ask(A, { sku: 1, cur: 'EUR' })).body).toEqual({ reply: { price: 10 } });
    expect((await ask(B, { cur: 'EUR', sku: 1 })).body).toEqual({ reply: { price: 10 } });
    expect((await ask(A, { sku: 1, cur: 'EUR' })).body).toEqual({ reply: { price: 10 } });
    expect(seen).toHaveLength(1);
    expect((await ask(B, { sku: 2, cur: 'EUR' })).body).toEqual({ reply: { price: 11 } });
    expect(seen).toHaveLength(2);
  });

  it('delivers an event once to each subscriber, whichever instance it is connected to', async () => {
    const seenA = await handler(A, 'sub-a', () => ({ ok: true }));
    const seenB = await handler(B, 'sub-b', () => ({ ok: true }));
    const seenOther = await handler(A, 'other', () => ({ ok: true }));
    const body = { sender_id: 'caller', type: 'order_created', data: { id: 9 }, id: `ev-${RUN}` };

    const first = await call(A.url, 'POST', `/mediators/${M}/events`, body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: `ev-${RUN}`, recipients: 2, duplicate: false });
    // the same id again, through the other instance: a redelivery, delivered to nobody
    const again = await call(B.url, 'POST', `/mediators/${M}/events`, body);
    expect(again.body).toMatchObject({ id: `ev-${RUN}`, duplicate: true });

    await eventually(
      async () => [seenA.length, seenB.length],
      ([a, b]) => a === 1 && b === 1,
    );
    await sleep(500);
    expect([seenA.length, seenB.length, seenOther.length]).toEqual([1, 1, 0]);
    const history = await call(B.url, 'GET', `/mediators/${M}/events?type=order_created`);
    expect(history.body.items.map((e: Json) => e.id)).toEqual([`ev-${RUN}`]);
  });

  it('runs publish_event, execute_command and execute_query from Kafka', async () => {
    const command = await kafka.command('execute_command', {
      mediator: M,
      sender_id: 'caller',
      type: 'resize',
      data: { w: 300 },
    });
    expect(command.value).toMatchObject({ ok: true, result: { reply: { size: 300 } } });

    const query = await kafka.command('execute_query', {
      mediator: M,
      sender_id: 'caller',
      type: 'get_price',
      data: { sku: 1, cur: 'EUR' },
    });
    expect(query.value).toMatchObject({ ok: true, result: { reply: { price: 10 } } });

    const none = await kafka.command('execute_command', {
      mediator: M,
      sender_id: 'caller',
      type: 'nobody_handles',
      data: {},
    });
    expect(none.value).toMatchObject({ ok: false, error: { code: 'NO_HANDLER' } });

    const event = await kafka.command('publish_event', {
      mediator: M,
      sender_id: 'caller',
      type: 'order_created',
      data: { id: 10 },
    });
    expect(event.value).toMatchObject({
      ok: true,
      result: { type: 'order_created', recipients: 2, duplicate: false },
    });
  });
});
