#!/usr/bin/env node
// Three colleagues of one mediator, on @mediator/client (libs/client, built with
// `npm run client:build`): a web shop, billing and shipping.
//
//   JWT_SECRET=<the service's secret> node examples/shop.js
//
// 1. a message   web → shipping       "gift wrap, please"            (send / onMessage)
// 2. a command   web → billing        charge the order, get a receipt (request / handle)
// 3. an event    billing → shipping   order_paid                      (publish / subscribe)
// 4. a task      shipping → shipping  ship_order, done by a worker    (api.tasks.submit / work)
// and the web shop watches the lifecycle event task_completed (on), then everyone disconnects.
//
// The tokens are minted here with the service's secret, as `npm run token` does: an admin token
// creates the mediator `shop` and registers the colleagues (both are kept when they exist), and
// each colleague gets a token bound to it. Env: MEDIATOR_URL (default http://localhost:8080),
// JWT_SECRET (required).
'use strict';
const { createHmac } = require('node:crypto');
const {
  ColleagueExistsError,
  MediatorClient,
  MediatorExistsError,
  createRestApi,
} = require('../libs/client/dist/index.cjs');

const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const secret = process.env.JWT_SECRET;
if (!secret) {
  console.error('usage: JWT_SECRET=<the service secret> node examples/shop.js');
  process.exit(2);
}
const MEDIATOR = 'shop';
const COLLEAGUES = [
  { id: 'web', name: 'Web shop', type: 'message' },
  { id: 'billing', name: 'Billing', type: 'command', handles: ['charge'] },
  { id: 'shipping', name: 'Shipping', type: 'task', subscriptions: ['order_paid'] },
];

/** An HS256 JWT valid for an hour (CONTRACT §2). */
function mint(claims) {
  const now = Math.floor(Date.now() / 1000);
  const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const colleagueToken = (id) =>
  mint({
    sub: `shop-example:${id}`,
    scope: 'messages:send messages:read mediators:read',
    mediator: MEDIATOR,
    colleague: id,
  });

/** Creates what the example needs; a second run finds it there. */
async function setUp() {
  const { api } = createRestApi(url, mint({ sub: 'shop-example:admin', scope: 'admin' }));
  await api.mediators.create({ body: { name: MEDIATOR } }).catch(unless(MediatorExistsError));
  for (const colleague of COLLEAGUES) {
    await api.colleagues
      .register({ path: { name: MEDIATOR }, body: colleague })
      .catch(unless(ColleagueExistsError));
  }
}

const unless = (ErrorClass) => (error) => {
  if (!(error instanceof ErrorClass)) throw error;
};

const join = (colleague) =>
  MediatorClient.connect(url, { token: colleagueToken(colleague), mediator: MEDIATOR, colleague });

async function main() {
  await setUp();
  const [web, billing, shipping] = await Promise.all(COLLEAGUES.map((c) => join(c.id)));
  const orderId = `o-${Date.now()}`;

  shipping.onMessage((message) =>
    console.log(`shipping  got a message: ${JSON.stringify(message.payload)}`),
  );

  billing.handle('charge', async ({ order_id, total }) => {
    console.log(`billing   charges ${total} for ${order_id}`);
    await billing.publish('order_paid', { order_id, total });
    return { receipt: `r-${order_id}`, total };
  });

  shipping.subscribe('order_paid', async ({ order_id }) => {
    console.log(`shipping  heard order_paid for ${order_id}: queues a ship_order task`);
    await shipping.api.tasks.submit({
      path: { name: MEDIATOR },
      body: { name: `ship ${order_id}`, type: 'ship_order', priority: 5, data: { order_id } },
    });
  });

  shipping.work('ship_order', async (task) => {
    console.log(`shipping  ships ${task.data.order_id}`);
    return { tracking: `t-${task.data.order_id}` };
  });

  const shipped = new Promise((resolve) => {
    web.on('task_completed', (event) => {
      if (event.data.type === 'ship_order') resolve(event.data);
    });
  });

  await web.send(
    'shipping',
    { order_id: orderId, note: 'gift wrap, please' },
    { type: 'order_note' },
  );
  const receipt = await web.request(
    'charge',
    { order_id: orderId, total: 42 },
    { timeoutMs: 5000 },
  );
  console.log(`web       got the receipt ${JSON.stringify(receipt)}`);
  const task = await shipped;
  console.log(`web       saw task_completed for task ${task.id}`);

  await Promise.all([web.close(), billing.close(), shipping.close()]);
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}${error.code ? ` (${error.code})` : ''}`);
  process.exit(1);
});
