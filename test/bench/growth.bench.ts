/**
 * How the cost of a send grows with the work (issue 8, goal 6). Every row is compared with the
 * reference: the durable `POST …/messages` at 10 connections on an empty database, recipient
 * connected over Socket.IO and acking.
 *
 * - connections 1 / 10 / 50 / 200;
 * - payload 100 B / 10 KB / 512 KB;
 * - a mediator with 10 / 10,000 colleagues;
 * - 1,000,000 messages already stored: the send, and an inbox page against an inbox page on the
 *   empty database (goal: both within 1.5 ×);
 * - a broadcast to 1,000 connected colleagues: the p99 of every delivery (goal ≤ 50 ms);
 * - 10,000 idle Socket.IO connections on one instance: resident memory per connection
 *   (goal ≤ 30 KB).
 *
 * Seeding (1,000,000 messages, 10,000 colleagues) stops the service and copies template rows in
 * its SQLite file (support/seed.ts), then starts it again on the same file.
 *
 *   npm run bench -- growth              (opt-in: minutes, and ~1 GB of memory for the clients)
 *   BENCH_QUICK=1 npm run bench -- growth   (smoke: small counts, 2 s runs)
 *   BENCH_GROWTH_ROWS=broadcast,idle npm run bench -- growth   (only those groups)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as load from './support/load';
import { connectSocket, QUICK, Recipient } from './support/load';
import {
  ADMIN,
  buildOnce,
  call,
  colleagueToken,
  createMediator,
  type RunningService,
  startBaseline,
  startService,
} from './support/processes';
import {
  figuresTable,
  type GrowthRow,
  growthTable,
  machineLine,
  newSection,
  writeSection,
} from './support/results';
import { copyRows, pastIds } from './support/seed';

const count = (full: number, quick: number) =>
  Number(process.env.BENCH_GROWTH_SCALE ?? 1) * (QUICK ? quick : full);
const STORED = count(1_000_000, 20_000);
const MANY_COLLEAGUES = count(10_000, 1_000);
const BROADCAST_TO = count(1_000, 100);
const IDLE = count(10_000, 500);
const BROADCAST_RATE = Number(process.env.BENCH_BROADCAST_RATE ?? (QUICK ? 2 : 5));
const CONFIG = { max_colleagues: 20_000, server: { body_limit: 2 * 1024 * 1024 } };
const GROUPS = ['connections', 'payload', 'colleagues', 'stored', 'broadcast', 'idle'];
/** BENCH_GROWTH_ROWS: the groups to run (all by default); the reference only when a row needs it. */
const SELECTED = (process.env.BENCH_GROWTH_ROWS ?? GROUPS.join(','))
  .split(',')
  .map((g) => g.trim());
const unknown = SELECTED.filter((g) => !GROUPS.includes(g));
if (unknown.length > 0)
  throw new Error(`BENCH_GROWTH_ROWS: unknown ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
const runs = (group: string) => SELECTED.includes(group);
const SEEDED = runs('stored') || runs('colleagues');
const NEEDS_REFERENCE = SEEDED || runs('connections') || runs('payload');

const rows: GrowthRow[] = [];
const figures: load.Figures[] = [];

const step = (what: string) => process.stderr.write(`  ${what}\n`);

function row(group: string, name: string, f: load.Figures, ref: load.Figures, goal?: string) {
  figures.push(f);
  rows.push({
    group,
    row: name,
    metric: 'req/s',
    value: f.rps,
    reference: ref.rps,
    relative: f.rps / ref.rps,
    goal,
    figures: f,
    note: `p99 ${f.p99Ms} ms (reference ${ref.p99Ms} ms); CPU ${f.cpuUsPerRequest.toFixed(0)} µs/req`,
  });
}

/** A send from `sender` to `recipient` of `mediator`, with `message` as payload. */
function send(url: string, mediator: string, sender: string, recipient: string, message: unknown) {
  return {
    url: `${url}/api/v1/mediators/${mediator}/messages`,
    method: 'POST' as const,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${colleagueToken(mediator, sender)}`,
    },
    body: JSON.stringify({ sender_id: sender, recipient_id: recipient, message }),
  };
}

const inboxPage = (url: string, mediator: string, colleague: string) => ({
  url: `${url}/api/v1/mediators/${mediator}/colleagues/${colleague}/messages?status=pending&limit=50`,
  headers: { authorization: `Bearer ${colleagueToken(mediator, colleague)}` },
});

const SMALL = { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] };
const payloadOf = (bytes: number) => ({ data: 'x'.repeat(Math.max(0, bytes - 11)) });

async function warm(service: RunningService, target: load.HttpTarget) {
  await load.http('warm-up', service, target, { connections: 10, seconds: load.WARMUP_SECONDS });
}

/** Phase 1, empty database: reference, connections, payload, 10 colleagues, broadcast, idle. */
async function emptyDatabase(service: RunningService) {
  const url = service.url;
  await createMediator(url, 'bench', ['sender', 'recipient', 'archive', 'idle']);
  await createMediator(
    url,
    'small',
    Array.from({ length: 10 }, (_, i) => `c${i}`),
  );
  await createMediator(url, 'large', ['sender', 'recipient', 'template'], 20_000);
  const recipients = await Promise.all([
    Recipient.connect(url, { token: colleagueToken('bench', 'recipient') }),
    Recipient.connect(url, { token: colleagueToken('small', 'c1') }),
  ]);
  try {
    if (!NEEDS_REFERENCE) {
      await broadcastAndIdle(service, undefined);
      return undefined;
    }
    // A full inbox page on the "empty" database: 100 pending messages for `archive`.
    for (let i = 0; i < 100; i++)
      await call(url, colleagueToken('bench', 'sender'), 'POST', '/mediators/bench/messages', {
        sender_id: 'sender',
        recipient_id: 'archive',
        message: SMALL,
      });
    const reference = send(url, 'bench', 'sender', 'recipient', SMALL);
    await warm(service, reference);
    // The reference every row is compared with: the median of ROUNDS runs.
    const refs: load.Figures[] = [];
    for (let round = 0; round < load.ROUNDS; round++)
      refs.push(
        await load.http('reference: send, 10 connections, empty database', service, reference, {
          connections: 10,
          recipients: [recipients[0]],
        }),
      );
    const ref = load.medianRun(refs);
    figures.push(ref);
    const inbox = await load.http(
      'inbox page, empty database',
      service,
      inboxPage(url, 'bench', 'archive'),
      {
        connections: 10,
      },
    );
    figures.push(inbox);

    if (runs('connections')) step('connections…');
    for (const connections of runs('connections') ? [1, 10, 50, 200] : []) {
      const f =
        connections === 10
          ? ref
          : await load.http(`send, ${connections} connections`, service, reference, {
              connections,
              recipients: [recipients[0]],
            });
      row('connections', `${connections}`, f, ref);
    }
    if (runs('payload')) step('payloads…');
    const payloads = [
      ['100 B', 100],
      ['10 KB', 10 * 1024],
      ['512 KB', 512 * 1024],
    ] as const;
    for (const [label, bytes] of runs('payload') ? payloads : []) {
      const f = await load.http(
        `send, payload ${label}`,
        service,
        send(url, 'bench', 'sender', 'recipient', payloadOf(bytes)),
        { connections: 10, recipients: [recipients[0]] },
      );
      row('payload', label, f, ref);
    }
    if (runs('colleagues')) {
      const small = await load.http(
        'send, mediator with 10 colleagues',
        service,
        send(url, 'small', 'c0', 'c1', SMALL),
        { connections: 10, recipients: [recipients[1]] },
      );
      row('colleagues', '10', small, ref);
    }
    await broadcastAndIdle(service, ref);
    return { ref, inbox };
  } finally {
    recipients.forEach((r) => r.close());
  }
}

async function broadcastAndIdle(service: RunningService, ref: load.Figures | undefined) {
  if (runs('broadcast')) {
    step(`broadcast to ${BROADCAST_TO}…`);
    await broadcast(service, ref);
  }
  if (runs('idle')) {
    step(`${IDLE} idle connections…`);
    await idleConnections(service);
  }
}

/** Every delivery of broadcasts to BROADCAST_TO connected colleagues, at a fixed rate. */
async function broadcast(service: RunningService, ref: load.Figures | undefined) {
  const url = service.url;
  const ids = Array.from({ length: BROADCAST_TO }, (_, i) => `f${i}`);
  await createMediator(url, 'fan', ['announcer'], BROADCAST_TO + 10);
  const admin = ADMIN();
  for (const id of ids)
    await call(url, admin, 'POST', '/mediators/fan/colleagues', { id, name: id, type: 'message' });
  const listeners: Recipient[] = [];
  try {
    for (let i = 0; i < ids.length; i += 100)
      listeners.push(
        ...(await Promise.all(
          ids
            .slice(i, i + 100)
            .map((id) => Recipient.connect(url, { token: colleagueToken('fan', id) })),
        )),
      );
    const target = {
      url: `${url}/api/v1/mediators/fan/broadcast`,
      method: 'POST' as const,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${colleagueToken('fan', 'announcer')}`,
      },
      body: JSON.stringify({ sender_id: 'announcer', message: SMALL }),
    };
    const f = await load.http(
      `broadcast to ${BROADCAST_TO} connected colleagues`,
      service,
      target,
      {
        connections: 1,
        rate: BROADCAST_RATE,
        recipients: listeners,
      },
    );
    figures.push(f);
    const p99 = f.deliveries?.p99Ms ?? NaN;
    rows.push({
      group: 'broadcast',
      row: `${BROADCAST_TO} connected colleagues, ${BROADCAST_RATE}/s`,
      metric: 'delivery p99 ms',
      value: p99,
      reference: ref?.deliveries?.p99Ms ?? NaN,
      relative: p99 / (ref?.deliveries?.p99Ms ?? NaN),
      goal: 'p99 ≤ 50 ms',
      figures: f,
      note: `${f.deliveries?.count ?? 0} deliveries of ${f.ok} broadcasts; reference: delivery p99 of the 10-connection send`,
    });
  } finally {
    listeners.forEach((l) => l.close());
  }
  await bareBroadcast(ref);
}

/**
 * The same broadcast load against a bare Socket.IO server (baseline-server.ts, no storage, auth
 * or audit): how much of the delivery p99 the fan-out and this machine's clients cost on their own.
 */
async function bareBroadcast(ref: load.Figures | undefined) {
  const relay = await startBaseline('socketio');
  const listeners: Recipient[] = [];
  try {
    for (let i = 0; i < BROADCAST_TO; i += 100)
      listeners.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, BROADCAST_TO - i) }, (_, j) =>
            Recipient.connect(relay.url, { colleague: `f${i + j}` }),
          ),
        )),
      );
    const f = await load.http(
      `bare Socket.IO broadcast to ${BROADCAST_TO}`,
      relay,
      {
        url: `${relay.url}/api/v1/mediators/fan/broadcast`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sender_id: 'announcer', message: SMALL }),
      },
      { connections: 1, rate: BROADCAST_RATE, recipients: listeners },
    );
    figures.push(f);
    const p99 = f.deliveries?.p99Ms ?? NaN;
    rows.push({
      group: 'broadcast',
      row: `bare Socket.IO server (baseline), ${BROADCAST_TO} connected, ${BROADCAST_RATE}/s`,
      metric: 'delivery p99 ms',
      value: p99,
      reference: ref?.deliveries?.p99Ms ?? NaN,
      relative: p99 / (ref?.deliveries?.p99Ms ?? NaN),
      figures: f,
      note: `${f.deliveries?.count ?? 0} deliveries of ${f.ok} broadcasts, no storage: the fan-out's own floor here`,
    });
  } finally {
    listeners.forEach((l) => l.close());
    await relay.stop();
  }
}

/** Resident memory per idle Socket.IO connection: RSS before and after IDLE connections. */
async function idleConnections(service: RunningService) {
  const settle = () => new Promise((r) => setTimeout(r, 3000));
  await settle();
  const before = service.rssBytes();
  // A colleague with nothing pending: a connection redelivers its colleague's pending messages.
  const auth = { token: colleagueToken('bench', 'idle') };
  const sockets: Awaited<ReturnType<typeof connectSocket>>[] = [];
  try {
    for (let i = 0; i < IDLE; i += 250)
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(250, IDLE - i) }, () => connectSocket(service.url, auth)),
        )),
      );
    await settle();
    const after = service.rssBytes();
    const perConnection = (after - before) / IDLE / 1024;
    rows.push({
      group: 'idle Socket.IO',
      row: `${IDLE} connections`,
      metric: 'KB RSS per connection',
      value: perConnection,
      reference: before / 1024 / 1024,
      relative: NaN,
      goal: '≤ 30 KB',
      note: `RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB (reference column: MiB before)`,
    });
  } finally {
    sockets.forEach((s) => s.close());
  }
}

/** Phase 2: stop, copy rows (stored messages, colleagues), start again on the same file. */
async function seed(service: RunningService, file: string): Promise<void> {
  const url = service.url;
  const template = (await call(
    url,
    colleagueToken('bench', 'sender'),
    'POST',
    '/mediators/bench/messages',
    {
      sender_id: 'sender',
      recipient_id: 'archive',
      message: SMALL,
      idempotency_key: `seed-${randomUUID()}`,
    },
  )) as { id: string };
  await service.stop();
  process.stderr.write(`  seeding ${STORED} messages and ${MANY_COLLEAGUES} colleagues…\n`);
  const t0 = Date.now();
  copyRows(file, template.id, pastIds(STORED), [
    { table: 'messages', keyColumn: 'id', nullColumns: ['idempotency_key'] },
    { table: 'message_recipients', keyColumn: 'message_id' },
  ]);
  copyRows(
    file,
    'template',
    Array.from({ length: MANY_COLLEAGUES - 3 }, (_, i) => `m${i}`),
    [{ table: 'colleagues', keyColumn: 'id', where: { sql: 'mediator = ?', values: ['large'] } }],
  );
  process.stderr.write(`  seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  buildOnce();
  const section = newSection('growth');
  const dir = mkdtempSync(join(tmpdir(), 'mediator-growth-'));
  const file = join(dir, 'growth.sqlite');
  let service = await startService({ config: CONFIG, sqlitePath: file });
  try {
    process.stderr.write('phase 1: empty database…\n');
    const phase1 = await emptyDatabase(service);
    if (phase1 && SEEDED) await phase2(phase1.ref, phase1.inbox);
    section.growth = rows;
    section.settings = {
      ...section.settings,
      rows: SELECTED,
      stored: STORED,
      manyColleagues: MANY_COLLEAGUES,
      broadcastTo: BROADCAST_TO,
      broadcastRate: BROADCAST_RATE,
      idle: IDLE,
    };
    writeSection(section);
    console.log(
      [machineLine(section), '', growthTable(rows), '', figuresTable(figures)].join('\n'),
    );
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  /** The seeded database: stored messages and the mediator with many colleagues. */
  async function phase2(ref: load.Figures, inbox: load.Figures): Promise<void> {
    await seed(service, file);
    process.stderr.write('phase 2: seeded database…\n');
    service = await startService({ config: CONFIG, sqlitePath: file });
    const recipients = await Promise.all([
      Recipient.connect(service.url, { token: colleagueToken('bench', 'recipient') }),
      Recipient.connect(service.url, { token: colleagueToken('large', 'recipient') }),
    ]);
    try {
      if (runs('stored')) await storedMessages(service, ref, inbox, recipients[0]);
      if (runs('colleagues'))
        row(
          'colleagues',
          MANY_COLLEAGUES.toLocaleString('en'),
          await load.http(
            `send, mediator with ${MANY_COLLEAGUES} colleagues`,
            service,
            send(service.url, 'large', 'sender', 'recipient', SMALL),
            { connections: 10, recipients: [recipients[1]] },
          ),
          ref,
        );
    } finally {
      recipients.forEach((r) => r.close());
    }
  }
}

/** STORED messages already stored: the send, and an inbox page against the empty database's. */
async function storedMessages(
  service: RunningService,
  ref: load.Figures,
  inbox: load.Figures,
  recipient: Recipient,
): Promise<void> {
  const stored = send(service.url, 'bench', 'sender', 'recipient', SMALL);
  await warm(service, stored);
  row(
    'stored messages',
    `${STORED.toLocaleString('en')}: send`,
    await load.http(`send, ${STORED} stored`, service, stored, {
      connections: 10,
      recipients: [recipient],
    }),
    ref,
    'within 1.5 ×',
  );
  const page = await load.http(
    `inbox page, ${STORED} stored`,
    service,
    inboxPage(service.url, 'bench', 'archive'),
    { connections: 10 },
  );
  figures.push(page);
  rows.push({
    group: 'stored messages',
    row: `${STORED.toLocaleString('en')}: inbox page (50)`,
    metric: 'req/s',
    value: page.rps,
    reference: inbox.rps,
    relative: page.rps / inbox.rps,
    goal: 'within 1.5 ×',
    figures: page,
    note: `reference: the inbox page on the empty database (${inbox.rps.toFixed(0)} req/s); p99 ${page.p99Ms} ms`,
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
