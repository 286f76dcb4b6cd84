#!/usr/bin/env node
// The original service's ten kind examples, with its own values, against this service: REST
// calls and Socket.IO handlers through @mediator/client (libs/client, `npm run client:build`).
//
//   JWT_SECRET=<the service's secret> node examples/original/kinds.js
//
// Env: MEDIATOR_URL (default http://localhost:8080), JWT_SECRET (required), MEDIATOR (the
// mediator to create, default original_examples). It mints its tokens with the secret, as
// `npm run token` does, prints one line per step and exits 0 when all ten kinds have worked
// (1 on the first failure). A second run finds the mediator and colleagues there and reuses them.
'use strict';
const { createHmac } = require('node:crypto');
const {
  ColleagueExistsError,
  InsufficientCapacityError,
  MediatorClient,
  MediatorExistsError,
  createRestApi,
} = require('../../libs/client/dist/index.cjs');

const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const secret = process.env.JWT_SECRET;
const MEDIATOR = process.env.MEDIATOR || 'original_examples';
if (!secret) {
  console.error('usage: JWT_SECRET=<the service secret> node examples/original/kinds.js');
  process.exit(2);
}

/** The colleagues: the two of the message example, and one handler per kind that needs one. */
const COLLEAGUES = [
  { id: 'colleague1', name: 'Colleague 1', type: 'message' },
  { id: 'colleague2', name: 'Colleague 2', type: 'message' },
  {
    id: 'user_service',
    name: 'User service',
    type: 'command',
    handles: ['create_user', 'get_user'],
    subscriptions: ['user_created'],
  },
  {
    id: 'mailer',
    name: 'Mailer',
    type: 'notification',
    handles: ['notification.email'],
  },
  {
    id: 'registration',
    name: 'Registration steps',
    type: 'workflow',
    handles: ['validation', 'creation', 'notification'],
  },
  { id: 'worker', name: 'Worker', type: 'task' },
];

/** An HS256 JWT valid for an hour (CONTRACT §2). */
function mint(claims) {
  const now = Math.floor(Date.now() / 1000);
  const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const adminApi = createRestApi(url, mint({ sub: 'original-examples:admin', scope: 'admin' })).api;
const path = (more = {}) => ({ name: MEDIATOR, ...more });
const log = (kind, text) => console.log(`${kind.padEnd(12)} ${text}`);
const json = (value) => JSON.stringify(value);

const unless = (ErrorClass) => (error) => {
  if (!(error instanceof ErrorClass)) throw error;
};

/** Polls `read` until `done(value)`, at most 15 s. */
async function until(read, done, what) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${json(value)} after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function setUp() {
  await adminApi.mediators.create({ body: { name: MEDIATOR } }).catch(unless(MediatorExistsError));
  for (const colleague of COLLEAGUES)
    await adminApi.colleagues
      .register({ path: path(), body: colleague })
      .catch(unless(ColleagueExistsError));
  const clients = {};
  for (const { id } of COLLEAGUES) {
    const token = mint({
      sub: `original-examples:${id}`,
      scope: 'messages:send messages:read mediators:read',
      mediator: MEDIATOR,
      colleague: id,
    });
    clients[id] = await MediatorClient.connect(url, { token, mediator: MEDIATOR, colleague: id });
  }
  return clients;
}

/** The Socket.IO handlers of the examples: each answers through the delivery's ack. */
function handle(c, received) {
  c.colleague2.onMessage((message) => received.message(message.payload));
  c.user_service.subscribe('user_created', (data) => received.event(data));
  c.user_service.handle('create_user', ({ name }) => ({ user_id: '123', name }));
  c.user_service.handle('get_user', ({ user_id }) => ({ user_id, name: 'John Doe' }));
  c.mailer.handle('notification.email', (payload) => {
    log('notification', `mailer sends ${json(payload)}`);
    return { sent: true };
  });
  for (const step of ['validation', 'creation', 'notification'])
    c.registration.handle(step, () => {
      log('workflow', `step ${step} done`);
      return { [step]: 'ok' };
    });
  c.worker.work('computation', (task) => {
    log('task', `worker runs ${task.name} (priority ${task.priority})`);
    return { paid: true };
  });
}

async function main() {
  const c = await setUp();
  let resolveMessage, resolveEvent;
  const message = new Promise((resolve) => (resolveMessage = resolve));
  const event = new Promise((resolve) => (resolveEvent = resolve));
  handle(c, { message: resolveMessage, event: resolveEvent });

  // 1. message: colleague1 → colleague2
  await c.colleague1.send('colleague2', 'Hello from colleague 1');
  log('message', `colleague2 got ${json(await message)}`);

  // 2. event: user_created reaches its subscriber
  await c.colleague1.publish('user_created', { user_id: '123' });
  log('event', `user_service heard user_created ${json(await event)}`);

  // 3. command and 4. query: one handler answers each
  log(
    'command',
    `create_user → ${json(await c.colleague1.request('create_user', { name: 'John Doe' }))}`,
  );
  log('query', `get_user → ${json(await c.colleague1.query('get_user', { user_id: '123' }))}`);

  // 5. notification: type (channel) email, to user123
  const notification = await adminApi.notifications.send({
    path: path(),
    body: {
      type: 'email',
      channel: 'email',
      content: 'Welcome to our service!',
      recipient_id: 'user123',
    },
  });
  const sent = await until(
    () => adminApi.notifications.get({ path: path({ id: notification.id }) }),
    (n) => n.status === 'delivered',
    'notification',
  );
  log('notification', `${sent.id} ${sent.status}`);

  // 6. workflow: user_registration, three steps
  const started = await adminApi.workflows.start({
    path: path(),
    body: {
      name: 'user_registration',
      steps: [
        { name: 'validate_input', type: 'validation' },
        { name: 'create_user', type: 'creation' },
        { name: 'send_welcome_email', type: 'notification' },
      ],
      data: { name: 'John Doe' },
    },
  });
  const workflow = await until(
    () => adminApi.workflows.get({ path: path({ id: started.id }) }),
    (w) => w.status === 'completed',
    'workflow',
  );
  log('workflow', `${workflow.name} ${workflow.status}`);

  // 7. service: status running (the original's word for healthy)
  const service = await adminApi.services.register({
    path: path({ service: 'user_service' }),
    body: { type: 'microservice', status: 'running', heartbeat_ttl: '1m' },
  });
  log('service', `${service.name} ${service.type}: registered running, answered ${service.status}`);

  // 8. resource: capacity 100 with 50 used outside leases, so leases get the other 50
  const pool = await adminApi.resources.define({
    path: path({ resource: 'database_connection' }),
    body: { type: 'connection', capacity: 100, used: 50 },
  });
  const lease = await adminApi.resources.acquire({
    path: path({ resource: 'database_connection' }),
    body: { holder_id: 'user_service', amount: 50, ttl: '90s' },
  });
  const refused = await adminApi.resources
    .acquire({
      path: path({ resource: 'database_connection' }),
      body: { holder_id: 'user_service', amount: 1, ttl: 60 },
    })
    .then(
      () => 'granted',
      (error) => (error instanceof InsufficientCapacityError ? error.code : error),
    );
  if (refused !== 'INSUFFICIENT_CAPACITY') throw new Error(`a 51st lease was ${refused}`);
  await adminApi.resources.release({
    path: path({ resource: 'database_connection', lease: lease.id }),
  });
  log(
    'resource',
    `${pool.name}: capacity ${pool.capacity}, used ${pool.used}; leased 50, the next 1 refused (${refused})`,
  );

  // 9. task: process_payment, done by the worker
  const task = await c.colleague1.api.tasks.submit({
    path: path(),
    body: { name: 'process_payment', type: 'computation', priority: 1, data: { amount: 42 } },
  });
  const done = await until(
    () => adminApi.tasks.get({ path: path({ id: task.id }) }),
    (t) => t.status === 'completed',
    'task',
  );
  log('task', `${done.name} ${done.status} ${json(done.result)}`);

  // 10. job: daily_report every midnight
  const job = await adminApi.jobs.schedule({
    path: path({ job: 'daily_report' }),
    body: { type: 'scheduled', schedule: '0 0 * * *' },
  });
  log('job', `${job.name} (${job.schedule}) next run ${job.next_run_at}`);

  await Promise.all(Object.values(c).map((client) => client.close()));
  log('done', 'all ten kinds worked');
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  process.exit(1);
});
