export interface ResourcePool {
  mediator: string;
  name: string;
  type: string;
  capacity: number;
  /** Sum of the amounts of the live leases; never above `capacity`. */
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
  return pool.used + amount <= pool.capacity;
}

export function isExpired(lease: Lease, now: Date): boolean {
  return lease.expiresAt !== null && lease.expiresAt <= now;
}
