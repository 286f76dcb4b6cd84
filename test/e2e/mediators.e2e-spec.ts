// CONTRACT §4 Mediators: create, list (paging), get, patch, delete, with every error code.
import { type Api, api, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;

beforeAll(async () => {
  service = await startService({ config: { max_mediators: 30 } });
  admin = api(service.url, adminToken());
});
afterAll(() => service?.stop());

describe('POST /mediators', () => {
  it('creates a mediator with the fields of the contract', async () => {
    const res = await admin.post('/mediators', {
      name: 'orders',
      description: 'Order processing',
      max_colleagues: 7,
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'colleague_count',
        'created_at',
        'description',
        'max_colleagues',
        'name',
        'updated_at',
      ].sort(),
    );
    expect(res.body).toMatchObject({
      name: 'orders',
      description: 'Order processing',
      max_colleagues: 7,
      colleague_count: 0,
    });
    expect(res.body.created_at).toMatch(RFC3339);
    expect(res.body.updated_at).toMatch(RFC3339);
  });

  it('defaults description to empty and max_colleagues to the configured limit', async () => {
    const res = await admin.post('/mediators', { name: 'defaults.1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'defaults.1', description: '', max_colleagues: 1000 });
  });

  it('rejects a name that does not match the pattern, with details naming the field', async () => {
    for (const name of ['-leading-dash', 'has space', 'x'.repeat(65), '', 'ünïcode']) {
      const res = await admin.post('/mediators', { name });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([{ field: 'name', problem: expect.any(String) }]),
      );
    }
  });

  it('rejects unknown fields', async () => {
    const res = await admin.post('/mediators', { name: 'extra', colour: 'blue' });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'colour' })]),
    );
    expect((await admin.get('/mediators/extra')).status).toBe(404);
  });

  it('rejects wrong types and out-of-range values', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 42 }, 'name'],
      [{ name: 'typed', description: 17 }, 'description'],
      [{ name: 'typed', max_colleagues: 'ten' }, 'max_colleagues'],
      [{ name: 'typed', max_colleagues: 1.5 }, 'max_colleagues'],
      [{ name: 'typed', max_colleagues: 0 }, 'max_colleagues'],
      [{}, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/mediators', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('rejects a body that is not an object', async () => {
    expectError(await admin.post('/mediators', ['orders']), 400);
    expectError(await admin.post('/mediators', 'orders'), 400);
  });

  it('answers 409 MEDIATOR_EXISTS for a name in use', async () => {
    const res = await admin.post('/mediators', { name: 'orders' });
    expectError(res, 409, 'MEDIATOR_EXISTS');
    expect(res.body.message).toContain('orders');
  });
});

describe('GET /mediators (paging)', () => {
  const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);

  beforeAll(async () => {
    for (const name of names) expect((await admin.post('/mediators', { name })).status).toBe(201);
  });

  it('answers { items, next_cursor } and walks every mediator exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const res = await admin.get(`/mediators${query}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'next_cursor']);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((m: { name: string }) => m.name));
      cursor = res.body.next_cursor;
      pages++;
      expect(pages).toBeLessThan(20);
    } while (cursor !== null);
    const all = await admin.get('/mediators?limit=500');
    expect(all.body.next_cursor).toBeNull();
    expect(seen).toEqual(all.body.items.map((m: { name: string }) => m.name));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([...names, 'orders']));
  });

  it('defaults to 50 items and ends with next_cursor null', async () => {
    const res = await admin.get('/mediators');
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items[0]).toEqual(
      expect.objectContaining({ name: expect.any(String), colleague_count: expect.any(Number) }),
    );
  });

  it.each(['limit=0', 'limit=501', 'limit=abc', 'limit=-1', 'cursor=not-a-cursor', 'bogus=1'])(
    'rejects ?%s with 400',
    async (query) => {
      expectError(await admin.get(`/mediators?${query}`), 400, 'VALIDATION_FAILED');
    },
  );
});

describe('GET /mediators/{name}', () => {
  it('returns the mediator', async () => {
    const res = await admin.get('/mediators/orders');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'orders', description: 'Order processing' });
  });

  it('answers 404 MEDIATOR_NOT_FOUND', async () => {
    const res = await admin.get('/mediators/ghost');
    expectError(res, 404, 'MEDIATOR_NOT_FOUND');
    expect(res.body.message).toContain('ghost');
  });
});

describe('PATCH /mediators/{name}', () => {
  it('changes description and max_colleagues and moves updated_at', async () => {
    const before = (await admin.get('/mediators/orders')).body;
    // Real time, a few ms: updated_at has millisecond resolution on the service's clock, so the
    // PATCH must come after that clock has moved on.
    await new Promise((r) => setTimeout(r, 5));
    const res = await admin.patch('/mediators/orders', {
      description: 'Order processing (EU)',
      max_colleagues: 9,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'orders',
      description: 'Order processing (EU)',
      max_colleagues: 9,
      created_at: before.created_at,
    });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect((await admin.get('/mediators/orders')).body.description).toBe('Order processing (EU)');
  });

  it('rejects bad values and unknown fields (the name cannot change)', async () => {
    expectError(
      await admin.patch('/mediators/orders', { max_colleagues: -3 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.patch('/mediators/orders', { name: 'renamed' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.patch('/mediators/orders', { description: false }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers 404 for an unknown mediator', async () => {
    expectError(
      await admin.patch('/mediators/ghost', { description: 'x' }),
      404,
      'MEDIATOR_NOT_FOUND',
    );
  });
});

describe('DELETE /mediators/{name}', () => {
  it('deletes with 204 and then the mediator is gone', async () => {
    expect((await admin.post('/mediators', { name: 'doomed' })).status).toBe(201);
    const res = await admin.delete('/mediators/doomed');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await admin.get('/mediators/doomed'), 404, 'MEDIATOR_NOT_FOUND');
    expectError(await admin.delete('/mediators/doomed'), 404, 'MEDIATOR_NOT_FOUND');
  });

  it('frees the name for a new mediator', async () => {
    expect((await admin.post('/mediators', { name: 'doomed' })).status).toBe(201);
  });
});

describe('DELETE /mediators/{name} deletes all of its data', () => {
  const base = '/mediators/reborn';

  /** One of everything the mediator can hold; the ids and names to look for afterwards. */
  async function populate() {
    expect((await admin.post('/mediators', { name: 'reborn' })).status).toBe(201);
    for (const id of ['a', 'b'])
      expect(
        (await admin.post(`${base}/colleagues`, { id, name: id, type: 'service' })).status,
      ).toBe(201);
    const message = await admin.post(`${base}/messages`, {
      sender_id: 'a',
      recipient_id: 'b',
      message: 'before the deletion',
    });
    expect(message.status).toBe(202);
    const published = await admin.post(`${base}/events`, {
      sender_id: 'a',
      type: 'user_created',
      data: { id: 'u-1' },
    });
    expect(published.status).toBe(202);
    const task = await admin.post(`${base}/tasks`, { name: 'old task', type: 'thumbnail' });
    expect(task.status).toBe(201);
    const job = await admin.put(`${base}/jobs/cleanup`, {
      type: 'cleanup',
      schedule: '0 0 1 1 *',
    });
    expect(job.status).toBeLessThan(300);
    const service = await admin.put(`${base}/services/billing-api`, {
      type: 'http',
      status: 'healthy',
      endpoint: 'http://billing:8080',
      heartbeat_ttl: 600,
    });
    expect(service.status).toBeLessThan(300);
    expect((await admin.put(`${base}/resources/gpu`, { type: 'gpu', capacity: 4 })).status).toBe(
      201,
    );
    const lease = await admin.post(`${base}/resources/gpu/leases`, {
      holder_id: 'a',
      amount: 3,
      ttl: 600,
    });
    expect(lease.status).toBe(201);
    const notification = await admin.post(`${base}/notifications`, {
      type: 'welcome',
      content: 'hi',
      recipient_id: 'ada',
      channel: 'email',
    });
    expect(notification.status).toBe(202);
    const workflow = await admin.post(`${base}/workflows`, {
      name: 'checkout',
      steps: [{ name: 'reserve', type: 'stock.reserve' }],
    });
    expect(workflow.status).toBe(202);
    return {
      messageId: message.body.id as string,
      taskId: task.body.id as string,
      notificationId: notification.body.id as string,
      workflowId: workflow.body.id as string,
    };
  }

  it('a mediator created again under the same name starts empty', async () => {
    const old = await populate();
    expect((await admin.delete(base)).status).toBe(204);
    expect((await admin.post('/mediators', { name: 'reborn' })).status).toBe(201);
    expect(
      (await admin.post(`${base}/colleagues`, { id: 'b', name: 'b', type: 'service' })).status,
    ).toBe(201);

    expect((await admin.get(`${base}/colleagues/b/messages`)).body.items).toEqual([]);
    // The old mediator's colleague 'a' is gone, also from the look-up cache of the send path.
    expectError(await admin.get(`${base}/colleagues/a`), 404, 'COLLEAGUE_NOT_FOUND');
    expectError(
      await admin.post(`${base}/messages`, { sender_id: 'b', recipient_id: 'a', message: 'x' }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expectError(await admin.get(`${base}/messages/${old.messageId}`), 404, 'MESSAGE_NOT_FOUND');
    expect((await admin.get(`${base}/events`)).body.items).toEqual([]);
    expect((await admin.get(`${base}/tasks`)).body.items).toEqual([]);
    expectError(await admin.get(`${base}/tasks/${old.taskId}`), 404);
    expectError(await admin.get(`${base}/jobs/cleanup`), 404);
    expect((await admin.get(`${base}/services`)).body.items).toEqual([]);
    expectError(await admin.get(`${base}/services/billing-api`), 404);
    expectError(await admin.get(`${base}/resources/gpu`), 404);
    expectError(await admin.get(`${base}/notifications/${old.notificationId}`), 404);
    expectError(await admin.get(`${base}/workflows/${old.workflowId}`), 404);
    // The new mediator's resource starts with its full capacity (the old leases are gone).
    expect((await admin.put(`${base}/resources/gpu`, { type: 'gpu', capacity: 4 })).status).toBe(
      201,
    );
    const lease = await admin.post(`${base}/resources/gpu/leases`, {
      holder_id: 'b',
      amount: 4,
      ttl: 60,
    });
    expect(lease.status).toBe(201);
  });
});
