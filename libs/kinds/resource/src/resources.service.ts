import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  Clock,
  type Lease,
  LeaseNotFoundError,
  type ResourcePool,
  ValidationError,
} from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';
import type { Page, PageRequest } from '@mediator/persistence';
import { type PoolWithLeases, SqlResourceStore } from './sql-resource.store';
import {
  type AcquireLeaseDto,
  type DefineResourceDto,
  RESOURCE_NAME_PATTERN,
} from './resource.dto';

/** How often every instance releases expired leases (each release is atomic: one event). */
export const LEASE_SWEEP_INTERVAL_MS = 1000;

/**
 * Resource pools of the core (`mediator.resources`) on the SQL store, whose acquire is one
 * conditional UPDATE: leases never exceed `capacity − reserved`, whichever instance takes them.
 */
@Injectable()
export class ResourcesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Resources');
  private readonly sweeper = new PeriodicTask(
    'lease sweep',
    LEASE_SWEEP_INTERVAL_MS,
    () => this.sweep(),
    this.logger,
  );

  constructor(
    private readonly core: CoreMediatorProvider,
    readonly store: SqlResourceStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async define(
    mediatorName: string,
    name: string,
    dto: DefineResourceDto,
  ): Promise<{ pool: ResourcePool; leases: Lease[]; created: boolean }> {
    requireResourceName(name);
    const mediator = await this.core.mediator(mediatorName);
    const existed = (await this.store.findPool(mediatorName, name)) !== null;
    const pool = await mediator.resources.definePool({
      name,
      type: dto.type,
      capacity: dto.capacity,
      reserved: dto.used,
    });
    return { pool, leases: await this.store.listLeases(mediatorName, name), created: !existed };
  }

  async get(mediatorName: string, name: string): Promise<{ pool: ResourcePool; leases: Lease[] }> {
    const pool = await (await this.core.mediator(mediatorName)).resources.getPool(name);
    return { pool, leases: await this.store.listLeases(mediatorName, name) };
  }

  async list(mediatorName: string, page: PageRequest): Promise<Page<PoolWithLeases>> {
    await this.core.mediator(mediatorName);
    return this.store.page(mediatorName, page);
  }

  async acquire(mediatorName: string, resource: string, dto: AcquireLeaseDto): Promise<Lease> {
    const mediator = await this.core.mediator(mediatorName);
    const lease = await mediator.resources.acquire({
      resource,
      holderId: dto.holder_id,
      amount: dto.amount,
      ttlMs: dto.ttl * 1000,
    });
    return lease;
  }

  /** The lease of this resource, or LEASE_NOT_FOUND (for authorising its holder). */
  async lease(mediatorName: string, resource: string, leaseId: string): Promise<Lease> {
    await this.core.mediator(mediatorName);
    const lease = await this.store.findLease(mediatorName, leaseId);
    if (!lease || lease.resource !== resource) throw new LeaseNotFoundError(mediatorName, leaseId);
    return lease;
  }

  async release(mediatorName: string, resource: string, leaseId: string): Promise<Lease> {
    await this.lease(mediatorName, resource, leaseId);
    const released = await (await this.core.mediator(mediatorName)).resources.release(leaseId);
    return released;
  }

  /** One pass: every mediator with an expired lease runs the core's expireLeases. */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const name of await this.store.mediatorsWithExpiredLeases(now)) {
      const mediator = await this.core.mediator(name).catch(() => null);
      if (mediator) await mediator.resources.expireLeases(now);
    }
  }
}

function requireResourceName(name: string): void {
  if (!RESOURCE_NAME_PATTERN.test(name))
    throw new ValidationError('invalid resource name', [
      { field: 'resource', problem: `must match ${RESOURCE_NAME_PATTERN.source}` },
    ]);
}
