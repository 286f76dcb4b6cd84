// Resource and service guarantees with TWO instances of the built service sharing MariaDB (and
// Redis): 200 concurrent acquires split across both never push `used` above `capacity`; expired
// leases are released once; a missed heartbeat is marked once although both instances sweep.
import { createConnection } from 'mysql2/promise';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import { mysqlServer, type MysqlServer, redisServer, type RedisServer } from './support/servers';

jest.setTimeout(120_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_sr_${RUN}`;
const MEDIATOR = `sr-${RUN}`;
const admin = adminToken(`sr-admin-${RUN}`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
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
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

describe('services and resources on two instances sharing MariaDB', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let A: RunningService;
  let B: RunningService;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let db: any;

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
        MONGODB_URI: '',
      },
      config: { database: { redis: { key_prefix: `sr-${RUN}:` } } },
    });

  const sql = async (query: string, params: unknown[] = []) => {
    const [rows] = await db.query(query, params);
    return rows as Record<string, unknown>[];
  };

  beforeAll(async () => {
    [mysql, redis] = await Promise.all([mysqlServer(), redisServer()]);
    db = await createConnection({
      host: mysql.host,
      port: mysql.port,
      user: mysql.username,
      password: mysql.password,
    });
    await db.query(`CREATE DATABASE \`${DATABASE}\``);
    await db.query(`USE \`${DATABASE}\``);
    A = await instance();
    B = await instance();
    expect((await call(A.url, 'POST', '/mediators', { name: MEDIATOR })).status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await db?.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await db?.end();
  });

  it('200 concurrent acquires on two instances: exactly the capacity succeeds, never above it', async () => {
    const path = `/mediators/${MEDIATOR}/resources/pool`;
    expect((await call(A.url, 'PUT', path, { type: 'slot', capacity: 50 })).status).toBe(201);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(i % 2 ? B.url : A.url, 'POST', `${path}/leases`, {
          holder_id: `w${i}`,
          amount: 1,
          ttl: 600,
        }),
      ),
    );

    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(
      replies.filter((r) => r.status === 409).every((r) => r.body.code === 'INSUFFICIENT_CAPACITY'),
    ).toBe(true);
    // Both instances granted leases.
    expect(replies.filter((r, i) => r.status === 201 && i % 2 === 0).length).toBeGreaterThan(0);
    expect(replies.filter((r, i) => r.status === 201 && i % 2 === 1).length).toBeGreaterThan(0);
    expect((await call(B.url, 'GET', path)).body).toMatchObject({ capacity: 50, used: 50 });
    const [pool] = await sql('SELECT used, capacity FROM kind_resources WHERE mediator = ?', [
      MEDIATOR,
    ]);
    const [leases] = await sql(
      'SELECT COUNT(*) AS n, SUM(amount) AS total FROM kind_resource_leases WHERE mediator = ? AND resource = ?',
      [MEDIATOR, 'pool'],
    );
    expect({
      used: Number(pool.used),
      leases: Number(leases.n),
      total: Number(leases.total),
    }).toEqual({
      used: 50,
      leases: 50,
      total: 50,
    });
  });

  it('expired leases are released once although both instances sweep', async () => {
    const path = `/mediators/${MEDIATOR}/resources/short`;
    expect((await call(B.url, 'PUT', path, { type: 'slot', capacity: 20 })).status).toBe(201);
    const granted = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? B.url : A.url, 'POST', `${path}/leases`, {
          holder_id: `s${i}`,
          amount: 1,
          ttl: 1,
        }),
      ),
    );
    expect(granted.every((r) => r.status === 201)).toBe(true);

    const pool = await eventually(
      async () => (await call(A.url, 'GET', path)).body,
      (p) => p.used === 0,
    );
    expect(pool.leases).toEqual([]);
    const [row] = await sql('SELECT used FROM kind_resources WHERE mediator = ? AND name = ?', [
      MEDIATOR,
      'short',
    ]);
    expect(Number(row.used)).toBe(0); // never negative: each lease gave its amount back once
  });

  it('a missed heartbeat is marked unhealthy once with both instances sweeping', async () => {
    const path = `/mediators/${MEDIATOR}/services/api`;
    const created = await call(A.url, 'PUT', path, {
      type: 'http',
      status: 'healthy',
      heartbeat_ttl: 1,
    });
    expect(created.status).toBe(201);
    const service = await eventually(
      async () => (await call(B.url, 'GET', path)).body,
      (s) => s.status === 'unhealthy',
    );
    // version 1 (register) + exactly one compare-and-set by a sweep.
    expect(service.version).toBe(2);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await call(A.url, 'GET', path)).body).toMatchObject({
      status: 'unhealthy',
      version: 2,
    });
  });
});
