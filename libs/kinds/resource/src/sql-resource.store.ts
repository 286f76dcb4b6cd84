import { type DataSource, type EntityManager, In } from 'typeorm';
import {
  type AcquireOutcome,
  type Clock,
  type Lease,
  type LifecycleEvent,
  type ResourcePool,
  ResourceStore,
  systemClock,
} from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  insertOutbox,
  transaction,
  isUniqueViolation,
} from '@mediator/persistence/sql';
import { ResourceEntity, ResourceLeaseEntity } from './resource.entity';

/** A pool as the REST listing shows it: with the leases that make up its `used`. */
export interface PoolWithLeases {
  pool: ResourcePool;
  leases: Lease[];
}

/**
 * The core's ResourceStore in SQL. Capacity is enforced by the database: an acquire is one
 * `UPDATE kind_resources SET used = used + :amount WHERE … AND reserved + used + :amount <=
 * capacity`, and a resize one `UPDATE … WHERE used + :reserved <= :capacity`; the lease row and
 * its event are written in the same transaction only when that UPDATE changed the row. A release deletes the lease row first; only the transaction whose DELETE removed it
 * gives the amount back and writes resource_released, so a lease is released once.
 */
export class SqlResourceStore extends ResourceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  async findPool(mediator: string, name: string): Promise<ResourcePool | null> {
    return findPool(this.dataSource.manager, mediator, name);
  }

  async savePool(pool: ResourcePool, event: LifecycleEvent): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await transaction(this.dataSource, async (manager) => {
          const resized = await manager
            .createQueryBuilder()
            .update(ResourceEntity)
            .set({
              type: pool.type,
              capacity: pool.capacity,
              reserved: pool.reserved,
              updatedAt: pool.updatedAt.getTime(),
            })
            .where('mediator = :mediator AND name = :name AND used + :reserved <= :capacity', {
              mediator: pool.mediator,
              name: pool.name,
              capacity: pool.capacity,
              reserved: pool.reserved,
            })
            .execute();
          if (resized.affected !== 1) {
            if (await findPool(manager, pool.mediator, pool.name)) return false;
            if (pool.reserved > pool.capacity) return false;
            await manager.insert(ResourceEntity, {
              mediator: pool.mediator,
              name: pool.name,
              type: pool.type,
              capacity: pool.capacity,
              reserved: pool.reserved,
              used: 0,
              createdAt: pool.createdAt.getTime(),
              updatedAt: pool.updatedAt.getTime(),
            });
          }
          await insertOutbox(manager, event);
          return true;
        });
      } catch (error) {
        // Created meanwhile by another instance: the next attempt resizes it instead.
        if (attempt === 0 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  async acquire(lease: Lease, event: LifecycleEvent): Promise<AcquireOutcome> {
    return transaction(this.dataSource, async (manager) => {
      const taken = await manager
        .createQueryBuilder()
        .update(ResourceEntity)
        .set({
          used: () => 'used + :amount',
          updatedAt: lease.acquiredAt.getTime(),
        })
        .where('mediator = :mediator AND name = :name AND reserved + used + :amount <= capacity', {
          mediator: lease.mediator,
          name: lease.resource,
          amount: lease.amount,
        })
        .execute();
      if (taken.affected !== 1)
        return { acquired: false, pool: await findPool(manager, lease.mediator, lease.resource) };
      await manager.insert(ResourceLeaseEntity, {
        mediator: lease.mediator,
        id: lease.id,
        resource: lease.resource,
        holderId: lease.holderId,
        amount: lease.amount,
        acquiredAt: lease.acquiredAt.getTime(),
        expiresAt: lease.expiresAt?.getTime() ?? null,
      });
      await insertOutbox(manager, event);
      const pool = await findPool(manager, lease.mediator, lease.resource);
      return { acquired: true, pool: pool!, lease };
    });
  }

  async release(
    mediator: string,
    leaseId: string,
    eventFor: (lease: Lease) => LifecycleEvent,
  ): Promise<Lease | null> {
    return transaction(this.dataSource, async (manager) => {
      const row = await manager.findOneBy(ResourceLeaseEntity, { mediator, id: leaseId });
      if (!row) return null;
      const deleted = await manager.delete(ResourceLeaseEntity, { mediator, id: leaseId });
      if (deleted.affected !== 1) return null; // released meanwhile by another transaction
      const lease = toLease(row);
      await manager
        .createQueryBuilder()
        .update(ResourceEntity)
        .set({ used: () => 'used - :amount', updatedAt: this.clock.now().getTime() })
        .where('mediator = :mediator AND name = :name', {
          mediator,
          name: lease.resource,
          amount: lease.amount,
        })
        .execute();
      await insertOutbox(manager, eventFor(lease));
      return lease;
    });
  }

  async findLease(mediator: string, id: string): Promise<Lease | null> {
    const row = await this.dataSource
      .getRepository(ResourceLeaseEntity)
      .findOneBy({ mediator, id });
    return row ? toLease(row) : null;
  }

  async listExpiredLeases(mediator: string, now: Date): Promise<Lease[]> {
    const rows = await this.dataSource
      .getRepository(ResourceLeaseEntity)
      .createQueryBuilder('l')
      .where('l.mediator = :mediator', { mediator })
      .andWhere('l.expires_at IS NOT NULL AND l.expires_at <= :now', { now: now.getTime() })
      .orderBy('l.expires_at', 'ASC')
      .getMany();
    return rows.map(toLease);
  }

  /** The live leases of a pool, oldest first (REST `GET resources/{resource}`). */
  async listLeases(mediator: string, resource: string): Promise<Lease[]> {
    const rows = await this.dataSource
      .getRepository(ResourceLeaseEntity)
      .find({ where: { mediator, resource }, order: { acquiredAt: 'ASC', id: 'ASC' } });
    return rows.map(toLease);
  }

  /** A page of the mediator's pools by name, each with its live leases (REST `GET resources`). */
  async page(mediator: string, page: PageRequest): Promise<Page<PoolWithLeases>> {
    const query = this.dataSource
      .getRepository(ResourceEntity)
      .createQueryBuilder('r')
      .where('r.mediator = :mediator', { mediator })
      .orderBy('r.name', 'ASC')
      .take(page.limit + 1);
    if (page.after !== undefined) query.andWhere('r.name > :after', { after: page.after });
    const pools = toPage((await query.getMany()).map(toPool), page.limit, (p) => p.name);
    const leases = await this.leasesOf(
      mediator,
      pools.items.map((p) => p.name),
    );
    return {
      items: pools.items.map((pool) => ({
        pool,
        leases: leases.filter((l) => l.resource === pool.name),
      })),
      nextCursor: pools.nextCursor,
    };
  }

  /** The live leases of several pools in one query, oldest first. */
  private async leasesOf(mediator: string, resources: string[]): Promise<Lease[]> {
    if (resources.length === 0) return [];
    const rows = await this.dataSource.getRepository(ResourceLeaseEntity).find({
      where: { mediator, resource: In(resources) },
      order: { acquiredAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toLease);
  }

  /** Mediators with at least one lease expired at `now` (for the sweep). */
  async mediatorsWithExpiredLeases(now: Date): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ResourceLeaseEntity)
      .createQueryBuilder('l')
      .select('DISTINCT l.mediator', 'mediator')
      .where('l.expires_at IS NOT NULL AND l.expires_at <= :now', { now: now.getTime() })
      .getRawMany<{ mediator: string }>();
    return rows.map((r) => r.mediator);
  }
}

async function findPool(
  manager: EntityManager,
  mediator: string,
  name: string,
): Promise<ResourcePool | null> {
  const row = await manager.findOneBy(ResourceEntity, { mediator, name });
  return row ? toPool(row) : null;
}

function toPool(row: ResourceEntity): ResourcePool {
  return {
    mediator: row.mediator,
    name: row.name,
    type: row.type,
    capacity: Number(row.capacity),
    reserved: Number(row.reserved),
    used: Number(row.used),
    createdAt: new Date(Number(row.createdAt)),
    updatedAt: new Date(Number(row.updatedAt)),
  };
}

function toLease(row: ResourceLeaseEntity): Lease {
  return {
    id: row.id,
    mediator: row.mediator,
    resource: row.resource,
    holderId: row.holderId,
    amount: Number(row.amount),
    acquiredAt: new Date(Number(row.acquiredAt)),
    expiresAt: row.expiresAt === null ? null : new Date(Number(row.expiresAt)),
  };
}
