import { ConcreteMediator } from '../../concrete-mediator';
import type { LifecycleEvent } from '../../ports';
import { ManualClock } from '../../timing';
import { InMemoryServiceStore } from './service-store';

async function setUp(store = new InMemoryServiceStore()) {
  const clock = new ManualClock('2024-01-01T00:00:00Z');
  const mediator = new ConcreteMediator(
    {},
    { clock, scheduler: clock, stores: { services: store } },
  );
  const events: LifecycleEvent[] = [];
  store.events.on((e) => events.push(e));
  return { mediator, clock, store, events };
}

describe('service registry', () => {
  it('registers a service healthy, with its heartbeat at registration', async () => {
    const { mediator, clock } = await setUp();
    const service = await mediator.services.register({
      name: 'billing',
      type: 'http',
      endpoint: 'http://billing',
      heartbeatTtlMs: 10_000,
    });
    expect(service).toMatchObject({
      name: 'billing',
      status: 'healthy',
      lastHeartbeatAt: clock.now(),
      heartbeatTtlMs: 10_000,
      version: 1,
    });
  });

  it("reads the original's status `running` as healthy, in a registration and a listing", async () => {
    const { mediator, clock } = await setUp();
    const service = await mediator.services.register({
      name: 'user_service',
      type: 'microservice',
      status: 'running',
    });
    expect(service.status).toBe('healthy');
    expect((await mediator.services.list('running')).map((s) => s.name)).toEqual(['user_service']);
    clock.advance(31_000);
    const [missed] = await mediator.services.checkHeartbeats();
    expect(missed.status).toBe('unhealthy');
    expect((await mediator.services.heartbeat('user_service')).status).toBe('healthy');
  });

  it('marks a service that missed its heartbeat ttl unhealthy, once, with service_status_changed', async () => {
    const { mediator, clock, events } = await setUp();
    await mediator.services.register({ name: 'billing', type: 'http', heartbeatTtlMs: 10_000 });
    await mediator.services.register({ name: 'search', type: 'http', heartbeatTtlMs: 60_000 });

    clock.advance(10_000);
    expect(await mediator.services.checkHeartbeats()).toEqual([]);
    clock.advance(1);
    const marked = await mediator.services.checkHeartbeats();
    const again = await mediator.services.checkHeartbeats(clock.now());

    expect(marked.map((s) => [s.name, s.status])).toEqual([['billing', 'unhealthy']]);
    expect(again).toEqual([]);
    expect((await mediator.services.get('search')).status).toBe('healthy');
    const changes = events.filter((e) => e.event === 'service_status_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0].data).toMatchObject({
      service: 'billing',
      status: 'unhealthy',
      previous_status: 'healthy',
      reason: 'heartbeat_missed',
    });
    expect((await mediator.services.list('unhealthy')).map((s) => s.name)).toEqual(['billing']);
  });

  it('keeps a service healthy while heartbeats come in, and heals it with the next heartbeat', async () => {
    const { mediator, clock, events } = await setUp();
    await mediator.services.register({ name: 'billing', type: 'http', heartbeatTtlMs: 1000 });
    for (let i = 0; i < 5; i++) {
      clock.advance(900);
      await mediator.services.heartbeat('billing');
      expect(await mediator.services.checkHeartbeats()).toEqual([]);
    }
    clock.advance(1001);
    await mediator.services.checkHeartbeats();
    const healed = await mediator.services.heartbeat('billing');

    expect(healed.status).toBe('healthy');
    expect(
      events
        .filter((e) => e.event === 'service_status_changed')
        .map((e) => (e.data as { status: string }).status),
    ).toEqual(['unhealthy', 'healthy']);
  });

  it('lets only one of two instances mark the same missed heartbeat', async () => {
    const store = new InMemoryServiceStore();
    const a = await setUp(store);
    const b = await setUp(store);
    await a.mediator.services.register({ name: 'billing', type: 'http', heartbeatTtlMs: 1000 });
    const later = new Date('2024-01-01T00:00:05Z');

    const [fromA, fromB] = await Promise.all([
      a.mediator.services.checkHeartbeats(later),
      b.mediator.services.checkHeartbeats(later),
    ]);

    expect(fromA.length + fromB.length).toBe(1);
    expect(a.events.filter((e) => e.event === 'service_status_changed')).toHaveLength(1);
  });

  it('does not mark stopped services, validates input, and reports unknown services', async () => {
    const { mediator, clock } = await setUp();
    await mediator.services.register({
      name: 'old',
      type: 'http',
      status: 'stopped',
      heartbeatTtlMs: 1,
    });
    clock.advance(1000);
    expect(await mediator.services.checkHeartbeats()).toEqual([]);
    await expect(
      mediator.services.register({ name: 'x', type: 'http', status: 'sleepy' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      mediator.services.register({ name: 'x', type: 'http', heartbeatTtlMs: 0 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(mediator.services.heartbeat('ghost')).rejects.toMatchObject({
      code: 'SERVICE_NOT_FOUND',
      category: 'not_found',
    });
  });
});
