import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Lease, ResourcePool, ServiceRecord } from '@mediator/core';
import { SqlResourceStore } from '../../libs/kinds/resource/src/sql-resource.store';
import { SqlServiceStore } from '../../libs/kinds/service/src/sql-service.store';
import { TypeOrmMediatorRepository } from '@mediator/persistence/relational/typeorm-mediator.repository';
import { TypeOrmOutboxRepository } from '@mediator/persistence/relational/typeorm-outbox.repository';
import { type Harness, at, event, mediator, nextId, useHarness } from './harness';

export interface KindStores {
  dataSource: DataSource;
  services: SqlServiceStore;
  resources: SqlResourceStore;
  outbox: TypeOrmOutboxRepository;
}

/** The service and resource stores on one SQL database, with mediators 'orders' and 'billing'. */
export function kindStores(options: () => Promise<DataSourceOptions>): Harness<KindStores> {
  let ds: DataSource | undefined;
  return {
    async open() {
      ds = await new DataSource(await options()).initialize();
      return {
        dataSource: ds,
        services: new SqlServiceStore(ds),
        resources: new SqlResourceStore(ds),
        outbox: new TypeOrmOutboxRepository(ds),
      };
    },
    async clean() {
      for (const table of ['kind_resource_leases', 'kind_resources', 'kind_services', 'outbox'])
        await ds!.query(`DELETE FROM ${table}`);
      await ds!.query('DELETE FROM colleagues');
      await ds!.query('DELETE FROM mediators');
      const mediators = new TypeOrmMediatorRepository(ds!);
      for (const name of ['orders', 'billing'])
        await mediators.create(mediator(name), event('mediator_created', name));
      await ds!.query('DELETE FROM outbox');
    },
    async close() {
      await ds?.destroy();
    },
  };
}

function service(overrides: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    mediator: 'orders',
    name: 'billing-api',
    type: 'http',
    status: 'healthy',
    endpoint: 'http://billing:8080',
    heartbeatTtlMs: 10_000,
    lastHeartbeatAt: at('2026-01-02T03:04:05.123Z'),
    version: 1,
    registeredAt: at('2026-01-02T03:04:05.123Z'),
    updatedAt: at('2026-01-02T03:04:05.123Z'),
    ...overrides,
  };
}

function pool(overrides: Partial<ResourcePool> = {}): ResourcePool {
  return {
    mediator: 'orders',
    name: 'gpu',
    type: 'compute',
    capacity: 3,
    reserved: 0,
    used: 0,
    createdAt: at('2026-01-02T03:04:05.000Z'),
    updatedAt: at('2026-01-02T03:04:05.000Z'),
    ...overrides,
  };
}

function lease(overrides: Partial<Lease> = {}): Lease {
  return {
    id: nextId(),
    mediator: 'orders',
    resource: 'gpu',
    holderId: 'worker-1',
    amount: 1,
    acquiredAt: at('2026-01-02T03:04:06.000Z'),
    expiresAt: at('2026-01-02T03:05:06.000Z'),
    ...overrides,
  };
}

/** ServiceStore (compare-and-set) and ResourceStore (atomic acquire, release once). */
export function serviceResourceStoresContract(harness: Harness<KindStores>): void {
  describe('ServiceStore (SQL)', () => {
    const stores = useHarness(harness);

    it('stores a service with its fields and lists it by status', async () => {
      const { services, outbox } = stores();
      const record = service();
      expect(await services.save(record, event('service_registered', 'orders'))).toBe(true);
      await services.save(service({ name: 'search', status: 'stopped', endpoint: null }), null);

      expect(await services.find('orders', 'billing-api')).toEqual(record);
      expect(await services.find('billing', 'billing-api')).toBeNull();
      expect((await services.list('orders')).map((s) => s.name)).toEqual(['billing-api', 'search']);
      expect((await services.list('orders', 'stopped')).map((s) => s.name)).toEqual(['search']);
      expect((await outbox.next(10)).map((r) => r.event)).toEqual(['service_registered']);
    });

    it('compare-and-set: of two writers of the same version one wins, and only its event is kept', async () => {
      const { services, outbox } = stores();
      const v1 = service();
      await services.save(v1, null);
      const v2a = { ...v1, status: 'unhealthy' as const, version: 2 };
      const v2b = { ...v1, status: 'degraded' as const, version: 2 };
      const results = await Promise.all([
        services.save(v2a, event('service_status_changed', 'orders', { status: 'unhealthy' })),
        services.save(v2b, event('service_status_changed', 'orders', { status: 'degraded' })),
      ]);

      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await services.save(service(), null)).toBe(false); // version 1 again: exists
      expect(await services.save({ ...v1, version: 5 }, null)).toBe(false); // gap
      const stored = await services.find('orders', 'billing-api');
      expect(stored?.version).toBe(2);
      const events = await outbox.next(10);
      expect(events).toHaveLength(1);
      expect((events[0].data as { status: string }).status).toBe(stored?.status);
    });

    it('names the mediators with a missed heartbeat, ignoring unhealthy and stopped services', async () => {
      const { services } = stores();
      const beat = at('2026-01-02T03:00:00.000Z');
      await services.save(service({ lastHeartbeatAt: beat, heartbeatTtlMs: 1000 }), null);
      await services.save(
        service({ mediator: 'billing', status: 'stopped', lastHeartbeatAt: beat }),
        null,
      );
      expect(await services.mediatorsWithMissedHeartbeats(at('2026-01-02T03:00:01.000Z'))).toEqual(
        [],
      );
      expect(await services.mediatorsWithMissedHeartbeats(at('2026-01-02T03:00:01.001Z'))).toEqual([
        'orders',
      ]);
    });

    it('pages services by name', async () => {
      const { services } = stores();
      for (const name of ['c', 'a', 'b']) await services.save(service({ name }), null);
      const first = await services.page('orders', undefined, { limit: 2 });
      expect(first.items.map((s) => s.name)).toEqual(['a', 'b']);
      expect(first.nextCursor).not.toBeNull();
      const second = await services.page('orders', 'healthy', { limit: 2, after: 'b' });
      expect(second).toEqual({ items: [expect.objectContaining({ name: 'c' })], nextCursor: null });
    });
  });

  describe('ResourceStore (SQL)', () => {
    const stores = useHarness(harness);

    it('creates and resizes a pool, never below what is leased', async () => {
      const { resources, outbox } = stores();
      expect(await resources.savePool(pool(), event('resource_defined', 'orders'))).toBe(true);
      await resources.acquire(lease({ amount: 2 }), event('resource_leased', 'orders'));
      expect(await resources.savePool(pool({ capacity: 1 }), event('x', 'orders'))).toBe(false);
      expect(
        await resources.savePool(pool({ capacity: 5, type: 'gpu' }), event('y', 'orders')),
      ).toBe(true);

      expect(await resources.findPool('orders', 'gpu')).toMatchObject({
        type: 'gpu',
        capacity: 5,
        used: 2,
      });
      expect((await outbox.next(10)).map((r) => r.event)).toEqual([
        'resource_defined',
        'resource_leased',
        'y',
      ]);
    });

    it('acquires while the amount fits and refuses beyond capacity, without a lease or event', async () => {
      const { resources, outbox } = stores();
      await resources.savePool(pool(), event('resource_defined', 'orders'));
      const first = lease({ amount: 2 });
      const ok = await resources.acquire(first, event('resource_leased', 'orders'));
      const refused = await resources.acquire(lease({ amount: 2 }), event('nope', 'orders'));
      const missing = await resources.acquire(lease({ resource: 'tpu' }), event('no', 'orders'));

      expect(ok).toEqual({
        acquired: true,
        pool: expect.objectContaining({ used: 2 }),
        lease: first,
      });
      expect(refused).toEqual({ acquired: false, pool: expect.objectContaining({ used: 2 }) });
      expect(missing).toEqual({ acquired: false, pool: null });
      expect(await resources.findLease('orders', first.id)).toEqual(first);
      expect(await resources.listLeases('orders', 'gpu')).toEqual([first]);
      expect((await outbox.next(10)).map((r) => r.event)).toEqual([
        'resource_defined',
        'resource_leased',
      ]);
    });

    it('never exceeds capacity under concurrent acquires', async () => {
      const { resources, dataSource } = stores();
      await resources.savePool(pool({ capacity: 10 }), event('resource_defined', 'orders'));
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          resources.acquire(lease({ holderId: `w${i}` }), event('resource_leased', 'orders')),
        ),
      );

      expect(outcomes.filter((o) => o.acquired)).toHaveLength(10);
      expect((await resources.findPool('orders', 'gpu'))?.used).toBe(10);
      const [{ total }] = await dataSource.query(
        "SELECT SUM(amount) AS total FROM kind_resource_leases WHERE resource = 'gpu'",
      );
      expect(Number(total)).toBe(10);
    });

    it('keeps a reservation outside leases: leases take at most capacity − reserved', async () => {
      const { resources } = stores();
      const defined = pool({ capacity: 100, reserved: 50 });
      expect(await resources.savePool(defined, event('resource_defined', 'orders'))).toBe(true);
      const big = await resources.acquire(lease({ amount: 51 }), event('no', 'orders'));
      const fits = await resources.acquire(lease({ amount: 50 }), event('leased', 'orders'));

      expect(big.acquired).toBe(false);
      expect(fits.acquired).toBe(true);
      expect(await resources.findPool('orders', 'gpu')).toMatchObject({ reserved: 50, used: 50 });
      // The reservation is not the leases': a resize that would not leave room for both fails.
      expect(
        await resources.savePool(pool({ capacity: 99, reserved: 50 }), event('x', 'orders')),
      ).toBe(false);
      expect(
        await resources.savePool(pool({ capacity: 100, reserved: 10 }), event('y', 'orders')),
      ).toBe(true);
      expect(await resources.findPool('orders', 'gpu')).toMatchObject({ reserved: 10, used: 50 });
    });

    it('refuses a new pool whose reservation exceeds its capacity', async () => {
      const { resources } = stores();
      expect(
        await resources.savePool(pool({ capacity: 5, reserved: 6 }), event('x', 'orders')),
      ).toBe(false);
      expect(await resources.findPool('orders', 'gpu')).toBeNull();
    });

    it('never exceeds capacity − reserved under concurrent acquires and resizes', async () => {
      const { resources, dataSource } = stores();
      await resources.savePool(pool({ capacity: 20, reserved: 10 }), event('defined', 'orders'));
      const acquires = Array.from({ length: 30 }, (_, i) =>
        resources.acquire(lease({ holderId: `w${i}` }), event('resource_leased', 'orders')),
      );
      // Raising the reservation concurrently: it lands only while the leases leave room for it.
      const resize = resources.savePool(pool({ capacity: 20, reserved: 15 }), event('r', 'orders'));
      const [outcomes, resized] = await Promise.all([Promise.all(acquires), resize]);

      const after = (await resources.findPool('orders', 'gpu'))!;
      const leased = outcomes.filter((o) => o.acquired).length;
      expect(after.reserved + after.used).toBeLessThanOrEqual(20);
      expect(after.used).toBe(leased);
      expect(after.reserved).toBe(resized ? 15 : 10);
      const [{ total }] = await dataSource.query(
        "SELECT SUM(amount) AS total FROM kind_resource_leases WHERE resource = 'gpu'",
      );
      expect(Number(total)).toBe(leased);
    });

    it('releases a lease once: the amount comes back and one event is written', async () => {
      const { resources, outbox } = stores();
      await resources.savePool(pool(), event('resource_defined', 'orders'));
      const held = lease({ amount: 3 });
      await resources.acquire(held, event('resource_leased', 'orders'));
      const released = await Promise.all([
        resources.release('orders', held.id, () => event('resource_released', 'orders')),
        resources.release('orders', held.id, () => event('resource_released', 'orders')),
      ]);

      expect(released.filter((l) => l !== null)).toEqual([held]);
      expect((await resources.findPool('orders', 'gpu'))?.used).toBe(0);
      expect(await resources.findLease('orders', held.id)).toBeNull();
      expect((await outbox.next(10)).filter((r) => r.event === 'resource_released')).toHaveLength(
        1,
      );
    });

    it('pages pools by name, each with its own live leases', async () => {
      const { resources } = stores();
      for (const name of ['tpu', 'cpu', 'gpu'])
        await resources.savePool(pool({ name }), event('resource_defined', 'orders'));
      await resources.savePool(pool({ mediator: 'billing' }), event('resource_defined', 'billing'));
      const held = lease({ amount: 2 });
      const other = lease({ resource: 'tpu' });
      for (const l of [held, other]) await resources.acquire(l, event('resource_leased', 'orders'));

      const first = await resources.page('orders', { limit: 2 });
      expect(first.items.map((p) => [p.pool.name, p.pool.used, p.leases])).toEqual([
        ['cpu', 0, []],
        ['gpu', 2, [held]],
      ]);
      expect(first.nextCursor).not.toBeNull();
      const rest = await resources.page('orders', { limit: 2, after: 'gpu' });
      expect(rest).toEqual({
        items: [{ pool: expect.objectContaining({ name: 'tpu', used: 1 }), leases: [other] }],
        nextCursor: null,
      });
    });

    it('lists expired leases and the mediators that have them', async () => {
      const { resources } = stores();
      await resources.savePool(pool({ capacity: 10 }), event('resource_defined', 'orders'));
      const soon = lease({ expiresAt: at('2026-01-02T03:04:10.000Z') });
      const later = lease({ expiresAt: at('2026-01-02T03:04:20.000Z') });
      const forever = lease({ expiresAt: null });
      for (const l of [soon, later, forever]) await resources.acquire(l, event('e', 'orders'));
      const now = at('2026-01-02T03:04:10.000Z');

      expect(await resources.listExpiredLeases('orders', now)).toEqual([soon]);
      expect(await resources.listExpiredLeases('billing', now)).toEqual([]);
      expect(await resources.mediatorsWithExpiredLeases(now)).toEqual(['orders']);
      expect(await resources.mediatorsWithExpiredLeases(at('2026-01-02T03:04:09.999Z'))).toEqual(
        [],
      );
    });
  });
}
