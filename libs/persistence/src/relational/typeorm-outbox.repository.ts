import { type DataSource, In } from 'typeorm';
import type { LifecycleEvent } from '@mediator/core';
import { type OutboxRecord, OutboxRepository } from '../ports';
import { OutboxEntity } from './entities';
import { insertOutbox } from './outbox';

export class TypeOrmOutboxRepository extends OutboxRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async append(event: LifecycleEvent): Promise<void> {
    await insertOutbox(this.dataSource.manager, event);
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
      await this.dataSource.getRepository(OutboxEntity).delete({ seq: In(seqs) });
  }

  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(OutboxEntity).count();
  }
}
