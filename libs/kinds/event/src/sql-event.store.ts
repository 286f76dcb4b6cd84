import type { DataSource } from 'typeorm';
import {
  type EventHistoryQuery,
  EventStore,
  type JsonValue,
  type LifecycleEvent,
  type StoredEvent,
} from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  numericCursor,
  insertOutbox,
  transaction,
  isUniqueViolation,
} from '@mediator/persistence/sql';
import { EventEntity } from './event.entity';

/** A stored event and its place in the history (the cursor of a page). */

/**
 * The core's EventStore in SQL: the event and its `event_published` lifecycle event commit
 * together; a second append of the same `(mediator, id)` hits the unique key and returns the
 * first event with `created: false`, also when two instances race.
 */
export class SqlEventStore extends EventStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async append(
    event: StoredEvent,
    lifecycle: LifecycleEvent,
  ): Promise<{ event: StoredEvent; created: boolean }> {
    try {
      await transaction(this.dataSource, async (manager) => {
        await manager.insert(EventEntity, toRow(event));
        await insertOutbox(manager, lifecycle);
      });
      return { event, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const first = await this.find(event.mediator, event.id);
      if (!first) throw error;
      return { event: first, created: false };
    }
  }

  async find(mediator: string, id: string): Promise<StoredEvent | null> {
    const row = await this.dataSource.getRepository(EventEntity).findOneBy({ mediator, id });
    return row ? toEvent(row) : null;
  }

  async history(mediator: string, query: EventHistoryQuery = {}): Promise<StoredEvent[]> {
    const rows = await this.dataSource.getRepository(EventEntity).find({
      where: query.type === undefined ? { mediator } : { mediator, type: query.type },
      order: { seq: 'DESC' },
      take: query.limit ?? 100,
    });
    return rows.reverse().map(toEvent);
  }

  /** A page of the history, oldest first (REST `GET events?type=&limit=&cursor=`). */
  async page(
    mediator: string,
    type: string | undefined,
    page: PageRequest,
  ): Promise<Page<StoredEvent>> {
    const query = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.mediator = :mediator', { mediator })
      .orderBy('e.seq', 'ASC')
      .take(page.limit + 1);
    if (type !== undefined) query.andWhere('e.type = :type', { type });
    if (page.after !== undefined)
      query.andWhere('e.seq > :after', { after: numericCursor(page.after) });
    const rows = await query.getMany();
    const seqOf = new Map(rows.map((r) => [r.id, String(r.seq)]));
    return toPage(rows.map(toEvent), page.limit, (e) => seqOf.get(e.id)!);
  }
}

function toRow(e: StoredEvent): Omit<EventEntity, 'seq'> {
  return {
    mediator: e.mediator,
    id: e.id,
    type: e.type,
    senderId: e.senderId,
    data: JSON.stringify(e.data ?? null),
    headers: JSON.stringify(e.headers),
    recipientIds: JSON.stringify(e.recipientIds),
    publishedAt: e.publishedAt.getTime(),
  };
}

function toEvent(row: EventEntity): StoredEvent {
  return {
    id: row.id,
    mediator: row.mediator,
    type: row.type,
    senderId: row.senderId,
    data: JSON.parse(row.data) as JsonValue,
    headers: JSON.parse(row.headers) as Record<string, string>,
    recipientIds: JSON.parse(row.recipientIds) as string[],
    publishedAt: new Date(Number(row.publishedAt)),
  };
}
