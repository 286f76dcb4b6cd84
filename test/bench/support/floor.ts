/**
 * The floor of goals 1, 4 and 5: the least work a durable send names, by hand, with no framework,
 * so that `service ÷ floor` is what the service's own layers cost and `floor ÷ bare POST` the best
 * ratio any implementation of the contract's send could reach on this machine.
 *
 * Per send, as the service: parse the JSON body; in one group commit (what arrives while a commit
 * runs joins the next one) insert the message, the recipient's copy (`delivered`), the outbox event
 * and the audit entry, each table with one multi-row INSERT; answer 202 with the envelope; in the
 * next turn push it over Socket.IO to the recipient's room with an ack; write the ack (an UPDATE)
 * and delete the published outbox row in a later group commit. Over Socket.IO, `send` does the
 * same and acks the sender once committed. Ids are time-ordered (UUID v7), as the service's, so
 * inserts land on the indexes' last pages. Left out, though the service must do them:
 * authentication, rate limits, validation, metrics, idempotency keys, redelivery timers.
 *
 * The store is SQLite (better-sqlite3, WAL, `synchronous = NORMAL`, in a temp dir) or, with
 * `FLOOR_STORE=mysql`, MariaDB through mysql2 (`MYSQL_*`, database `BENCH_FLOOR_DATABASE`), one commit
 * at a time as the service's (`FLOOR_COMMITS_IN_FLIGHT` allows more: with 4 on this VM, InnoDB
 * deadlocks between them and the floor halves).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { createConnection, createPool } from 'mysql2/promise';
import { Server } from 'socket.io';
import { UuidV7Generator } from '../../../libs/core/src/ids';

const COLUMNS = {
  messages:
    'id, mediator, kind, type, sender_id, recipient_id, payload, headers, correlation_id, idempotency_key, created_at',
  message_recipients: 'message_id, recipient_id, mediator, status, delivered_at, due_at',
  outbox: 'event_id, mediator, event, data, created_at',
  audit_entries: 'id, at, actor, transport, action, mediator, target, outcome, request_id, details',
};
type Table = keyof typeof COLUMNS;
const TABLES = Object.keys(COLUMNS) as Table[];

/** What one commit writes: rows per table, acks, published outbox rows. */
interface Batch {
  rows: Record<Table, unknown[][]>;
  acks: Array<[messageId: string, recipientId: string, at: string]>;
  published: number[];
}

/** Writes a batch in one transaction; answers the outbox seq of its first event row. */
type Commit = (batch: Batch) => Promise<number>;

const emptyBatch = (): Batch => ({
  rows: { messages: [], message_recipients: [], outbox: [], audit_entries: [] },
  acks: [],
  published: [],
});

function sqliteStore(): Commit {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'bench-floor-')), 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE messages (
      id varchar(36) PRIMARY KEY NOT NULL, mediator varchar(64) NOT NULL, kind varchar(32) NOT NULL,
      type varchar(128) NOT NULL, sender_id varchar(128) NOT NULL, recipient_id varchar(128),
      payload text NOT NULL, headers text NOT NULL, correlation_id varchar(128),
      idempotency_key varchar(255), created_at datetime NOT NULL);
    CREATE UNIQUE INDEX uq_messages_idempotency ON messages (mediator, sender_id, idempotency_key);
    CREATE TABLE message_recipients (
      message_id varchar(36) NOT NULL, recipient_id varchar(128) NOT NULL,
      mediator varchar(64) NOT NULL, status varchar(16) NOT NULL, delivered_at datetime,
      acked_at datetime, attempts integer NOT NULL DEFAULT 0, due_at bigint,
      PRIMARY KEY (message_id, recipient_id));
    CREATE INDEX idx_inbox ON message_recipients (mediator, recipient_id, status, message_id);
    CREATE INDEX idx_recipients_due ON message_recipients (due_at);
    CREATE TABLE outbox (
      seq integer PRIMARY KEY AUTOINCREMENT NOT NULL, event_id varchar(36) NOT NULL,
      mediator varchar(64) NOT NULL, event varchar(64) NOT NULL, data text NOT NULL,
      created_at datetime NOT NULL);
    CREATE TABLE audit_entries (
      id varchar(36) PRIMARY KEY NOT NULL, at datetime NOT NULL, actor varchar(255) NOT NULL,
      transport varchar(16) NOT NULL, action varchar(64) NOT NULL, mediator varchar(64),
      target varchar(255), outcome varchar(16) NOT NULL, request_id varchar(64),
      details text NOT NULL);
    CREATE INDEX idx_audit_at ON audit_entries (at);
    CREATE INDEX idx_audit_mediator_at ON audit_entries (mediator, at);
  `);
  // Prepared once per table and row count (a group commit carries at most a few hundred rows).
  const statements = new Map<string, Database.Statement>();
  const prepared = (key: string, sql: () => string) => {
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = db.prepare(sql())));
    return statement;
  };
  const write = db.transaction((batch: Batch): number => {
    let firstSeq = 0;
    for (const table of TABLES) {
      const rows = batch.rows[table];
      if (rows.length === 0) continue;
      const tuple = `(${rows[0].map(() => '?').join(', ')})`;
      const statement = prepared(
        `${table}:${rows.length}`,
        () => `INSERT INTO ${table} (${COLUMNS[table]}) VALUES ${rows.map(() => tuple).join(', ')}`,
      );
      const result = statement.run(rows.flat());
      if (table === 'outbox') firstSeq = Number(result.lastInsertRowid) - rows.length + 1;
    }
    const ack = prepared(
      'ack',
      () => `UPDATE message_recipients SET status = 'acked', acked_at = ?, due_at = NULL
               WHERE message_id = ? AND recipient_id = ? AND status <> 'acked'`,
    );
    for (const [messageId, recipientId, at] of batch.acks) ack.run(at, messageId, recipientId);
    if (batch.published.length > 0)
      prepared(
        `published:${batch.published.length}`,
        () => `DELETE FROM outbox WHERE seq IN (${batch.published.map(() => '?').join(', ')})`,
      ).run(batch.published);
    return firstSeq;
  });
  return (batch) => Promise.resolve(write(batch));
}

async function mysqlStore(): Promise<Commit> {
  const database = process.env.BENCH_FLOOR_DATABASE ?? 'mediator_bench_floor';
  const server = {
    host: process.env.MYSQL_HOST,
    port: Number(process.env.MYSQL_PORT ?? 3306),
    user: process.env.MYSQL_USERNAME,
    password: process.env.MYSQL_PASSWORD ?? '',
  };
  const admin = await createConnection(server);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\``);
  await admin.end();
  const pool = createPool({ ...server, database, connectionLimit: 4 });
  for (const ddl of [
    `CREATE TABLE messages (
       id varchar(36) PRIMARY KEY NOT NULL, mediator varchar(64) NOT NULL, kind varchar(32) NOT NULL,
       type varchar(128) NOT NULL, sender_id varchar(128) NOT NULL, recipient_id varchar(128) NULL,
       payload longtext NOT NULL, headers text NOT NULL, correlation_id varchar(128) NULL,
       idempotency_key varchar(255) NULL, created_at datetime(3) NOT NULL,
       UNIQUE KEY uq_messages_idempotency (mediator, sender_id, idempotency_key))`,
    `CREATE TABLE message_recipients (
       message_id varchar(36) NOT NULL, recipient_id varchar(128) NOT NULL,
       mediator varchar(64) NOT NULL, status varchar(16) NOT NULL, delivered_at datetime(3) NULL,
       acked_at datetime(3) NULL, attempts int NOT NULL DEFAULT 0, due_at bigint NULL,
       PRIMARY KEY (message_id, recipient_id),
       KEY idx_inbox (mediator, recipient_id, status, message_id), KEY idx_recipients_due (due_at))`,
    `CREATE TABLE outbox (
       seq bigint PRIMARY KEY AUTO_INCREMENT NOT NULL, event_id varchar(36) NOT NULL,
       mediator varchar(64) NOT NULL, event varchar(64) NOT NULL, data longtext NOT NULL,
       created_at datetime(3) NOT NULL)`,
    `CREATE TABLE audit_entries (
       id varchar(36) PRIMARY KEY NOT NULL, at datetime(3) NOT NULL, actor varchar(255) NOT NULL,
       transport varchar(16) NOT NULL, action varchar(64) NOT NULL, mediator varchar(64) NULL,
       target varchar(255) NULL, outcome varchar(16) NOT NULL, request_id varchar(64) NULL,
       details longtext NOT NULL, KEY idx_audit_at (at), KEY idx_audit_mediator_at (mediator, at))`,
  ])
    await pool.query(ddl);
  const close = () => void pool.end();
  process.once('exit', close);
  const write = async (batch: Batch): Promise<number> => {
    const connection = await pool.getConnection();
    try {
      await connection.query('START TRANSACTION');
      let firstSeq = 0;
      for (const table of TABLES) {
        const rows = batch.rows[table];
        if (rows.length === 0) continue;
        // mysql2 expands a nested array into (…), (…): one multi-row INSERT per table.
        const [result] = (await connection.query(
          `INSERT INTO ${table} (${COLUMNS[table]}) VALUES ?`,
          [rows],
        )) as unknown as [{ insertId: number }];
        if (table === 'outbox') firstSeq = result.insertId;
      }
      if (batch.acks.length > 0)
        // One OR per slot: MariaDB reads these by primary key (a row-constructor IN may scan).
        await connection.query(
          `UPDATE message_recipients SET status = 'acked', acked_at = ?, due_at = NULL
             WHERE (${batch.acks.map(() => '(message_id = ? AND recipient_id = ?)').join(' OR ')})
               AND status <> 'acked'`,
          [batch.acks[batch.acks.length - 1][2], ...batch.acks.flatMap(([m, r]) => [m, r])],
        );
      if (batch.published.length > 0)
        await connection.query('DELETE FROM outbox WHERE seq IN (?)', [batch.published]);
      await connection.query('COMMIT');
      return firstSeq;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  };
  // Commits side by side can deadlock on the indexes' locks; InnoDB rolls one back: write it again.
  return async (batch) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(batch);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt >= 10) throw error;
      }
    }
  };
}

/**
 * Group commit: what is queued while batches are written goes into the next one. Up to
 * `inFlight` batches are written at once (MariaDB: each on its own connection, their log flushes
 * merged by InnoDB's own group commit; SQLite: one, it is synchronous anyway).
 */
function groupCommit(commit: Commit, inFlight: number) {
  let batch = emptyBatch();
  let waiting: Array<(firstSeq: number) => void> = [];
  let writing = 0;
  let scheduled = false;
  const start = () => {
    scheduled = false;
    while (waiting.length > 0 && writing < inFlight) {
      const [current, done] = [batch, waiting];
      [batch, waiting] = [emptyBatch(), []];
      writing++;
      void commit(current).then((firstSeq) => {
        writing--;
        done.forEach((resolve) => resolve(firstSeq));
        schedule();
      });
    }
  };
  const schedule = () => {
    if (scheduled || waiting.length === 0 || writing >= inFlight) return;
    scheduled = true;
    setImmediate(start);
  };
  /** `fill` adds this write's rows; resolves with the outbox seq of the batch's first event. */
  return (fill: (batch: Batch) => void) =>
    new Promise<number>((resolve) => {
      fill(batch);
      waiting.push(resolve);
      schedule();
    });
}

interface SendBody {
  sender_id?: string;
  recipient_id: string;
  message: unknown;
}

/** Adds the floor's send route and Socket.IO server to a bare Fastify app. */
export async function startFloor(app: FastifyInstance): Promise<void> {
  const ids = new UuidV7Generator();
  const mysql = process.env.FLOOR_STORE === 'mysql';
  const inFlight = Number(process.env.FLOOR_COMMITS_IN_FLIGHT ?? 1);
  const enqueue = groupCommit(mysql ? await mysqlStore() : sqliteStore(), inFlight);
  // MariaDB's datetime(3) takes 'YYYY-MM-DD hh:mm:ss.sss'; SQLite stores the ISO string.
  const time = (date: Date) =>
    mysql ? date.toISOString().replace('T', ' ').replace('Z', '') : date.toISOString();
  const io = new Server(app.server, { path: '/ws', maxHttpBufferSize: 4 * 1024 * 1024 });

  /** Stored (committed) when it settles; the push follows in the next turn. */
  const send = async (name: string, sender: string, body: SendBody) => {
    const now = new Date();
    const at = time(now);
    const id = ids.next();
    const envelope = {
      id,
      mediator: name,
      kind: 'message',
      type: 'direct',
      sender_id: sender,
      recipient_id: body.recipient_id,
      payload: body.message,
      headers: {},
      correlation_id: null,
      created_at: now.toISOString(),
      status: 'pending',
    };
    let index = 0;
    const firstSeq = await enqueue(({ rows }) => {
      const payload = JSON.stringify(body.message);
      rows.messages.push([
        id,
        name,
        'message',
        'direct',
        sender,
        body.recipient_id,
        payload,
        '{}',
        null,
        null,
        at,
      ]);
      rows.message_recipients.push([
        id,
        body.recipient_id,
        name,
        'delivered',
        at,
        now.getTime() + 30_000,
      ]);
      index = rows.outbox.length;
      const event = JSON.stringify({ message_id: id, sender_id: sender });
      rows.outbox.push([ids.next(), name, 'message.sent', event, at]);
      rows.audit_entries.push([
        ids.next(),
        at,
        sender,
        'http',
        'message.send',
        name,
        id,
        'success',
        null,
        '{}',
      ]);
    });
    setImmediate(() => {
      io.to(body.recipient_id)
        .timeout(30_000)
        .emit('message', { ...envelope, status: 'delivered' }, (error: unknown) => {
          if (!error)
            void enqueue(({ acks }) => acks.push([id, body.recipient_id, time(new Date())]));
        });
      void enqueue(({ published }) => published.push(firstSeq + index));
    });
    return envelope;
  };

  io.on('connection', (socket) => {
    const { colleague } = socket.handshake.auth as { colleague?: string };
    if (colleague) void socket.join(colleague);
    socket.on('send', (body: SendBody & { mediator: string }, ack?: (r: unknown) => void) => {
      void send(body.mediator, colleague ?? 'sender', body).then((envelope) =>
        ack?.({ ok: true, envelope }),
      );
    });
  });

  app.post<{ Params: { name: string }; Body: SendBody }>(
    '/api/v1/mediators/:name/messages',
    async (request, reply) =>
      reply
        .code(202)
        .send(await send(request.params.name, request.body.sender_id ?? '', request.body)),
  );
}
