import { DataSource, type DataSourceOptions } from 'typeorm';
import type { StoredEvent } from '@mediator/core';
import { SqlEventStore } from '../../libs/kinds/event/src/sql-event.store';
import { TypeOrmMediatorRepository } from '@mediator/persistence/relational/typeorm-mediator.repository';
import { TypeOrmOutboxRepository } from '@mediator/persistence/relational/typeorm-outbox.repository';
import { type Harness, at, event, mediator, nextId, useHarness } from './harness';

export interface EventStores {
  events: SqlEventStore;
  /** A second store on the same database: another service instance. */
  otherEvents: SqlEventStore;
  outbox: TypeOrmOutboxRepository;
}

/** The event store on one SQL database, with mediators 'orders' and 'billing'. */
export function eventStores(options: () => Promise<DataSourceOptions>): Harness<EventStores> {
  let ds: DataSource | undefined;
  return {
    async open() {
      ds = await new DataSource(await options()).initialize();
      return {
        events: new SqlEventStore(ds),
        otherEvents: new SqlEventStore(ds),
        outbox: new TypeOrmOutboxRepository(ds),
      };
    },
    async clean() {
      for (const table of ['kind_events', 'outbox', 'colleagues', 'mediators'])
        await ds!.query(`DELETE FROM ${table}`);
      const mediators = new TypeOrmMediatorRepository(ds!);
      for (const name of ['orders', 'billing'])
        await mediators.create(mediator(name), event('mediator_created', name));
      await ds!.query('DELETE FROM outbox');
    },
    async close() {
      await ds?.destroy();
    },
  };
}

function published(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: nextId(),
    mediator: 'orders',
    type: 'order_created',
    senderId: 'shop',
    data: { order: 1, lines: [{ sku: 'a', qty: 2 }] },
    headers: { trace: 't-1' },
    publishedAt: at('2026-01-02T03:04:05.678Z'),
    recipientIds: ['billing', 'shipping'],
    ...overrides,
  };
}

/** The EventStore contract: append once per (mediator, id), with its lifecycle event; history. */
export function eventStoreContract(harness: Harness<EventStores>): void {
  const stores = useHarness(harness);

  it('stores an event with its event_published lifecycle event', async () => {
    const { events, outbox } = stores();
    const e = published();
    const lifecycle = event('event_published', 'orders', { id: e.id });
    expect(await events.append(e, lifecycle)).toEqual({ event: e, created: true });
    expect(await events.find('orders', e.id)).toEqual(e);
    expect((await outbox.next(10)).map((r) => [r.id, r.event])).toEqual([
      [lifecycle.id, 'event_published'],
    ]);
  });

  it('answers a second append of the same id with the first event, and stores nothing', async () => {
    const { events, outbox } = stores();
    const first = published({ id: 'evt-1' });
    await events.append(first, event('event_published', 'orders'));
    const again = await events.append(
      published({ id: 'evt-1', data: 'changed', recipientIds: [] }),
      event('event_published', 'orders'),
    );
    expect(again).toEqual({ event: first, created: false });
    expect(await outbox.pendingCount()).toBe(1);
    // ids are per mediator
    const elsewhere = published({ id: 'evt-1', mediator: 'billing' });
    expect((await events.append(elsewhere, event('event_published', 'billing'))).created).toBe(
      true,
    );
  });

  it('lets exactly one of concurrent appends of one id (two instances) create it', async () => {
    const { events, otherEvents, outbox } = stores();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? otherEvents : events).append(
          published({ id: 'race', data: i }),
          event('event_published', 'orders'),
        ),
      ),
    );
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(results.every((r) => r.event.data === created[0].event.data)).toBe(true);
    expect(await outbox.pendingCount()).toBe(1);
  });

  it('answers the history: the last `limit`, oldest first, optionally of one type', async () => {
    const { events } = stores();
    const types = ['a', 'b', 'a', 'a', 'b'];
    const all: StoredEvent[] = [];
    for (const [i, type] of types.entries()) {
      const e = published({ id: `h-${i}`, type });
      all.push(e);
      await events.append(e, event('event_published', 'orders'));
    }
    await events.append(published({ mediator: 'billing' }), event('event_published', 'billing'));
    expect((await events.history('orders')).map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect((await events.history('orders', { type: 'a', limit: 2 })).map((e) => e.id)).toEqual([
      'h-2',
      'h-3',
    ]);

    const first = await events.page('orders', 'a', { limit: 2 });
    expect(first.items.map((e) => e.id)).toEqual(['h-0', 'h-2']);
    expect(first.nextCursor).not.toBeNull();
    const after = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()).k as string;
    const second = await events.page('orders', 'a', { limit: 2, after });
    expect(second).toEqual({ items: [all[3]], nextCursor: null });
    expect((await events.page('orders', undefined, { limit: 10 })).items).toHaveLength(5);
  });
}
