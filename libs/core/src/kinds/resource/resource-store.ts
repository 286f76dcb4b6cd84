import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import { type Lease, type ResourcePool, fits, isExpired } from './resource';

export type AcquireOutcome =
  | { acquired: true; pool: ResourcePool; lease: Lease }
  | { acquired: false; pool: ResourcePool | null };

/**
 * Pools and leases. `acquire` and `release` are single operations so an adapter can make them
 * atomic (SQL: `UPDATE pools SET used = used + ? WHERE name = ? AND reserved + used + ? <= capacity` and the
 * lease insert in one transaction): `reserved + used` never exceeds `capacity`, across instances.
 */
export abstract class ResourceStore {
  abstract findPool(mediator: string, name: string): Promise<ResourcePool | null>;
  /**
   * Creates or resizes a pool (type, capacity, reserved); false (nothing written) when the leases
   * (`used`) and the new reservation together would exceed the new capacity.
   */
  abstract savePool(pool: ResourcePool, event: LifecycleEvent): Promise<boolean>;
  abstract acquire(lease: Lease, event: LifecycleEvent): Promise<AcquireOutcome>;
  /** Deletes the lease and gives its amount back; null when it was already gone. */
  abstract release(
    mediator: string,
    leaseId: string,
    eventFor: (lease: Lease) => LifecycleEvent,
  ): Promise<Lease | null>;
  abstract findLease(mediator: string, id: string): Promise<Lease | null>;
  abstract listExpiredLeases(mediator: string, now: Date): Promise<Lease[]>;
}

export class InMemoryResourceStore extends ResourceStore {
  private readonly pools = new Map<string, ResourcePool>();
  private readonly leases = new Map<string, Lease>();

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async findPool(mediator: string, name: string): Promise<ResourcePool | null> {
    return this.pools.get(key(mediator, name)) ?? null;
  }

  async savePool(pool: ResourcePool, event: LifecycleEvent): Promise<boolean> {
    const used = this.pools.get(key(pool.mediator, pool.name))?.used ?? 0;
    if (pool.capacity < used + pool.reserved) return false;
    this.pools.set(key(pool.mediator, pool.name), { ...pool, used });
    this.events.emit(event);
    return true;
  }

  // No await between the check and the write: that is what makes it atomic in one process.
  async acquire(lease: Lease, event: LifecycleEvent): Promise<AcquireOutcome> {
    const pool = this.pools.get(key(lease.mediator, lease.resource));
    if (!pool || !fits(pool, lease.amount)) return { acquired: false, pool: pool ?? null };
    const after = { ...pool, used: pool.used + lease.amount, updatedAt: lease.acquiredAt };
    this.pools.set(key(lease.mediator, lease.resource), after);
    this.leases.set(key(lease.mediator, lease.id), lease);
    this.events.emit(event);
    return { acquired: true, pool: after, lease };
  }

  async release(
    mediator: string,
    leaseId: string,
    eventFor: (lease: Lease) => LifecycleEvent,
  ): Promise<Lease | null> {
    const lease = this.leases.get(key(mediator, leaseId));
    if (!lease) return null;
    this.leases.delete(key(mediator, leaseId));
    const pool = this.pools.get(key(mediator, lease.resource));
    if (pool)
      this.pools.set(key(mediator, lease.resource), { ...pool, used: pool.used - lease.amount });
    this.events.emit(eventFor(lease));
    return lease;
  }

  async findLease(mediator: string, id: string): Promise<Lease | null> {
    return this.leases.get(key(mediator, id)) ?? null;
  }

  async listExpiredLeases(mediator: string, now: Date): Promise<Lease[]> {
    return [...this.leases.values()].filter((l) => l.mediator === mediator && isExpired(l, now));
  }
}

function key(mediator: string, id: string): string {
  return `${mediator}\u0000${id}`;
}
