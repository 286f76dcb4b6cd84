// The original service's config.yaml, verbatim (test/fixtures/original-config.yaml, the same bytes
// as config/original.yaml), on the servers of deploy/local: its sections switch MySQL, MongoDB,
// Redis and Kafka on, and its keys have their effect. Run `npm run build` first.
//
// Env overrides (CONTRACT §1), and why: the original's MySQL login root/password does not exist on
// deploy/local, so MYSQL_USERNAME/MYSQL_PASSWORD come from up.sh; MYSQL_DATABASE and
// MONGODB_DATABASE name databases of this run (dropped at the end); PORT, METRICS_PORT and
// WEBSOCKET_PORT are free ports instead of 8080/9090/8080, which may be taken on a shared machine.
// Every other value — hosts `localhost`, topics, limits, the secret `your-secret-key` — is the
// file's.
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import { io, type Socket } from 'socket.io-client';
import { freePort, ROOT, type RunningService, startService } from '../support/service';
import { token } from '../support/tokens';
import { emitAck, waitFor } from '../support/ws';
import { kafkaServer, mongoServer, mysqlServer, redisServer } from './support/servers';

jest.setTimeout(90_000);

const FIXTURE = `${ROOT}/test/fixtures/original-config.yaml`;
const SECRET = 'your-secret-key';
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const DATABASE = `mediator_orig_${RUN}`;

let service: RunningService;
let wsPort: number;

async function mysqlAdmin<T>(
  work: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>,
) {
  const server = await mysqlServer();
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: server.username,
    password: server.password,
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

const bearer = (sub: string, expiresIn = 3600) => token({ sub, scope: 'admin' }, expiresIn, SECRET);

function call(path: string, init: { method?: string; body?: unknown; sub?: string } = {}) {
  return fetch(`${service.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${bearer(init.sub ?? 'original-admin')}`,
      'content-type': 'application/json',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

function socketAt(port: number): Socket {
  return io(`http://127.0.0.1:${port}`, {
    path: '/ws',
    auth: { token: bearer('original-socket') },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

beforeAll(async () => {
  const [mysql, mongo] = await Promise.all([mysqlServer(), mongoServer()]);
  await Promise.all([redisServer(), kafkaServer()]);
  await mysqlAdmin((c) => c.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``));
  wsPort = await freePort();
  service = await startService({
    configFile: FIXTURE,
    env: {
      MYSQL_USERNAME: mysql.username,
      MYSQL_PASSWORD: mysql.password,
      MYSQL_DATABASE: DATABASE,
      MONGODB_DATABASE: mongo.uniqueDatabase('mediator_orig'),
      WEBSOCKET_PORT: String(wsPort),
      // The file's secret, not the test default: an empty variable does not override the file.
      JWT_SECRET: '',
    },
  });
});

afterAll(async () => {
  await service?.stop();
  await mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``));
});

it('database.mysql, mongodb, redis and message_queue sections switch every component on', async () => {
  const health = (await (await fetch(`${service.url}/health`)).json()) as {
    status: string;
    details: Record<string, { status: string }>;
  };
  expect(health.status).toBe('ok');
  expect(Object.keys(health.details).sort()).toEqual(['database', 'kafka', 'mongodb', 'redis']);

  const name = `orig-${RUN}`;
  expect((await call('/mediators', { method: 'POST', body: { name } })).status).toBe(201);
  const rows = await mysqlAdmin((c) =>
    c.query(`SELECT name FROM \`${DATABASE}\`.mediators WHERE name = ?`, [name]),
  );
  expect(rows[0]).toEqual([{ name }]);
});

it('message_queue.topics ["mediator-events"]: lifecycle events go to mediator-events', async () => {
  const name = `orig-ev-${RUN}`;
  const kafka = new Kafka({
    clientId: 'original-config-it',
    brokers: (await kafkaServer()).brokers,
    logLevel: logLevel.ERROR,
  });
  const consumer = kafka.consumer({ groupId: `original-config-it-${RUN}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'mediator-events', fromBeginning: true });
  try {
    const seen = new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const value = message.value?.toString() ?? '';
          if (value.includes(name) && value.includes('mediator_created')) resolve(value);
        },
      });
    });
    expect((await call('/mediators', { method: 'POST', body: { name } })).status).toBe(201);
    expect(JSON.parse(await seen)).toMatchObject({ event: 'mediator_created', mediator: name });
  } finally {
    await consumer.disconnect();
  }
});

it('security.jwt_secret "your-secret-key" signs tokens; token_expiry 24h caps their lifetime', async () => {
  expect((await call('/mediators')).status).toBe(200);
  const tooLong = await fetch(`${service.url}/api/v1/mediators`, {
    headers: { authorization: `Bearer ${bearer('long-lived', 25 * 3600)}` },
  });
  expect(tooLong.status).toBe(401);
});

it('security.rate_limit_requests 100 per rate_limit_window 1m: the 101st request is 429', async () => {
  const sub = `busy-${RUN}`;
  for (let i = 0; i < 100; i++) expect((await call('/mediators', { sub })).status).toBe(200);
  const over = await call('/mediators', { sub });
  expect(over.status).toBe(429);
  expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
});

it('websocket.port: Socket.IO on its own listener; read_buffer_size 1024 is its message limit', async () => {
  const refused = socketAt(Number(new URL(service.url).port));
  expect((await waitFor<Error>(refused, 'connect_error')).message).toBeTruthy();
  refused.close();

  const socket = socketAt(wsPort);
  await waitFor(socket, 'connect');
  expect(await emitAck(socket, 'subscribe', { mediator: '*' })).toMatchObject({ ok: true });
  const closed = waitFor<string>(socket, 'disconnect');
  socket.emit('subscribe', { mediator: 'x'.repeat(2000) });
  expect(await closed).toBe('transport close');
});

it('monitoring.port and monitoring.path serve the metrics', async () => {
  const metrics = await fetch(`${service.metricsUrl}/metrics`);
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toMatch(/^mediator_mediators \d+$/m);
});
