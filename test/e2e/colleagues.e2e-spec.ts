// CONTRACT §4 Colleagues: register, list (type filter, paging), get, patch, unregister.
import { type Api, api, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'team' })).status).toBe(201);
  expect((await admin.post('/mediators', { name: 'tiny', max_colleagues: 1 })).status).toBe(201);
});
afterAll(() => service?.stop());

describe('POST /mediators/{name}/colleagues', () => {
  it('registers a colleague with the contract defaults', async () => {
    const res = await admin.post('/mediators/team/colleagues', {
      id: 'billing-1',
      name: 'Billing worker',
      type: 'command',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: 'billing-1',
      name: 'Billing worker',
      type: 'command',
      active: true,
      handles: [],
      subscriptions: [],
      metadata: {},
      online: false,
      registered_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect((await admin.get('/mediators/team')).body.colleague_count).toBe(1);
  });

  it('keeps handles, subscriptions and metadata', async () => {
    const res = await admin.post('/mediators/team/colleagues', {
      id: 'events-1',
      name: 'Event sink',
      type: 'event',
      handles: ['user_created'],
      subscriptions: ['order_created', 'order_paid'],
      metadata: { region: 'eu', replicas: 2 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      handles: ['user_created'],
      subscriptions: ['order_created', 'order_paid'],
      metadata: { region: 'eu', replicas: 2 },
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad id', { id: ' bad id', name: 'x', type: 'task' }, 'id'],
    ['an unknown type', { id: 'c1', name: 'x', type: 'robot' }, 'type'],
    ['a missing name', { id: 'c1', type: 'task' }, 'name'],
    ['handles not strings', { id: 'c1', name: 'x', type: 'task', handles: [1, 2] }, 'handles'],
    ['metadata not an object', { id: 'c1', name: 'x', type: 'task', metadata: 'eu' }, 'metadata'],
    ['an unknown field', { id: 'c1', name: 'x', type: 'task', role: 'boss' }, 'role'],
  ])('rejects %s with 400 VALIDATION_FAILED', async (_what, body, field) => {
    const res = await admin.post('/mediators/team/colleagues', body);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 MEDIATOR_NOT_FOUND for an unknown mediator', async () => {
    const res = await admin.post('/mediators/ghost/colleagues', {
      id: 'c1',
      name: 'x',
      type: 'task',
    });
    expectError(res, 404, 'MEDIATOR_NOT_FOUND');
  });

  it('answers 409 COLLEAGUE_EXISTS for an id in use', async () => {
    const res = await admin.post('/mediators/team/colleagues', {
      id: 'billing-1',
      name: 'x',
      type: 'task',
    });
    expectError(res, 409, 'COLLEAGUE_EXISTS');
  });

  it('answers 422 MAX_COLLEAGUES_REACHED past the mediator’s max_colleagues', async () => {
    expect(
      (await admin.post('/mediators/tiny/colleagues', { id: 'only', name: 'x', type: 'task' }))
        .status,
    ).toBe(201);
    const res = await admin.post('/mediators/tiny/colleagues', {
      id: 'second',
      name: 'y',
      type: 'task',
    });
    expectError(res, 422, 'MAX_COLLEAGUES_REACHED');
    expect((await admin.get('/mediators/tiny')).body.colleague_count).toBe(1);
  });
});

describe('GET /mediators/{name}/colleagues', () => {
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const res = await admin.post('/mediators/team/colleagues', {
        id: `worker-${i}`,
        name: `W${i}`,
        type: 'task',
      });
      expect(res.status).toBe(201);
    }
  });

  it('filters by ?type=', async () => {
    const res = await admin.get('/mediators/team/colleagues?type=task');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id).sort()).toEqual([
      'worker-0',
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
    ]);
    expect(res.body.next_cursor).toBeNull();
    const events = await admin.get('/mediators/team/colleagues?type=event');
    expect(events.body.items.map((c: { id: string }) => c.id)).toEqual(['events-1']);
  });

  it('pages with limit and cursor until next_cursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const q: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const res = await admin.get(`/mediators/team/colleagues?${q}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.next_cursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(seen.sort()).toEqual(
      ['billing-1', 'events-1', 'worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4'].sort(),
    );
  });

  it('answers 400 for a bad type, limit or cursor and 404 for an unknown mediator', async () => {
    expectError(await admin.get('/mediators/team/colleagues?type=robot'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/mediators/team/colleagues?limit=0'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/mediators/team/colleagues?cursor=%%%'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/mediators/ghost/colleagues'), 404, 'MEDIATOR_NOT_FOUND');
  });
});

describe('GET/PATCH/DELETE /mediators/{name}/colleagues/{id}', () => {
  it('gets a colleague, or 404 COLLEAGUE_NOT_FOUND', async () => {
    const res = await admin.get('/mediators/team/colleagues/billing-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'billing-1',
      type: 'command',
      active: true,
      online: false,
    });
    expectError(await admin.get('/mediators/team/colleagues/nobody'), 404, 'COLLEAGUE_NOT_FOUND');
    expectError(
      await admin.get('/mediators/ghost/colleagues/billing-1'),
      404,
      'MEDIATOR_NOT_FOUND',
    );
  });

  it('patches active, name, handles, subscriptions and metadata', async () => {
    const res = await admin.patch('/mediators/team/colleagues/billing-1', {
      active: false,
      name: 'Billing (paused)',
      handles: ['charge_card'],
      subscriptions: ['order_created'],
      metadata: { paused: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'billing-1',
      name: 'Billing (paused)',
      active: false,
      handles: ['charge_card'],
      subscriptions: ['order_created'],
      metadata: { paused: true },
    });
    expect((await admin.get('/mediators/team/colleagues/billing-1')).body.active).toBe(false);
  });

  it('rejects a bad patch with 400 and an unknown colleague with 404', async () => {
    expectError(
      await admin.patch('/mediators/team/colleagues/billing-1', { active: 'no' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.patch('/mediators/team/colleagues/billing-1', { type: 'event' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.patch('/mediators/team/colleagues/nobody', { active: true }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
  });

  it('unregisters with 204, then 404', async () => {
    const before = (await admin.get('/mediators/team')).body.colleague_count;
    const res = await admin.delete('/mediators/team/colleagues/worker-4');
    expect(res.status).toBe(204);
    expectError(await admin.get('/mediators/team/colleagues/worker-4'), 404, 'COLLEAGUE_NOT_FOUND');
    expectError(
      await admin.delete('/mediators/team/colleagues/worker-4'),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expect((await admin.get('/mediators/team')).body.colleague_count).toBe(before - 1);
  });

  it('deleting a mediator removes its colleagues', async () => {
    expect((await admin.delete('/mediators/tiny')).status).toBe(204);
    expect((await admin.post('/mediators', { name: 'tiny' })).status).toBe(201);
    expectError(await admin.get('/mediators/tiny/colleagues/only'), 404, 'COLLEAGUE_NOT_FOUND');
  });
});
