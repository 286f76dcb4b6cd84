// KINDS.md service and resource rows on the embedded default (SQLite): a missed heartbeat turns a
// service unhealthy with service_status_changed on Socket.IO; leases never exceed capacity (409
// INSUFFICIENT_CAPACITY), and an expired lease is released by the sweep with resource_released.
import type { Socket } from 'socket.io-client';
import { type Api, api, eventually, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';
import { connected, emitAck, record, waitFor } from '../support/ws';

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;
const sockets: Socket[] = [];

async function subscribed(mediator: string): Promise<Socket> {
  const socket = await connected(service.url, adminToken());
  sockets.push(socket);
  expect((await emitAck(socket, 'subscribe', { mediator })).ok).toBe(true);
  return socket;
}

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'ops' })).status).toBe(201);
  for (const id of ['worker-1', 'worker-2'])
    expect(
      (await admin.post('/mediators/ops/colleagues', { id, name: id, type: 'resource' })).status,
    ).toBe(201);
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});
afterAll(() => service?.stop());

describe('services', () => {
  it('registers (201), updates (200), validates and lists by status', async () => {
    const created = await admin.put('/mediators/ops/services/search', {
      type: 'http',
      status: 'healthy',
      endpoint: 'http://search:8080',
      heartbeat_ttl: 60,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'search',
      type: 'http',
      status: 'healthy',
      endpoint: 'http://search:8080',
      heartbeat_ttl: 60,
      version: 1,
    });
    const updated = await admin.put('/mediators/ops/services/search', {
      type: 'http',
      status: 'degraded',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: 'degraded', heartbeat_ttl: 60, version: 2 });

    expectError(
      await admin.put('/mediators/ops/services/search', { type: 'http', status: 'sleepy' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.put('/mediators/ops/services/search', { type: 'http', status: 'ok', x: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.post('/mediators/ops/services/ghost/heartbeat'),
      404,
      'SERVICE_NOT_FOUND',
    );
    expectError(
      await admin.put('/mediators/nope/services/a', { type: 'http', status: 'healthy' }),
      404,
      'MEDIATOR_NOT_FOUND',
    );
    const reader = api(service.url, token({ sub: 'r', scope: 'messages:read' }));
    expectError(
      await reader.put('/mediators/ops/services/x', { type: 'http', status: 'healthy' }),
      403,
      'INSUFFICIENT_SCOPE',
    );

    const degraded = await reader.get('/mediators/ops/services?status=degraded');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toEqual({
      items: [expect.objectContaining({ name: 'search', status: 'degraded' })],
      next_cursor: null,
    });
  });

  it('a missed heartbeat turns the service unhealthy once, with service_status_changed; a heartbeat heals it', async () => {
    const socket = await subscribed('ops');
    const changes = record<{ event: string; data: { service: string; status: string } }>(
      socket,
      'service_status_changed',
    );
    const registered = await admin.put('/mediators/ops/services/billing', {
      type: 'http',
      status: 'healthy',
      heartbeat_ttl: 1,
    });
    expect(registered.status).toBe(201);
    const beat = await api(service.url, token({ sub: 's', scope: 'messages:send' })).post(
      '/mediators/ops/services/billing/heartbeat',
    );
    expect(beat.status).toBe(200);
    expect(beat.body.status).toBe('healthy');

    const unhealthy = await waitFor(
      socket,
      'service_status_changed',
      (e) => e.data?.service === 'billing',
      10_000,
    );
    expect(unhealthy).toMatchObject({
      event: 'service_status_changed',
      mediator: 'ops',
      data: {
        service: 'billing',
        status: 'unhealthy',
        previous_status: 'healthy',
        reason: 'heartbeat_missed',
      },
    });
    expect((await admin.get('/mediators/ops/services/billing')).body.status).toBe('unhealthy');
    const list = await admin.get('/mediators/ops/services?status=unhealthy');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['billing']);

    // Later sweeps do not repeat the change; the next heartbeat heals it, with one more event.
    const healed = await admin.post('/mediators/ops/services/billing/heartbeat');
    expect(healed.body.status).toBe('healthy');
    await eventually(async () =>
      expect(changes.filter((c) => c.data.service === 'billing').map((c) => c.data.status)).toEqual(
        ['unhealthy', 'healthy'],
      ),
    );
  });
});

describe('resources', () => {
  it('leases within capacity, refuses beyond it with 409, and releases', async () => {
    const created = await admin.put('/mediators/ops/resources/gpu', { type: 'gpu', capacity: 3 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'gpu', capacity: 3, used: 0, leases: [] });

    const worker = api(service.url, colleagueToken('ops', 'worker-1'));
    const first = await worker.post('/mediators/ops/resources/gpu/leases', {
      holder_id: 'worker-1',
      amount: 2,
      ttl: 600,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ resource: 'gpu', holder_id: 'worker-1', amount: 2 });
    const over = await worker.post('/mediators/ops/resources/gpu/leases', {
      holder_id: 'worker-1',
      amount: 2,
      ttl: 600,
    });
    expectError(over, 409, 'INSUFFICIENT_CAPACITY');
    expectError(
      await worker.post('/mediators/ops/resources/gpu/leases', {
        holder_id: 'worker-2',
        amount: 1,
        ttl: 600,
      }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(
      await admin.put('/mediators/ops/resources/gpu', { type: 'gpu', capacity: 1 }),
      409,
      'INSUFFICIENT_CAPACITY',
    );
    const pool = await worker.get('/mediators/ops/resources/gpu');
    expect(pool.body).toMatchObject({ capacity: 3, used: 2 });
    expect(pool.body.leases.map((l: { id: string }) => l.id)).toEqual([first.body.id]);

    const released = await worker.delete(`/mediators/ops/resources/gpu/leases/${first.body.id}`);
    expect(released.status).toBe(204);
    expectError(
      await worker.delete(`/mediators/ops/resources/gpu/leases/${first.body.id}`),
      404,
      'LEASE_NOT_FOUND',
    );
    expect((await admin.get('/mediators/ops/resources/gpu')).body).toMatchObject({
      used: 0,
      leases: [],
    });
  });

  it('concurrent acquires never take more than the capacity', async () => {
    expect(
      (await admin.put('/mediators/ops/resources/slots', { type: 'slot', capacity: 5 })).status,
    ).toBe(201);
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        admin.post('/mediators/ops/resources/slots/leases', {
          holder_id: 'worker-2',
          amount: 1,
          ttl: 600,
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(25);
    const pool = (await admin.get('/mediators/ops/resources/slots')).body;
    expect(pool.used).toBe(5);
    expect(pool.leases).toHaveLength(5);
  });

  it('an expired lease is released by the sweep: used goes back down, one resource_released', async () => {
    expect(
      (await admin.put('/mediators/ops/resources/db', { type: 'conn', capacity: 2 })).status,
    ).toBe(201);
    const socket = await subscribed('ops');
    const releases = record<{ data: { lease_id: string; reason: string } }>(
      socket,
      'resource_released',
    );
    const leased = waitFor(socket, 'resource_leased', (e) => e.data?.resource === 'db');
    const lease = await admin.post('/mediators/ops/resources/db/leases', {
      holder_id: 'worker-1',
      amount: 2,
      ttl: 1,
    });
    expect(lease.status).toBe(201);
    expect((await leased).data).toMatchObject({ lease_id: lease.body.id, amount: 2 });
    expect((await admin.get('/mediators/ops/resources/db')).body.used).toBe(2);

    const released = await waitFor(
      socket,
      'resource_released',
      (e) => e.data?.lease_id === lease.body.id,
      10_000,
    );
    expect(released.data).toMatchObject({ resource: 'db', amount: 2, reason: 'expired' });
    expect((await admin.get('/mediators/ops/resources/db')).body).toMatchObject({
      used: 0,
      leases: [],
    });
    expectError(
      await admin.delete(`/mediators/ops/resources/db/leases/${lease.body.id}`),
      404,
      'LEASE_NOT_FOUND',
    );
    // A later lease fits again, and the expired one was released once.
    expect(
      (
        await admin.post('/mediators/ops/resources/db/leases', {
          holder_id: 'worker-1',
          amount: 2,
          ttl: 600,
        })
      ).status,
    ).toBe(201);
    expect(releases.filter((r) => r.data.lease_id === lease.body.id)).toHaveLength(1);
  });
});
