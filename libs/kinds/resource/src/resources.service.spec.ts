import type { TestingModule } from '@nestjs/testing';
import { type Lease, LeaseNotFoundError, type ResourcePool, ValidationError } from '@mediator/core';
import {
  compileKind,
  type CompiledKind,
  fakeFacade,
  fakePorts,
  type Ports,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { resourceKind } from './resource.kind';
import { LEASE_SWEEP_INTERVAL_MS, ResourcesService } from './resources.service';
import { SqlResourceStore } from './sql-resource.store';

const pool = { name: 'gpu', type: 'gpu', capacity: 4, reserved: 1 } as ResourcePool;
const lease = { id: 'l1', resource: 'gpu', holderId: 'h1', amount: 1 } as Lease;

describe('ResourcesService', () => {
  let ports: Ports;
  let resources: ReturnType<
    typeof fakeFacade<'definePool' | 'getPool' | 'acquire' | 'release' | 'expireLeases'>
  >;
  let service: ResourcesService;
  let moduleRef: TestingModule;
  let kind: CompiledKind<ResourcesService>;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts();
    resources = fakeFacade('definePool', 'getPool', 'acquire', 'release', 'expireLeases');
    resources.definePool.mockResolvedValue(pool);
    resources.acquire.mockResolvedValue(lease);
    resources.release.mockResolvedValue(lease);
    resources.expireLeases.mockResolvedValue([]);
    ports.core.knows('m', { resources });
    kind = await compileKind(resourceKind, ResourcesService, ports);
    ({ service, moduleRef } = kind);
    jest.spyOn(service.store, 'listLeases').mockResolvedValue([lease]);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('binds its SQL store as the core’s resource store in its module', () => {
    expect(service.store).toBeInstanceOf(SqlResourceStore);
    expect(kind.stores.resources).toBe(service.store);
  });

  it('refuses a resource name the URL grammar does not allow, before asking the core', async () => {
    const refused = service.define('m', '../gpu', { type: 'gpu', capacity: 1 });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'resource' }] });
    expect(ports.core.mediator).not.toHaveBeenCalled();
  });

  it('defines a pool (its `used` is the core’s `reserved`) and returns it with its leases', async () => {
    const findPool = jest.spyOn(service.store, 'findPool').mockResolvedValueOnce(null);

    await expect(
      service.define('m', 'gpu', { type: 'gpu', capacity: 4, used: 1 }),
    ).resolves.toEqual({ pool, leases: [lease], created: true });
    expect(resources.definePool).toHaveBeenCalledWith({
      name: 'gpu',
      type: 'gpu',
      capacity: 4,
      reserved: 1,
    });

    findPool.mockResolvedValueOnce(pool);
    await expect(service.define('m', 'gpu', { type: 'gpu', capacity: 4 })).resolves.toMatchObject({
      created: false,
    });
  });

  it('acquires a lease with its ttl in seconds turned into the core’s milliseconds', async () => {
    await expect(
      service.acquire('m', 'gpu', { holder_id: 'h1', amount: 1, ttl: 30 }),
    ).resolves.toBe(lease);
    expect(resources.acquire).toHaveBeenCalledWith({
      resource: 'gpu',
      holderId: 'h1',
      amount: 1,
      ttlMs: 30_000,
    });
  });

  it('answers LEASE_NOT_FOUND for a lease that does not exist or belongs to another resource', async () => {
    const findLease = jest.spyOn(service.store, 'findLease').mockResolvedValueOnce(null);
    await expect(service.lease('m', 'gpu', 'l0')).rejects.toBeInstanceOf(LeaseNotFoundError);

    findLease.mockResolvedValueOnce(lease);
    await expect(service.release('m', 'cpu', 'l1')).rejects.toBeInstanceOf(LeaseNotFoundError);
    expect(resources.release).not.toHaveBeenCalled();
  });

  it('releases a lease of the named resource through the core', async () => {
    jest.spyOn(service.store, 'findLease').mockResolvedValue(lease);

    await expect(service.release('m', 'gpu', 'l1')).resolves.toBe(lease);
    expect(resources.release).toHaveBeenCalledWith('l1');
  });

  it('sweeps expired leases of every mediator that has some, at the current time', async () => {
    const due = jest
      .spyOn(service.store, 'mediatorsWithExpiredLeases')
      .mockResolvedValue(['m', 'gone']);
    resources.expireLeases.mockResolvedValueOnce([lease]);

    await jest.advanceTimersByTimeAsync(LEASE_SWEEP_INTERVAL_MS);

    const now = new Date('2026-01-01T00:00:01.000Z');
    expect(due).toHaveBeenCalledWith(now);
    expect(resources.expireLeases).toHaveBeenCalledWith(now);
  });
});
