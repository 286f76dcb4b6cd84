import { InsufficientCapacityError, LeaseNotFoundError, ResourceNotFoundError } from '../../errors';
import {
  type KindHost,
  addMs,
  requireName,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from '../kind-host';
import { freeUnits, type Lease, type ResourcePool } from './resource';
import type { ResourceStore } from './resource-store';

export interface DefinePoolInput {
  name: string;
  type: string;
  capacity: number;
  /** Units in use outside leases (the original's `used`); kept as it is when left out. */
  reserved?: number;
}

export interface AcquireInput {
  resource: string;
  holderId: string;
  amount?: number;
  /** Lease lifetime; without it the lease lasts until released. */
  ttlMs?: number;
}

/** Resource pools with a capacity and the leases that take part of it. */
export class ResourceManager {
  constructor(
    private readonly host: KindHost,
    private readonly store: ResourceStore,
  ) {}

  /**
   * Creates or resizes a pool; a capacity below what is leased plus the reservation fails with
   * INSUFFICIENT_CAPACITY (atomically against concurrent acquires: the store checks it).
   */
  async definePool(input: DefinePoolInput): Promise<ResourcePool> {
    requireName('resource', input.name);
    requireName('type', input.type);
    requireNonNegativeInteger('capacity', input.capacity);
    if (input.reserved !== undefined) requireNonNegativeInteger('used', input.reserved);
    const now = this.host.clock.now();
    const current = await this.store.findPool(this.host.name, input.name);
    const reserved = input.reserved ?? current?.reserved ?? 0;
    const pool: ResourcePool = {
      mediator: this.host.name,
      name: input.name,
      type: input.type,
      capacity: input.capacity,
      reserved,
      used: current?.used ?? 0,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    const event = this.host.event('resource_defined', {
      resource: pool.name,
      type: pool.type,
      capacity: pool.capacity,
      reserved: pool.reserved,
    });
    if (!(await this.store.savePool(pool, event))) {
      const leased = (await this.store.findPool(this.host.name, input.name))?.used ?? 0;
      throw new InsufficientCapacityError(
        input.name,
        `${leased} leased and ${reserved} reserved, capacity ${input.capacity} requested`,
      );
    }
    return this.getPool(input.name);
  }

  async getPool(name: string): Promise<ResourcePool> {
    const pool = await this.store.findPool(this.host.name, name);
    if (!pool) throw new ResourceNotFoundError(this.host.name, name);
    return pool;
  }

  async acquire(input: AcquireInput): Promise<Lease> {
    const amount = input.amount ?? 1;
    requireName('holder_id', input.holderId);
    requirePositiveInteger('amount', amount);
    if (input.ttlMs !== undefined) requirePositiveInteger('ttl', input.ttlMs);
    const now = this.host.clock.now();
    const lease: Lease = {
      id: this.host.newId(),
      mediator: this.host.name,
      resource: input.resource,
      holderId: input.holderId,
      amount,
      acquiredAt: now,
      expiresAt: input.ttlMs === undefined ? null : addMs(now, input.ttlMs),
    };
    const outcome = await this.store.acquire(lease, this.leaseEvent('resource_leased', lease));
    if (outcome.acquired) return outcome.lease;
    if (!outcome.pool) throw new ResourceNotFoundError(this.host.name, input.resource);
    const free = freeUnits(outcome.pool);
    throw new InsufficientCapacityError(input.resource, `${free} free, ${amount} requested`);
  }

  async release(leaseId: string): Promise<Lease> {
    const lease = await this.store.release(this.host.name, leaseId, (l) =>
      this.leaseEvent('resource_released', l, 'released'),
    );
    if (!lease) throw new LeaseNotFoundError(this.host.name, leaseId);
    return lease;
  }

  /** Releases every lease whose ttl has passed; returns those this call released. */
  async expireLeases(now: Date = this.host.clock.now()): Promise<Lease[]> {
    const expired = await this.store.listExpiredLeases(this.host.name, now);
    const released: Lease[] = [];
    for (const lease of expired) {
      // null: released meanwhile by its holder or another instance, so no second event.
      const gone = await this.store.release(this.host.name, lease.id, (l) =>
        this.leaseEvent('resource_released', l, 'expired'),
      );
      if (gone) released.push(gone);
    }
    return released;
  }

  private leaseEvent(event: string, lease: Lease, reason?: string) {
    return this.host.event(event, {
      lease_id: lease.id,
      resource: lease.resource,
      holder_id: lease.holderId,
      amount: lease.amount,
      expires_at: lease.expiresAt?.toISOString() ?? null,
      ...(reason ? { reason } : {}),
    });
  }
}
