/**
 * The durable send on MariaDB + Redis (issue 8, goal 5: ≥ 0.25 × a bare Fastify POST), in
 * alternating rounds against the bare Fastify baseline, then at a fixed 70 % of its own maximum;
 * then the floor (support/floor.ts: the same durable work by hand on MariaDB, no framework, no
 * Redis) against the bare POST and the service against the floor.
 * The service runs on a database of its own (`mediator_bench`, dropped afterwards), the floor on
 * `mediator_bench_floor`, and the service on a Redis key prefix of its own, so the servers can be
 * shared.
 *
 *   eval "$(deploy/local/up.sh mysql redis)"
 *   npm run bench -- mariadb
 */
import { createConnection } from 'mysql2/promise';
import * as load from './support/load';
import { Recipient, WARMUP_SECONDS } from './support/load';
import {
  buildOnce,
  colleagueToken,
  createMediator,
  startBaseline,
  startService,
} from './support/processes';
import {
  comparisonTable,
  figuresTable,
  machineLine,
  newSection,
  writeSection,
} from './support/results';

const DATABASE = process.env.BENCH_MYSQL_DATABASE ?? 'mediator_bench';
const FLOOR_DATABASE = 'mediator_bench_floor';
const MEDIATOR = 'bench';
const MESSAGE = { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] };

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `the MariaDB benchmark needs ${name}: eval "$(deploy/local/up.sh mysql redis)"`,
    );
  return value;
}

async function withServer(run: (sql: (q: string) => Promise<unknown>) => Promise<void>) {
  const connection = await createConnection({
    host: required('MYSQL_HOST'),
    port: Number(process.env.MYSQL_PORT ?? 3306),
    user: required('MYSQL_USERNAME'),
    password: process.env.MYSQL_PASSWORD ?? '',
  });
  try {
    await run((q) => connection.query(q));
  } finally {
    await connection.end();
  }
}

async function main(): Promise<void> {
  required('REDIS_HOST');
  buildOnce();
  const section = newSection('mariadb');
  await withServer(async (sql) => {
    await sql(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
    await sql(`CREATE DATABASE \`${DATABASE}\``);
  });
  const service = await startService({
    env: { MYSQL_DATABASE: DATABASE },
    config: { database: { redis: { key_prefix: `mediator-bench-${process.pid}:` } } },
  });
  const fastify = await startBaseline('fastify');
  const floor = await startBaseline('floor', {
    FLOOR_STORE: 'mysql',
    BENCH_FLOOR_DATABASE: FLOOR_DATABASE,
  });
  let recipient: Recipient | undefined;
  let floorRecipient: Recipient | undefined;
  try {
    await createMediator(service.url, MEDIATOR, ['sender', 'recipient']);
    recipient = await Recipient.connect(service.url, {
      token: colleagueToken(MEDIATOR, 'recipient'),
    });
    const body = JSON.stringify({
      sender_id: 'sender',
      recipient_id: 'recipient',
      message: MESSAGE,
    });
    const json = { 'content-type': 'application/json' };
    const servicePost: load.HttpTarget = {
      url: `${service.url}/api/v1/mediators/${MEDIATOR}/messages`,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${colleagueToken(MEDIATOR, 'sender')}` },
      body,
    };
    const barePost: load.HttpTarget = {
      url: `${fastify.url}/api/v1/mediators/${MEDIATOR}/messages`,
      method: 'POST',
      headers: json,
      body,
    };
    const floorPost: load.HttpTarget = {
      ...barePost,
      url: `${floor.url}/api/v1/mediators/${MEDIATOR}/messages`,
    };
    floorRecipient = await Recipient.connect(floor.url, { colleague: 'recipient' });
    const floorRun = (name: string, options?: { seconds: number }) =>
      load.http(name, floor, floorPost, { recipients: [floorRecipient!], ...options });
    const warm = { seconds: WARMUP_SECONDS };
    process.stderr.write('running…\n');
    const send = await load.compare(
      'POST /messages on MariaDB + Redis vs bare Fastify POST',
      0.25,
      () =>
        load.http('service POST /messages (MariaDB + Redis)', service, servicePost, {
          recipients: [recipient!],
        }),
      () => load.http('bare Fastify POST (JSON → 202)', fastify, barePost),
      {
        service: () => load.http('warm-up', service, servicePost, warm),
        baseline: () => load.http('warm-up', fastify, barePost, warm),
      },
    );
    const fixed = await load.http('service POST /messages at 70 % of max', service, servicePost, {
      rate: Math.max(1, Math.round(0.7 * send.service.rps)),
      recipients: [recipient],
    });
    const floorVsBare = await load.compare(
      'floor on MariaDB (by hand, no framework) vs bare Fastify POST',
      0.25,
      () => floorRun('floor POST /messages on MariaDB (by hand)'),
      () => load.http('bare Fastify POST (JSON → 202)', fastify, barePost),
      {
        service: () => floorRun('warm-up', warm),
        baseline: () => load.http('warm-up', fastify, barePost, warm),
      },
    );
    const serviceVsFloor = await load.compare(
      'POST /messages on MariaDB + Redis vs its floor by hand',
      undefined,
      () =>
        load.http('service POST /messages (MariaDB + Redis)', service, servicePost, {
          recipients: [recipient!],
        }),
      () => floorRun('floor POST /messages on MariaDB (by hand)'),
      {
        service: () => load.http('warm-up', service, servicePost, warm),
        baseline: () => floorRun('warm-up', warm),
      },
    );
    const comparisons = [send, floorVsBare, serviceVsFloor];
    section.comparisons = comparisons;
    section.fixedRate = [fixed];
    writeSection(section);
    console.log(
      [
        machineLine(section),
        '',
        figuresTable([
          ...comparisons.flatMap((c) => [c.service, c.baseline]).slice(0, 2),
          fixed,
          ...comparisons.slice(1).flatMap((c) => [c.service, c.baseline]),
        ]),
        '',
        comparisonTable(comparisons),
      ].join('\n'),
    );
  } finally {
    recipient?.close();
    floorRecipient?.close();
    await Promise.all([service.stop(), fastify.stop(), floor.stop()]);
    await withServer(async (sql) => {
      for (const database of [DATABASE, FLOOR_DATABASE])
        await sql(`DROP DATABASE IF EXISTS \`${database}\``);
    });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
