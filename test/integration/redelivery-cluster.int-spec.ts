// Acks mean acks, with TWO instances of the built service sharing MariaDB and Redis (and, in the
// second suite, MongoDB for the messages): both sweep for refused and unacknowledged deliveries,
// yet each failure is counted once — a refused delivery is pushed exactly retry_count + 1 times
// before it is dead, with one message_dead — and a delivery acked meanwhile is never pushed
// again. Run the build first; a missing server fails the suite.
import { createConnection } from 'mysql2/promise';
import type { Socket } from 'socket.io-client';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, emitAck, record, sleep } from '../support/ws';
import { mongoServer, mysqlServer, redisServer } from './support/servers';

jest.setTimeout(120_000);

const RETRY_COUNT = 3;
const MESSAGES = 20;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(200);
  }
}

describe.each([
  ['MariaDB', false],
  ['MongoDB', true],
])('redelivery on two instances (messages in %s)', (_store, withMongo) => {
  const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const DATABASE = `mediator_rd_${RUN}`;
  const M = `rd-${RUN}`;
  const admin = adminToken(`rd-admin-${RUN}`);
  let A: RunningService;
  let B: RunningService;
  const sockets: Socket[] = [];

  async function call(on: RunningService, method: string, path: string, body?: unknown) {
    const res = await fetch(`${on.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  }

  /** A colleague connected to `on` that answers the n-th delivery of a message with `answer(n)`. */
  async function colleague(on: RunningService, id: string, answer: (n: number) => unknown) {
    const socket = await connected(on.url, colleagueToken(M, id));
    sockets.push(socket);
    const got = new Map<string, number>();
    socket.on('message', (d: Json, ack: (r: unknown) => void) => {
      const n = (got.get(d.id) ?? 0) + 1;
      got.set(d.id, n);
      const reply = answer(n);
      if (reply !== undefined) ack(reply);
    });
    await eventually(
      async () => (await call(A, 'GET', `/mediators/${M}/colleagues/${id}`)).body.online,
    );
    return got;
  }

  async function sendMany(to: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const via = i % 2 === 0 ? A : B;
      const res = await call(via, 'POST', `/mediators/${M}/messages`, {
        sender_id: 'sender',
        recipient_id: to,
        message: { n: i },
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    return ids;
  }

  const statuses = async (ids: string[]) =>
    Promise.all(
      ids.map(async (id) => (await call(B, 'GET', `/mediators/${M}/messages/${id}`)).body.status),
    );

  beforeAll(async () => {
    const [mysql, redis, mongo] = await Promise.all([
      mysqlServer(),
      redisServer(),
      withMongo ? mongoServer() : Promise.resolve(undefined),
    ]);
    const db = await createConnection({
      host: mysql.host,
      port: mysql.port,
      user: mysql.username,
      password: mysql.password,
    });
    await db.query(`CREATE DATABASE \`${DATABASE}\``);
    await db.end();
    // One document database for both instances (a fresh name per run).
    const documents = mongo?.uniqueDatabase('mediator_rd');
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
          MONGODB_URI: mongo ? mongo.uri : '',
          ...(documents ? { MONGODB_DATABASE: documents } : {}),
        },
        config: {
          retry_count: RETRY_COUNT,
          database: { redis: { key_prefix: `rd-${RUN}:` } },
          messaging: {
            ack_timeout: '1s',
            backoff: '100ms',
            max_backoff: '200ms',
            sweep_interval: '100ms',
          },
        },
      });
    // The first instance runs the migrations of the fresh database; the second joins it.
    A = await instance();
    B = await instance();
    expect((await call(A, 'POST', '/mediators', { name: M })).status).toBe(201);
    for (const id of ['sender', 'refuser', 'flaky', 'silent'])
      expect(
        (await call(A, 'POST', `/mediators/${M}/colleagues`, { id, name: id, type: 'message' }))
          .status,
      ).toBe(201);
  });

  afterEach(() => {
    sockets.splice(0).forEach((s) => s.close());
  });

  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
  });

  it('a refused delivery is pushed retry_count + 1 times, then dead with one message_dead', async () => {
    const watcher = await connected(A.url, admin);
    sockets.push(watcher);
    expect(await emitAck(watcher, 'subscribe', { mediator: M })).toMatchObject({ ok: true });
    const deadEvents = record<Json>(watcher, 'message_dead');
    const got = await colleague(B, 'refuser', () => ({
      ok: false,
      error: { code: 'REFUSED', message: 'no' },
    }));

    const ids = await sendMany('refuser');
    await eventually(async () => (await statuses(ids)).every((s) => s === 'dead'));
    await sleep(1000); // both instances keep sweeping: nothing more may come
    expect(ids.map((id) => got.get(id))).toEqual(ids.map(() => RETRY_COUNT + 1));
    await eventually(async () => deadEvents.length >= MESSAGES);
    expect(deadEvents.map((e) => e.data.message_id).sort()).toEqual([...ids].sort());
  });

  it('a delivery refused once and then acked is pushed exactly twice', async () => {
    const got = await colleague(B, 'flaky', (n) =>
      n === 1 ? { ok: false, error: { code: 'BUSY', message: 'busy' } } : { ok: true },
    );
    const ids = await sendMany('flaky');
    await eventually(async () => (await statuses(ids)).every((s) => s === 'acked'));
    await sleep(1500); // past the ack timeout: an acked delivery is never pushed again
    expect(ids.map((id) => got.get(id))).toEqual(ids.map(() => 2));
  });

  it('a delivery never answered is pushed again after the ack timeout, then dead', async () => {
    const got = await colleague(A, 'silent', () => undefined);
    const ids = (await sendMany('silent')).slice(0, MESSAGES);
    await eventually(async () => (await statuses(ids)).every((s) => s === 'dead'), 60_000);
    expect(ids.map((id) => got.get(id))).toEqual(ids.map(() => RETRY_COUNT + 1));
  });
});
