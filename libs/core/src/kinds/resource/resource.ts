export interface ResourcePool {
  mediator: string;
  name: string;
  type: string;
  capacity: number;
  /**
   * Units in use outside leases (the original's `used`: a connection pool's open connections, a
   * quota already spent): set when the pool is defined, never taken or given back by leases.
   */
  reserved: number;
  /** Sum of the amounts of the live leases; `reserved + used` never exceeds `capacity`. */
  used: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Lease {
  id: string;
  mediator: string;
  resource: string;
  holderId: string;
  amount: number;
  acquiredAt: Date;
  /** null: held until released. */
  expiresAt: Date | null;
}

/** The rule every adapter's acquire must apply atomically. */
export function fits(pool: ResourcePool, amount: number): boolean {
  return pool.reserved + pool.used + amount <= pool.capacity;
}

/** Units a new lease may still take. */
export function freeUnits(pool: ResourcePool): number {
  return pool.capacity - pool.reserved - pool.used;
}

export function isExpired(lease: Lease, now: Date): boolean {
  return lease.expiresAt !== null && lease.expiresAt <= now;
}
