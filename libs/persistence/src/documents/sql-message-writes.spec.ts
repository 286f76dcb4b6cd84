import { DataSource } from 'typeorm';
import type { Envelope, LifecycleEvent } from '@mediator/core';
import type { AppConfig } from '@mediator/config';
import { dataSourceOptions } from '../data-source-options';
import { TypeOrmOutboxRepository } from '../relational/typeorm-outbox.repository';
import { SqlMessageRepository } from './sql-message.repository';
import { type CommittedBatch, sqlMessageWrites } from './sql-message-writes';

const AT = new Date('2026-03-01T10:00:00.000Z');
let seq = 0;
const nextId = () => `0000000${++seq}`.slice(-8);

function envelope(): Envelope {
  return {
    id: nextId(),
    mediator: 'orders',
    kind: 'message',
    type: 'text',
    senderId: 'alice',
    recipientId: 'bob',
    payload: { n: 1 },
    headers: {},
    correlationId: null,
    createdAt: AT,
    status: 'pending',
  };
}

function sent(): LifecycleEvent {
  return { id: nextId(), event: 'message_sent', mediator: 'orders', data: {}, timestamp: AT };
}

describe('SqlMessageWrites (group commit on SQLite)', () => {
  let ds: DataSource;
  let messages: SqlMessageRepository;
  let outbox: TypeOrmOutboxRepository;
  let commits: CommittedBatch[];

  beforeEach(async () => {
    const config = { database: { sqlite: { path: ':memory:' }, mysql: { enabled: false } } };
    ds = await new DataSource(dataSourceOptions(config as AppConfig)).initialize();
    messages = new SqlMessageRepository(ds);
    outbox = new TypeOrmOutboxRepository(ds);
    commits = [];
    sqlMessageWrites(ds).observe((batch) => commits.push(batch));
  });

  afterEach(() => ds.destroy());

  it('commits the sends submitted in one turn of the event loop together', async () => {
    const envelopes = [envelope(), envelope(), envelope(), envelope()];
    await Promise.all(envelopes.map((e) => messages.save(e, ['bob'], undefined, sent())));
    expect(commits).toEqual([{ messages: 4, events: 4, statusUpdates: 0 }]);
  });

  it('commits a lone send at once, on its own', async () => {
    await messages.save(envelope(), ['bob'], undefined, sent());
    await messages.save(envelope(), ['bob'], undefined, sent());
    expect(commits.map((c) => c.messages)).toEqual([1, 1]);
  });

  it('writes the deliveries, acks and published events of one turn in one commit', async () => {
    const envelopes = [envelope(), envelope(), envelope()];
    await Promise.all(envelopes.map((e) => messages.save(e, ['bob'], undefined, sent())));
    const published = (await outbox.next(10)).map((r) => r.seq);
    commits = [];

    await Promise.all([
      ...envelopes.map((e) => messages.markDelivered('orders', e.id, 'bob', AT, null)),
      ...envelopes.map((e) => messages.ack('orders', e.id, 'bob', AT)),
      outbox.remove(published),
    ]);
    expect(commits).toEqual([{ messages: 0, events: 0, statusUpdates: 6 }]);
    expect(await outbox.pendingCount()).toBe(0);
    const stored = await Promise.all(envelopes.map((e) => messages.findById('orders', e.id)));
    expect(stored.map((s) => s?.envelope.status)).toEqual(['acked', 'acked', 'acked']);
  });

  it('writes the slots that share their times without a CASE, each slot with its own times', async () => {
    const statements: string[] = [];
    const logged = await loggedDataSource((sql) => statements.push(sql));
    try {
      const repo = new SqlMessageRepository(logged);
      const broadcast = envelope();
      const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
      await repo.save(broadcast, ids, undefined, sent());
      const later = (ms: number) => new Date(AT.getTime() + ms);
      const slotUpdates = () =>
        statements.filter((sql) => /^UPDATE\b.*"?message_recipients"?/s.test(sql));

      statements.length = 0;
      await Promise.all(ids.map((id) => repo.markDelivered('orders', broadcast.id, id, AT, 5)));
      expect(slotUpdates().map((sql) => sql.includes('CASE'))).toEqual([false]);

      // 36 acks in one millisecond, four in others: one plain UPDATE and one with a CASE.
      statements.length = 0;
      await Promise.all(
        ids.map((id, i) => repo.ack('orders', broadcast.id, id, later(i < 36 ? 7 : 10 + i))),
      );
      expect(slotUpdates().map((sql) => sql.includes('CASE'))).toEqual([false, true]);

      const { recipients } = (await repo.findById('orders', broadcast.id))!;
      expect(recipients).toHaveLength(40);
      for (const [i, slot] of recipients
        .sort((a, b) => Number(a.recipientId.slice(1)) - Number(b.recipientId.slice(1)))
        .entries()) {
        expect(slot).toEqual({
          recipientId: `c${i}`,
          status: 'acked',
          deliveredAt: AT,
          ackedAt: later(i < 36 ? 7 : 10 + i),
        });
      }
    } finally {
      await logged.destroy();
    }
  });

  it("writes a broadcast's acks spread over milliseconds, a few in each, without a CASE", async () => {
    const statements: string[] = [];
    const logged = await loggedDataSource((sql) => statements.push(sql));
    try {
      const repo = new SqlMessageRepository(logged);
      const broadcast = envelope();
      const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
      await repo.save(broadcast, ids, undefined, sent());
      const later = (ms: number) => new Date(AT.getTime() + ms);

      // Ten milliseconds with four acks each, as a broadcast's acks arrive: one plain UPDATE each.
      statements.length = 0;
      await Promise.all(
        ids.map((id, i) => repo.ack('orders', broadcast.id, id, later(Math.floor(i / 4)))),
      );
      const updates = statements.filter((sql) => /^UPDATE\b.*"?message_recipients"?/s.test(sql));
      expect(updates).toHaveLength(10);
      expect(updates.some((sql) => sql.includes('CASE'))).toBe(false);

      const { recipients } = (await repo.findById('orders', broadcast.id))!;
      for (const slot of recipients)
        expect(slot.ackedAt).toEqual(later(Math.floor(Number(slot.recipientId.slice(1)) / 4)));
    } finally {
      await logged.destroy();
    }
  });

  it("finds the slots of deliveries and acks by lookup, never by reading the recipient's history", async () => {
    // The statements the status writes run, captured as TypeORM logs them; each one's plan must
    // look a slot up on all four columns of idx_inbox (or by primary key). An ack used to search
    // idx_inbox on (mediator, recipient_id) alone: every copy the recipient ever received.
    const statements: Array<{ sql: string; params: unknown[] }> = [];
    const logged = await loggedDataSource((sql, params) => statements.push({ sql, params }));
    try {
      const repo = new SqlMessageRepository(logged);
      const envelopes = [envelope(), envelope()];
      await Promise.all(envelopes.map((e) => repo.save(e, ['bob'], undefined, sent())));
      statements.length = 0;
      await Promise.all(envelopes.map((e) => repo.markDelivered('orders', e.id, 'bob', AT, 1)));
      await Promise.all(envelopes.map((e) => repo.ack('orders', e.id, 'bob', AT)));
      // Acked again: nothing is updated, so the existing slots are read back.
      await Promise.all(envelopes.map((e) => repo.ack('orders', e.id, 'bob', AT)));

      const slotStatements = statements.filter((s) =>
        /^(UPDATE|SELECT)\b.*"?message_recipients"?/s.test(s.sql),
      );
      expect(slotStatements.map((s) => s.sql.split(' ')[0])).toEqual([
        'UPDATE',
        'UPDATE',
        'UPDATE',
        'SELECT',
      ]);
      for (const { sql, params } of slotStatements) {
        const plan: Array<{ detail: string }> = await logged.query(
          `EXPLAIN QUERY PLAN ${sql}`,
          params,
        );
        const searches = plan.map((p) => p.detail).filter((d) => d.includes('message_recipients'));
        expect(searches.length).toBeGreaterThan(0);
        for (const detail of searches)
          expect(detail).toMatch(
            /USING (COVERING )?INDEX (idx_inbox \(mediator=\? AND recipient_id=\? AND status=\? AND message_id=\?\)|sqlite_autoindex_message_recipients_1 )/,
          );
      }
    } finally {
      await logged.destroy();
    }
  });
});

/** An in-memory database whose statements are passed to `log` as TypeORM runs them. */
function loggedDataSource(log: (sql: string, params: unknown[]) => void): Promise<DataSource> {
  return new DataSource({
    ...dataSourceOptions({
      database: { sqlite: { path: ':memory:' }, mysql: { enabled: false } },
    } as AppConfig),
    logging: ['query'],
    logger: {
      logQuery: (sql: string, params?: unknown[]) => log(sql, params ?? []),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    },
  }).initialize();
}
