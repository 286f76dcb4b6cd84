#!/usr/bin/env node
// A Socket.IO handler colleague for commands and queries (KINDS.md), in plain CommonJS.
//
//   TOKEN=<token bound to the handler colleague> node examples/request-handler.js
//
// Keeps users in memory: the command `create_user` { email } answers { id, email }; the query
// `get_user` { id } answers the user. A request arrives as a `message` delivery (the stored
// envelope: id, kind, type, sender_id, payload, correlation_id, …) and is answered with the ack
// callback: { ok: true, result } or { ok: false, error: { code, message } }. Events (kind
// `event`) are printed and acked with { ok: true }. Env: MEDIATOR_URL (default
// http://localhost:8080).
'use strict';
const { io } = require('socket.io-client');

const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const socket = io(url, { path: '/ws', auth: { token: process.env.TOKEN } });
const users = new Map();

const handlers = {
  create_user({ email }) {
    if (typeof email !== 'string')
      throw Object.assign(new Error('email is required'), { code: 'EMAIL_REQUIRED' });
    const user = { id: `u-${users.size + 1}`, email };
    users.set(user.id, user);
    return user;
  },
  get_user({ id }) {
    const user = users.get(id);
    if (!user) throw Object.assign(new Error(`no user ${id}`), { code: 'USER_NOT_FOUND' });
    return user;
  },
};

socket.on('connect', () => console.log('connected'));
socket.on('connect_error', (error) => {
  console.error(`connect_error: ${error.message}`);
  process.exit(1);
});
socket.on('message', (envelope, ack) => {
  console.log(JSON.stringify(envelope));
  const handle = handlers[envelope.type];
  if (envelope.kind === 'event' || !handle) return ack({ ok: true });
  try {
    ack({ ok: true, result: handle(envelope.payload) });
  } catch (error) {
    ack({ ok: false, error: { code: error.code || 'HANDLER_FAILED', message: error.message } });
  }
});
