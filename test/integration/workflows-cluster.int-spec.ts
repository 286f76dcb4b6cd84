// Workflow guarantee with TWO instances of the built service sharing MariaDB and Redis: every
// instance sweeps for workflows whose runner's lease expired, yet each workflow is run by one
// instance at a time — no step is executed twice and every workflow completes. Run the build
// first (E2E_MAIN points at it); a missing server fails the suite.
import { createConnection } from 'mysql2/promise';
import type { Socket } from 'socket.io-client';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected } from '../support/ws';
import { mysqlServer, type MysqlServer, redisServer, type RedisServer } from './support/servers';

jest.setTimeout(180_000);

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_wf_${RUN}`;
const MEDIATOR = `wf-${RUN}`;
const admin = adminToken(`wf-admin-${RUN}`);
const STEP_TYPES = ['a.run', 'b.run', 'c.run'];
const NOTIFICATIONS = 40;
const ORPHANS = 30;
const STARTED = 20;

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

describe('workflows on two instances sharing MariaDB', () => {
  let mysql: MysqlServer;
  let redis: RedisServer;
  let A: RunningService;
  let B: RunningService;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let db: any;
  const sockets: Socket[] = [];
  /** Every step request a handler received: `${workflow_id}/${step}`, with the instance it came through. */
  const executed: { key: string; via: string }[] = [];
  /** Every notification attempt a handler received: `${id}/${attempt}`. */
  const notified: { key: string; via: string }[] = [];

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
      config: {
        database: { redis: { key_prefix: `wf-${RUN}:` } },
        workflows: { lease: '1500ms', sweep_interval: '200ms', step_timeout: '20s' },
        notifications: { sweep_interval: '100ms' },
      },
    });

  /** A step handler colleague connected to one instance; it takes a moment per step. */
  async function stepHandler(service: RunningService, id: string) {
    const socket = await connected(service.url, colleagueToken(MEDIATOR, id));
    sockets.push(socket);
    socket.on(
      'message',
      (
        d: {
          kind: string;
          payload: { workflow_id: string; step: string; id: string; attempt: number };
        },
        ack: (r: unknown) => void,
      ) => {
        if (d.kind === 'notification') {
          notified.push({ key: `${d.payload.id}/${d.payload.attempt}`, via: id });
        } else {
          executed.push({ key: `${d.payload.workflow_id}/${d.payload.step}`, via: id });
        }
        // Notifications take a while, so a sweep that ignored the deliverer's lease would take
        // them again mid-attempt.
        const ms = d.kind === 'notification' ? 300 : 20;
        setTimeout(() => ack({ ok: true, result: `${d.payload.step} by ${id}` }), ms);
      },
    );
  }

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
    for (const id of ['handler-a', 'handler-b']) {
      const res = await call(A.url, 'POST', `/mediators/${MEDIATOR}/colleagues`, {
        id,
        name: id,
        type: 'workflow',
        handles: [...STEP_TYPES, 'notification.email'],
      });
      expect(res.status).toBe(201);
    }
    await stepHandler(A, 'handler-a');
    await stepHandler(B, 'handler-b');
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([A?.stop(), B?.stop()]);
    await db?.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await db?.end();
  });

  it('runs each workflow exactly once — no step twice — while both instances sweep', async () => {
    const steps = STEP_TYPES.map((type, i) => ({ name: `s${i}`, type }));
    // Workflows of a runner that died: unfinished, lease expired. Both sweeps want them.
    const orphanIds: string[] = [];
    for (let i = 0; i < ORPHANS; i++) {
      const id = `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      orphanIds.push(id);
      const current = i % 3;
      const results = Object.fromEntries(steps.slice(0, current).map((s) => [s.name, 'before']));
      await db.query(
        `INSERT INTO workflows (mediator, id, name, steps, data, status, current_step, retry_count,
           results, compensated, error, owner, lease_until, created_at, updated_at)
         VALUES (?, ?, 'orphan', ?, 'null', 'running', ?, 0, ?, '[]', NULL, 'dead-instance', ?, NOW(3), NOW(3))`,
        [MEDIATOR, id, JSON.stringify(steps), current, JSON.stringify(results), Date.now() - 1000],
      );
    }
    // And live ones, started through both instances while the sweeps run.
    const started = await Promise.all(
      Array.from({ length: STARTED }, (_, i) =>
        call(i % 2 ? B.url : A.url, 'POST', `/mediators/${MEDIATOR}/workflows`, {
          name: 'live',
          steps,
        }),
      ),
    );
    expect(started.every((r) => r.status === 202)).toBe(true);
    const ids = [...orphanIds, ...started.map((r) => r.body.id as string)];

    const deadline = Date.now() + 60_000;
    let statuses: string[] = [];
    for (;;) {
      const [rows] = await db.query('SELECT status FROM workflows WHERE mediator = ?', [MEDIATOR]);
      statuses = (rows as { status: string }[]).map((r) => r.status);
      if (statuses.length === ids.length && statuses.every((s) => s === 'completed')) break;
      if (Date.now() > deadline) throw new Error(`not all completed: ${JSON.stringify(statuses)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // Each step that was still to run ran exactly once; the ones done before the crash never again.
    const expected = ids.flatMap((id, i) =>
      steps.slice(i < ORPHANS ? i % 3 : 0).map((s) => `${id}/${s.name}`),
    );
    const keys = executed.map((e) => e.key);
    expect(keys.length).toBe(expected.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...expected].sort());
    // Both instances took part (each handler sits on one instance, requests round-robin).
    expect(new Set(executed.map((e) => e.via)).size).toBe(2);
    const got = await call(B.url, 'GET', `/mediators/${MEDIATOR}/workflows/${orphanIds[1]}`);
    expect(got.body).toMatchObject({ status: 'completed', current_step: 3 });
    expect(got.body.results.s0).toBe('before');
  });

  it('delivers each notification an instance left behind exactly once while both instances sweep', async () => {
    const ids = Array.from(
      { length: NOTIFICATIONS },
      (_, i) => `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`,
    );
    for (const id of ids) {
      await db.query(
        `INSERT INTO notifications (mediator, id, type, channel, recipient_id, content, status,
           retry_count, attempts, last_error, owner, lease_until, created_at, updated_at)
         VALUES (?, ?, 'alert', 'email', 'ops', '"disk full"', 'pending', 3, 0, NULL, 'dead-instance', ?, NOW(3), NOW(3))`,
        [MEDIATOR, id, Date.now() - 1000],
      );
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [rows] = await db.query(
        "SELECT COUNT(*) AS n FROM notifications WHERE mediator = ? AND status = 'delivered'",
        [MEDIATOR],
      );
      if (Number((rows as { n: number }[])[0].n) === NOTIFICATIONS) break;
      if (Date.now() > deadline) throw new Error(`not all delivered: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const keys = notified.map((n) => n.key);
    expect([...keys].sort()).toEqual(ids.map((id) => `${id}/1`).sort());
    const [rows] = await db.query('SELECT attempts FROM notifications WHERE mediator = ?', [
      MEDIATOR,
    ]);
    expect((rows as { attempts: number }[]).every((r) => r.attempts === 1)).toBe(true);
  });
});
