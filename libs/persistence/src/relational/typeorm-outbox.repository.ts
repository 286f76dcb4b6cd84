import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { LifecycleEvent } from '@mediator/core';
import { type OutboxRecord, OutboxRepository } from '../ports';
import { OutboxEntity, OutboxLeaseEntity } from './entities';
import { sqlMessageWrites } from '../documents/sql-message-writes';
import { singleStatement, transaction } from './transaction';
import { onOutboxCommitted } from './outbox-commits';

const RELAY_LEASE = 'relay';

/** The relay's read, built once from TypeORM's metadata. */
interface NextSelect {
  sql: string;
  columns: Record<'seq' | 'eventId' | 'mediator' | 'event' | 'data' | 'createdAt', ColumnMetadata>;
}

export class TypeOrmOutboxRepository extends OutboxRepository {
  private leaseRowExists = false;
  private nextSelect?: NextSelect;

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
   * A plain SELECT built from TypeORM's metadata, as the writes' INSERTs are (insertRows): the
   * relay reads after every commit that wrote events, and `find`'s query builder cost ≈ 3 % of a
   * send's CPU. The values are hydrated as `find` does (the driver's conversions, e.g. dates).
   */
  async next(limit: number): Promise<OutboxRecord[]> {
    const select = this.selectNext();
    const rows: Array<Record<string, unknown>> = await singleStatement(this.dataSource, (manager) =>
      manager.query(select.sql, [limit]),
    );
    const { driver } = this.dataSource;
    const { seq, eventId, mediator, event, data, createdAt } = select.columns;
    const value = (row: Record<string, unknown>, column: ColumnMetadata) =>
      driver.prepareHydratedValue(row[column.databaseName], column) as unknown;
    return rows.map((row) => ({
      seq: String(value(row, seq)),
      id: value(row, eventId) as string,
      event: value(row, event) as string,
      mediator: value(row, mediator) as string,
      data: JSON.parse(value(row, data) as string) as unknown,
      timestamp: value(row, createdAt) as Date,
    }));
  }

  /** `SELECT <columns> FROM outbox ORDER BY seq LIMIT ?`, names escaped by the driver. */
  private selectNext(): NextSelect {
    if (!this.nextSelect) {
      const { driver } = this.dataSource;
      const metadata = this.dataSource.getMetadata(OutboxEntity);
      const column = (property: keyof OutboxEntity) =>
        metadata.findColumnWithPropertyName(property)!;
      const columns = {
        seq: column('seq'),
        eventId: column('eventId'),
        mediator: column('mediator'),
        event: column('event'),
        data: column('data'),
        createdAt: column('createdAt'),
      };
      this.nextSelect = {
        sql:
          `SELECT ${Object.values(columns)
            .map((c) => driver.escape(c.databaseName))
            .join(', ')} ` +
          `FROM ${driver.escape(metadata.tableName)} ` +
          `ORDER BY ${driver.escape(columns.seq.databaseName)} LIMIT ?`,
        columns,
      };
    }
    return this.nextSelect;
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
