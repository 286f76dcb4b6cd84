import type { DataSource } from 'typeorm';
import type { LifecycleEvent } from '@mediator/core';
import { type OutboxRecord, OutboxRepository } from '../ports';
import { OutboxEntity, OutboxLeaseEntity } from './entities';
import { sqlMessageWrites } from '../documents/sql-message-writes';
import { singleStatement, transaction } from './transaction';
import { onOutboxCommitted } from './outbox-commits';

const RELAY_LEASE = 'relay';

export class TypeOrmOutboxRepository extends OutboxRepository {
  private leaseRowExists = false;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** Joins the next group commit of the send path (see SqlMessageWrites). */
  append(event: LifecycleEvent): Promise<void> {
    return sqlMessageWrites(this.dataSource).appendEvent(event);
  }

  /**
   * Read in turn with the transactions on SQLite: it has one connection, and a read between the
   * statements of an open transaction would see (and publish) rows that may still roll back.
   */
  async next(limit: number): Promise<OutboxRecord[]> {
    const rows = await singleStatement(this.dataSource, (manager) =>
      manager.find(OutboxEntity, { order: { seq: 'ASC' }, take: limit }),
    );
    return rows.map((row) => ({
      seq: String(row.seq),
      id: row.eventId,
      event: row.event,
      mediator: row.mediator,
      data: JSON.parse(row.data) as unknown,
      timestamp: row.createdAt,
    }));
  }

  /** Joins the next group commit: the relay's deletions do not cost the sends a transaction each. */
  async remove(seqs: string[]): Promise<void> {
    if (seqs.length > 0) await sqlMessageWrites(this.dataSource).removePublished(seqs);
  }

  onCommitted(listener: () => void): () => void {
    return onOutboxCommitted(this.dataSource, listener);
  }

  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(OutboxEntity).count();
  }

  /** One atomic UPDATE: the holder renews, anyone takes an expired lease (DESIGN rule 3). */
  async acquireLease(holder: string, ttlMs: number): Promise<boolean> {
    if (!this.leaseRowExists) {
      await transaction(this.dataSource, (manager) =>
        manager
          .createQueryBuilder()
          .insert()
          .into(OutboxLeaseEntity)
          .values({ name: RELAY_LEASE, holder: '', expiresAt: '0' })
          .orIgnore()
          .execute(),
      );
      this.leaseRowExists = true;
    }
    const now = Date.now();
    const result = await singleStatement(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxLeaseEntity)
        .set({ holder, expiresAt: String(now + ttlMs) })
        .where('name = :name', { name: RELAY_LEASE })
        .andWhere('(holder = :holder OR expires_at < :now)', { holder, now })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }

  async releaseLease(holder: string): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(
        OutboxLeaseEntity,
        { name: RELAY_LEASE, holder },
        { holder: '', expiresAt: '0' },
      ),
    );
  }
}
