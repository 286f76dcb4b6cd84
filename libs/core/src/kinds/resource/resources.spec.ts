import { ConcreteMediator } from '../../concrete-mediator';
import type { LifecycleEvent } from '../../ports';
import { ManualClock } from '../../timing';
import { InMemoryResourceStore } from './resource-store';

async function setUp(store = new InMemoryResourceStore()) {
  const clock = new ManualClock('2024-01-01T00:00:00Z');
  const mediator = new ConcreteMediator(
    {},
    { clock, scheduler: clock, stores: { resources: store } },
  );
  const events: LifecycleEvent[] = [];
  store.events.on((e) => events.push(e));
  return { mediator, clock, store, events };
}

describe('resources', () => {
  it('leases part of a pool and gives it back on release', async () => {
    const { mediator, events } = await setUp();
    await mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 4 });

    const lease = await mediator.resources.acquire({
      resource: 'gpus',
      holderId: 'trainer',
      amount: 3,
    });
    expect((await mediator.resources.getPool('gpus')).used).toBe(3);
    await mediator.resources.release(lease.id);

    expect((await mediator.resources.getPool('gpus')).used).toBe(0);
    expect(events.map((e) => e.event)).toEqual([
      'resource_defined',
      'resource_leased',
      'resource_released',
    ]);
    await expect(mediator.resources.release(lease.id)).rejects.toMatchObject({
      code: 'LEASE_NOT_FOUND',
    });
  });

  it('never lets used exceed capacity, even with 200 concurrent acquires from two mediators', async () => {
    const store = new InMemoryResourceStore();
    const a = await setUp(store);
    const b = await setUp(store);
    await a.mediator.resources.definePool({ name: 'slots', type: 'slot', capacity: 50 });

    const attempts = Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? a : b).mediator.resources
        .acquire({ resource: 'slots', holderId: `h${i}`, amount: 1 })
        .then(
          () => 'ok',
          (e: { code: string; category: string }) => `${e.code}/${e.category}`,
        ),
    );
    const outcomes = await Promise.all(attempts);

    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(50);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_CAPACITY/conflict')).toHaveLength(150);
    expect((await a.mediator.resources.getPool('slots')).used).toBe(50);
  });

  it('refuses an amount larger than what is free, naming both', async () => {
    const { mediator } = await setUp();
    await mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 4 });
    await mediator.resources.acquire({ resource: 'gpus', holderId: 'a', amount: 3 });
    await expect(
      mediator.resources.acquire({ resource: 'gpus', holderId: 'b', amount: 2 }),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_CAPACITY',
      message: "resource 'gpus': 1 free, 2 requested",
    });
  });

  it('releases expired leases once, with resource_released reason expired', async () => {
    const { mediator, clock, events } = await setUp();
    await mediator.resources.definePool({ name: 'db', type: 'conn', capacity: 2 });
    const short = await mediator.resources.acquire({ resource: 'db', holderId: 'a', ttlMs: 1000 });
    await mediator.resources.acquire({ resource: 'db', holderId: 'b' }); // no ttl: kept

    clock.advance(999);
    expect(await mediator.resources.expireLeases()).toEqual([]);
    clock.advance(1);
    const released = await mediator.resources.expireLeases();

    expect(released.map((l) => l.id)).toEqual([short.id]);
    expect(await mediator.resources.expireLeases()).toEqual([]);
    expect((await mediator.resources.getPool('db')).used).toBe(1);
    expect(
      events
        .filter((e) => e.event === 'resource_released')
        .map((e) => (e.data as { reason: string }).reason),
    ).toEqual(['expired']);
  });

  it("keeps the original's `used: 50` as a reservation: leases take at most capacity − used", async () => {
    const { mediator } = await setUp();
    const pool = await mediator.resources.definePool({
      name: 'database_connection',
      type: 'connection',
      capacity: 100,
      reserved: 50,
    });
    expect(pool).toMatchObject({ capacity: 100, reserved: 50, used: 0 });
    await expect(
      mediator.resources.acquire({ resource: 'database_connection', holderId: 'a', amount: 51 }),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_CAPACITY',
      message: expect.stringMatching(/50 free/),
    });
    await mediator.resources.acquire({
      resource: 'database_connection',
      holderId: 'a',
      amount: 50,
    });
    // A resize without `reserved` keeps it; one that leaves no room for leases + reserved fails.
    const resized = await mediator.resources.definePool({
      name: 'database_connection',
      type: 'connection',
      capacity: 120,
    });
    expect(resized).toMatchObject({ reserved: 50, used: 50 });
    await expect(
      mediator.resources.definePool({
        name: 'database_connection',
        type: 'c',
        capacity: 100,
        reserved: 51,
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_CAPACITY' });
  });

  it('resizes a pool but not below what is leased', async () => {
    const { mediator } = await setUp();
    await mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 4 });
    await mediator.resources.acquire({ resource: 'gpus', holderId: 'a', amount: 3 });
    await expect(
      mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 2 }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_CAPACITY' });
    expect(
      await mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 8 }),
    ).toMatchObject({ capacity: 8, used: 3 });
  });

  it('validates input and reports unknown pools', async () => {
    const { mediator } = await setUp();
    await mediator.resources.definePool({ name: 'p', type: 't', capacity: 1 });
    await expect(
      mediator.resources.acquire({ resource: 'nope', holderId: 'a' }),
    ).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(
      mediator.resources.acquire({ resource: 'p', holderId: 'a', amount: 0 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      mediator.resources.definePool({ name: 'q', type: 't', capacity: -1 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
