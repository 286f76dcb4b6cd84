#!/usr/bin/env node
// A Socket.IO handler colleague for notifications and workflow steps (KINDS.md), in plain CommonJS.
//
//   TOKEN=<colleague-bound token> node examples/step-handler.js [--fail TYPE] [--exit-after N]
//
// Every request (`message` delivery whose kind is notification or workflow) is printed and
// answered with the ack callback: `{ ok: true, result }`, or `{ ok: false, error }` for the type
// given with --fail. Env: MEDIATOR_URL (default http://localhost:8080).
'use strict';
const { parseArgs } = require('node:util');
const { io } = require('socket.io-client');

const { values } = parseArgs({
  options: { fail: { type: 'string' }, 'exit-after': { type: 'string' } },
});
const exitAfter = values['exit-after'] === undefined ? Infinity : Number(values['exit-after']);
const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const socket = io(url, { path: '/ws', auth: { token: process.env.TOKEN } });
let handled = 0;

socket.on('connect', () => console.log('connected'));
socket.on('connect_error', (error) => {
  console.error(`connect_error: ${error.message}`);
  process.exit(1);
});
socket.on('message', (request, ack) => {
  const { kind, type, payload } = request;
  console.log(`${kind} ${type} ${JSON.stringify(payload)}`);
  if (type === values.fail) {
    ack({ ok: false, error: { code: 'STEP_FAILED', message: `${type} is down` } });
  } else {
    ack({ ok: true, result: { done: type } });
  }
  if (++handled >= exitAfter) setTimeout(() => process.exit(0), 100);
});
