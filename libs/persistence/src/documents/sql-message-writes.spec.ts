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
});
