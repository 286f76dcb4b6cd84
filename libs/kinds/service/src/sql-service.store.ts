import { type DataSource, type EntityManager } from 'typeorm';
import {
  type LifecycleEvent,
  type ServiceRecord,
  type ServiceStatus,
  ServiceStore,
} from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  insertOutbox,
  transaction,
  isUniqueViolation,
} from '@mediator/persistence/sql';
import { ServiceEntity } from './service.entity';

/** Statuses a missed heartbeat does not change (mirrors the core's rule, for the sweep's query). */
const HEARTBEAT_EXEMPT: ServiceStatus[] = ['unhealthy', 'stopped'];

/**
 * The core's ServiceStore in SQL. `save` is a compare-and-set on `version` in one UPDATE (or an
 * INSERT guarded by the primary key for version 1), with its lifecycle event written to the
 * outbox in the same transaction: of two instances that see the same missed heartbeat, one
 * writes the status change and its event, the other gets false.
 */
export class SqlServiceStore extends ServiceStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(mediator: string, name: string): Promise<ServiceRecord | null> {
    const row = await this.dataSource.getRepository(ServiceEntity).findOneBy({ mediator, name });
    return row ? toRecord(row) : null;
  }

  async list(mediator: string, status?: ServiceStatus): Promise<ServiceRecord[]> {
    const rows = await this.dataSource
      .getRepository(ServiceEntity)
      .find({ where: status ? { mediator, status } : { mediator }, order: { name: 'ASC' } });
    return rows.map(toRecord);
  }

  /** A page by name (REST `GET services?status=`). */
  async page(
    mediator: string,
    status: ServiceStatus | undefined,
    page: PageRequest,
  ): Promise<Page<ServiceRecord>> {
    const query = this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.mediator = :mediator', { mediator })
      .orderBy('s.name', 'ASC')
      .take(page.limit + 1);
    if (status) query.andWhere('s.status = :status', { status });
    if (page.after !== undefined) query.andWhere('s.name > :after', { after: page.after });
    return toPage((await query.getMany()).map(toRecord), page.limit, (s) => s.name);
  }

  async save(record: ServiceRecord, event: LifecycleEvent | null): Promise<boolean> {
    try {
      return await transaction(this.dataSource, async (manager) => {
        const written =
          record.version === 1
            ? await this.insert(manager, record)
            : await this.compareAndSet(manager, record);
        if (written && event) await insertOutbox(manager, event);
        return written;
      });
    } catch (error) {
      // Version 1 inserted meanwhile by another instance: the caller reads again and retries.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Mediators with at least one service past its heartbeat ttl at `now` (for the sweep). */
  async mediatorsWithMissedHeartbeats(now: Date): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .select('DISTINCT s.mediator', 'mediator')
      .where('s.status NOT IN (:...exempt)', { exempt: HEARTBEAT_EXEMPT })
      .andWhere('s.last_heartbeat_at + s.heartbeat_ttl_ms < :now', { now: now.getTime() })
      .getRawMany<{ mediator: string }>();
    return rows.map((r) => r.mediator);
  }

  private async insert(manager: EntityManager, record: ServiceRecord): Promise<boolean> {
    await manager.insert(ServiceEntity, toRow(record));
    return true;
  }

  private async compareAndSet(manager: EntityManager, record: ServiceRecord): Promise<boolean> {
    const { mediator, name, ...changes } = toRow(record);
    const result = await manager
      .createQueryBuilder()
      .update(ServiceEntity)
      .set(changes)
      .where('mediator = :mediator AND name = :name AND version = :previous', {
        mediator,
        name,
        previous: record.version - 1,
      })
      .execute();
    return result.affected === 1;
  }
}

function toRow(s: ServiceRecord): ServiceEntity {
  return {
    mediator: s.mediator,
    name: s.name,
    type: s.type,
    status: s.status,
    endpoint: s.endpoint,
    heartbeatTtlMs: s.heartbeatTtlMs,
    lastHeartbeatAt: s.lastHeartbeatAt.getTime(),
    version: s.version,
    registeredAt: s.registeredAt.getTime(),
    updatedAt: s.updatedAt.getTime(),
  };
}

function toRecord(row: ServiceEntity): ServiceRecord {
  return {
    mediator: row.mediator,
    name: row.name,
    type: row.type,
    status: row.status as ServiceStatus,
    endpoint: row.endpoint,
    heartbeatTtlMs: Number(row.heartbeatTtlMs),
    lastHeartbeatAt: new Date(Number(row.lastHeartbeatAt)),
    version: Number(row.version),
    registeredAt: new Date(Number(row.registeredAt)),
    updatedAt: new Date(Number(row.updatedAt)),
  };
}
