import { type DataSource, In } from 'typeorm';
import type { LifecycleEvent } from '@mediator/core';
import { type OutboxRecord, OutboxRepository } from '../ports';
import { OutboxEntity, OutboxLeaseEntity } from './entities';
import { insertOutbox } from './outbox';
import { transaction } from './transaction';

const RELAY_LEASE = 'relay';

export class TypeOrmOutboxRepository extends OutboxRepository {
  private leaseRowExists = false;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async append(event: LifecycleEvent): Promise<void> {
    await transaction(this.dataSource, (manager) => insertOutbox(manager, event));
  }

  async next(limit: number): Promise<OutboxRecord[]> {
    const rows = await this.dataSource
      .getRepository(OutboxEntity)
      .find({ order: { seq: 'ASC' }, take: limit });
    return rows.map((row) => ({
      seq: String(row.seq),
      id: row.eventId,
      event: row.event,
      mediator: row.mediator,
      data: JSON.parse(row.data) as unknown,
      timestamp: row.createdAt,
    }));
  }

  async remove(seqs: string[]): Promise<void> {
    if (seqs.length > 0)
      await transaction(this.dataSource, (manager) =>
        manager.delete(OutboxEntity, { seq: In(seqs) }),
      );
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
    const result = await transaction(this.dataSource, (manager) =>
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
