#!/usr/bin/env node
// A Socket.IO colleague of the mediator service (CONTRACT §5), in plain CommonJS.
//
//   TOKEN=<colleague-bound token> node examples/ws-client.js <mediator> [--reply] [--refuse]
//                                                           [--exit-after N]
//
// It connects with the token, subscribes to the mediator's lifecycle events, prints every event,
// acknowledges every `message` delivery (that sets its status to `acked`) and, with --reply, answers
// each delivery over the socket with a `send` back to its sender. With --refuse it refuses every
// delivery (`{ ok: false, error }`): the service sends it again after a backoff, and after
// `retry_count` retries the delivery is `dead`. Env: MEDIATOR_URL (default
// http://localhost:8080), WS_PATH (default /ws).
'use strict';
const { parseArgs } = require('node:util');
const { io } = require('socket.io-client');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reply: { type: 'boolean', default: false },
    refuse: { type: 'boolean', default: false },
    'exit-after': { type: 'string' },
  },
});
const mediator = positionals[0];
const token = process.env.TOKEN;
if (!mediator || !token) {
  console.error(
    'usage: TOKEN=<token> node examples/ws-client.js <mediator> [--reply] [--refuse] [--exit-after N]',
  );
  process.exit(2);
}
const exitAfter = values['exit-after'] === undefined ? Infinity : Number(values['exit-after']);
const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const print = (label, value) => console.log(`${label} ${JSON.stringify(value)}`);

const socket = io(url, { path: process.env.WS_PATH || '/ws', auth: { token } });
let deliveries = 0;

socket.on('connect', () => {
  print('connected', { id: socket.id });
  socket.emit('subscribe', { mediator }, (result) => print('subscribe ->', result));
});

socket.on('connect_error', (error) => {
  // `unauthorized` for a missing, invalid or expired token: retrying will not help.
  console.error(`connect_error: ${error.message}`);
  if (error.message === 'unauthorized') process.exit(1);
});

// A delivery to this colleague: the envelope. `ack({ ok: true })` acknowledges it; `{ ok: false }`
// refuses it (sent again after a backoff); without an answer it is sent again after the ack
// timeout, or on the next connect.
socket.on('message', (envelope, ack) => {
  print('message', envelope);
  if (values.refuse) {
    ack({ ok: false, error: { code: 'REFUSED', message: 'ws-client --refuse' } });
    return;
  }
  ack({ ok: true });
  deliveries += 1;
  if (values.reply && envelope.type !== 'reply') {
    const reply = {
      mediator: envelope.mediator,
      recipient_id: envelope.sender_id,
      message: { in_reply_to: envelope.id },
      type: 'reply',
    };
    socket.emit('send', reply, (result) => print('send ->', result));
  }
  if (deliveries >= exitAfter) setTimeout(() => socket.close(), 200);
});

// Lifecycle events (`mediator_created`, `colleague_registered`, `message_sent`, …): one event
// name each, payload `{ id, event, mediator, data, timestamp }`.
socket.onAny((event, payload) => {
  if (event !== 'message') print('event', payload);
});

socket.on('disconnect', (reason) => {
  print('disconnected', { reason });
  if (reason === 'io client disconnect' || reason === 'io server disconnect') process.exit(0);
});

process.on('SIGINT', () => socket.close());
