/**
 * The floor of goal 1: the least work a durable send names, by hand, with no framework, so that
 * `service ÷ floor` is what the service's own layers cost and `floor ÷ bare POST` the best ratio
 * any implementation of the contract's send could reach on this machine.
 *
 * Per send, as the service: parse the JSON body; in one group commit of better-sqlite3 (WAL,
 * `synchronous = NORMAL`) insert the message, the recipient's copy (`delivered`), the outbox
 * event and the audit entry with prepared statements; answer 202 with the envelope; in the next
 * turn push it over Socket.IO to the recipient's room with an ack; write the ack (an UPDATE) and
 * delete the published outbox row in later group commits. Left out, though the service must do
 * them: authentication, rate limits, validation, metrics, idempotency keys, lifecycle events'
 * subscribers, redelivery timers. Over Socket.IO, `send` does the same and acks the sender once
 * committed (goal 4's floor).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import { UuidV7Generator } from '../../../libs/core/src/ids';

const SCHEMA = `
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
    target varchar(255), outcome varchar(16) NOT NULL, request_id varchar(64), details text NOT NULL);
  CREATE INDEX idx_audit_at ON audit_entries (at);
  CREATE INDEX idx_audit_mediator_at ON audit_entries (mediator, at);
`;

interface SendBody {
  sender_id?: string;
  recipient_id: string;
  message: unknown;
}

type Write = () => void;

/** Adds the floor's send route and Socket.IO server to a bare Fastify app. */
export function startFloor(app: FastifyInstance): void {
  // Time-ordered ids (UUID v7), as the service's: each insert lands on the indexes' last page.
  const ids = new UuidV7Generator();
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'bench-floor-')), 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insertMessage = db.prepare(
    `INSERT INTO messages (id, mediator, kind, type, sender_id, recipient_id, payload, headers,
       correlation_id, idempotency_key, created_at) VALUES (?, ?, 'message', 'direct', ?, ?, ?, '{}', NULL, NULL, ?)`,
  );
  const insertCopy = db.prepare(
    `INSERT INTO message_recipients (message_id, recipient_id, mediator, status, delivered_at, due_at)
       VALUES (?, ?, ?, 'delivered', ?, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO outbox (event_id, mediator, event, data, created_at) VALUES (?, ?, 'message.sent', ?, ?)`,
  );
  const insertAudit = db.prepare(
    `INSERT INTO audit_entries (id, at, actor, transport, action, mediator, target, outcome, request_id, details)
       VALUES (?, ?, ?, 'http', 'message.send', ?, ?, 'success', NULL, '{}')`,
  );
  const markAcked = db.prepare(
    `UPDATE message_recipients SET status = 'acked', acked_at = ?, due_at = NULL
       WHERE message_id = ? AND recipient_id = ? AND status <> 'acked'`,
  );
  const deleteEvent = db.prepare('DELETE FROM outbox WHERE seq = ?');

  // Group commit: every write queued in one turn of the event loop goes into one transaction.
  let queued: Array<{ write: Write; done: () => void }> = [];
  const commitAll = db.transaction((writes: Write[]) => writes.forEach((write) => write()));
  const commit = () => {
    const batch = queued;
    queued = [];
    commitAll(batch.map((entry) => entry.write));
    batch.forEach((entry) => entry.done());
  };
  const enqueue = (write: Write) =>
    new Promise<void>((done) => {
      if (queued.length === 0) setImmediate(commit);
      queued.push({ write, done });
    });

  const io = new Server(app.server, { path: '/ws', maxHttpBufferSize: 4 * 1024 * 1024 });

  /** Stored (committed) when it settles; the push follows in the next turn. */
  const send = async (name: string, sender: string, body: SendBody) => {
    const now = new Date();
    const at = now.toISOString();
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
      created_at: at,
      status: 'pending',
    };
    let seq = 0;
    await enqueue(() => {
      insertMessage.run(id, name, sender, body.recipient_id, JSON.stringify(body.message), at);
      insertCopy.run(id, body.recipient_id, name, at, now.getTime() + 30_000);
      const event = JSON.stringify({ message_id: id, sender_id: sender });
      seq = Number(insertEvent.run(ids.next(), name, event, at).lastInsertRowid);
      insertAudit.run(ids.next(), at, sender, name, id);
    });
    setImmediate(() => {
      io.to(body.recipient_id)
        .timeout(30_000)
        .emit('message', { ...envelope, status: 'delivered' }, (error: unknown) => {
          if (!error)
            void enqueue(() => markAcked.run(new Date().toISOString(), id, body.recipient_id));
        });
      void enqueue(() => deleteEvent.run(seq));
    });
    return envelope;
  };

  io.on('connection', (socket) => {
    const { colleague } = socket.handshake.auth as { colleague?: string };
    if (colleague) void socket.join(colleague);
    // The Socket.IO floor: the same durable send, acked to the sender once committed.
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
