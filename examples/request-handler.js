#!/usr/bin/env node
// A handler colleague for commands and queries (KINDS.md), on @mediator/client (build it first:
// `npm run client:build`).
//
//   TOKEN=<token bound to the handler colleague> node examples/request-handler.js
//
// Keeps users in memory: the command `create_user` { email } answers { id, email }; the query
// `get_user` { id } answers the user. The client answers each request with the handler's result,
// or with the thrown error's `code` and `message`; the mediator and colleague come from the
// token's claims. Every delivery is printed as it arrived (the stored envelope); events are
// printed too. Env: MEDIATOR_URL (default http://localhost:8080).
'use strict';
const { MediatorClient } = require('../libs/client/dist/index.cjs');

const url = process.env.MEDIATOR_URL || 'http://localhost:8080';
const users = new Map();
const fail = (code, message) => Object.assign(new Error(message), { code });

async function main() {
  const me = await MediatorClient.connect(url, { token: process.env.TOKEN });
  console.log('connected');
  me.handle('create_user', (data, envelope) => {
    console.log(JSON.stringify(envelope));
    if (typeof data?.email !== 'string') throw fail('EMAIL_REQUIRED', 'email is required');
    const user = { id: `u-${users.size + 1}`, email: data.email };
    users.set(user.id, user);
    return user;
  });
  me.handle('get_user', (data, envelope) => {
    console.log(JSON.stringify(envelope));
    const user = users.get(data?.id);
    if (!user) throw fail('USER_NOT_FOUND', `no user ${data?.id}`);
    return user;
  });
  me.subscribe('*', (_data, event) => console.log(JSON.stringify(event)));
  me.onMessage((message) => console.log(JSON.stringify(message)));
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
