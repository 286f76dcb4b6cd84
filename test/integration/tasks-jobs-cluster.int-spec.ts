// Task and job guarantees with THREE instances of the built service sharing MariaDB (and Redis):
// 1000 tasks claimed by 20 concurrent REST workers on two instances are each completed exactly
// once, higher priority first; a per-second cron job ticked by three schedulers fires each tick
// once, with no gap.
import { createConnection } from 'mysql2/promise';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import { sleep } from '../support/ws';
import { mysqlServer, type MysqlServer, redisServer, type RedisServer } from './support/servers';

jest.setTimeout(180_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_tj_${RUN}`;
const MEDIATOR = `tj-${RUN}`;
const admin = adminToken(`tj-admin-${RUN}`);

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

describe('tasks and jobs on three instances sharing MariaDB', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let instances: RunningService[] = [];
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
      config: { database: { redis: { key_prefix: `tj-${RUN}:` } } },
    });

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
    instances.push(await instance()); // runs the migrations first
    instances.push(...(await Promise.all([instance(), instance()])));
    expect((await call(instances[0].url, 'POST', '/mediators', { name: MEDIATOR })).status).toBe(
      201,
    );
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    instances = [];
    await db?.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await db?.end();
  });

  it('1000 tasks, 10 claim loops on each of two instances: each completed exactly once, higher priority first', async () => {
    const [A, B] = instances;
    const path = `/mediators/${MEDIATOR}/tasks`;
    for (let i = 0; i < 1000; i += 50) {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          call(A.url, 'POST', path, { name: `t${i + j}`, type: 'work', priority: (i + j) % 3 }),
        ),
      );
      expect(replies.every((r) => r.status === 201)).toBe(true);
    }
    const completions = new Map<string, string[]>();
    const priorities = new Map<string, number[]>();
    const worker = async (base: string, workerId: string) => {
      for (;;) {
        const claim = await call(base, 'POST', `${path}/claim`, { worker_id: workerId });
        if (claim.status === 204) return;
        expect(claim.status).toBe(200);
        const done = await call(base, 'POST', `${path}/${claim.body.id}/complete`, {
          worker_id: workerId,
          result: workerId,
        });
        expect(done.status).toBe(200);
        completions.set(claim.body.id, [...(completions.get(claim.body.id) ?? []), workerId]);
        priorities.set(workerId, [...(priorities.get(workerId) ?? []), claim.body.priority]);
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i % 2 ? B.url : A.url, `w${i}`)));
    expect(completions.size).toBe(1000);
    expect([...completions.values()].filter((workers) => workers.length !== 1)).toEqual([]);
    // All tasks were queued before the first claim, so no worker may see a higher priority later.
    for (const seen of priorities.values()) expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const [rows] = await db.query(
      'SELECT status, COUNT(*) AS n FROM tasks WHERE mediator = ? GROUP BY status',
      [MEDIATOR],
    );
    expect(rows.map((r: { status: string; n: number }) => [r.status, Number(r.n)])).toEqual([
      ['completed', 1000],
    ]);
    const [events] = await db.query(
      "SELECT COUNT(*) AS n FROM outbox WHERE mediator = ? AND event = 'task_completed'",
      [MEDIATOR],
    );
    // The relay may already have published some; none may be written twice.
    expect(Number(events[0].n)).toBeLessThanOrEqual(1000);
  });

  it('a per-second cron job on three schedulers fires every tick exactly once', async () => {
    const [A, B, C] = instances;
    const path = `/mediators/${MEDIATOR}/jobs/beat`;
    expect((await call(A.url, 'PUT', path, { type: 'beat', schedule: '* * * * * *' })).status).toBe(
      201,
    );
    await sleep(6000);
    expect((await call(B.url, 'POST', `${path}/pause`)).status).toBe(200);
    await sleep(1500); // a tick planned just before the pause may still be recorded
    const runs = (await call(C.url, 'GET', `${path}/runs?limit=500`)).body.items as {
      scheduled_at: string;
    }[];
    const ticks = runs.map((r) => Date.parse(r.scheduled_at)).sort((a, b) => a - b);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(ticks.length);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
    expect(gaps.filter((g) => g !== 1000)).toEqual([]);
    // Each fired tick submitted exactly one task.
    const [tasks] = await db.query("SELECT data FROM tasks WHERE mediator = ? AND type = 'beat'", [
      MEDIATOR,
    ]);
    const submitted = (tasks as { data: string }[]).map(
      (t) => (JSON.parse(t.data) as { scheduled_at: string }).scheduled_at,
    );
    expect(submitted.sort()).toEqual(runs.map((r) => r.scheduled_at).sort());
  });
});
