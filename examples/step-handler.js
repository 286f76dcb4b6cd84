#!/usr/bin/env node
// A handler colleague for notifications and workflow steps (KINDS.md), on @mediator/client
// (build it first: `npm run client:build`).
//
//   TOKEN=<colleague-bound token> node examples/step-handler.js [--fail TYPE] [--exit-after N]
//
// Every request delivered to the colleague, whatever its type (`handle('*')`), is printed and
// answered with `{ done: TYPE }`; the type given with --fail is answered with the error
// STEP_FAILED. Env: MEDIATOR_URL (default http://localhost:8080).
'use strict';
const { parseArgs } = require('node:util');
const { MediatorClient } = require('../libs/client/dist/index.cjs');

const { values } = parseArgs({
  options: { fail: { type: 'string' }, 'exit-after': { type: 'string' } },
});
const exitAfter = values['exit-after'] === undefined ? Infinity : Number(values['exit-after']);
const url = process.env.MEDIATOR_URL || 'http://localhost:8080';

async function main() {
  const me = await MediatorClient.connect(url, { token: process.env.TOKEN });
  console.log('connected');
  let handled = 0;
  me.handle('*', (payload, { kind, type }) => {
    console.log(`${kind} ${type} ${JSON.stringify(payload)}`);
    if (++handled >= exitAfter) setTimeout(() => me.close(), 100);
    if (type === values.fail) {
      throw Object.assign(new Error(`${type} is down`), { code: 'STEP_FAILED' });
    }
    return { done: type };
  });
}

main().catch((error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
