// The list routes of workflows, jobs and resource pools (CONTRACT §4 list rules: limit 1–500,
// opaque cursor, { items, next_cursor }), on the embedded default (SQLite).
import { type Api, type Json, api, eventually, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, token } from '../support/tokens';

jest.setTimeout(60_000);

let service: RunningService | undefined;
let admin: Api;

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  for (const name of ['lists', 'elsewhere'])
    expect((await admin.post('/mediators', { name })).status).toBe(201);
  expect(
    (await admin.post('/mediators/lists/colleagues', { id: 'w1', name: 'w1', type: 'resource' }))
      .status,
  ).toBe(201);
});
afterAll(() => service?.stop());

/** Every item of a list, one page of `limit` at a time, following next_cursor. */
async function walk(path: string, limit: number): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await admin.get(`${path}${separator}limit=${limit}${after}`);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return items;
}

describe('GET workflows', () => {
  it('pages the workflows newest first with their steps, and filters by status', async () => {
    const steps = [
      { name: 'reserve', type: 'stock.reserve', compensate: 'stock.release' },
      { name: 'charge', type: 'card.charge' },
    ];
    const started: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      const res = await admin.post('/mediators/lists/workflows', { name, steps, retry_count: 0 });
      expect(res.status).toBe(202);
      started.push(res.body.id);
    }

    const all = await walk('/mediators/lists/workflows', 1);
    expect(all.map((w) => w.name)).toEqual(['third', 'second', 'first']);
    expect(all.map((w) => w.id)).toEqual([...started].reverse());
    expect(all[0].steps).toEqual(steps);

    // Nobody handles the steps: each workflow ends (failed) without anyone's help.
    const finished = await eventually(async () => {
      const failed = await admin.get('/mediators/lists/workflows?status=failed');
      expect(failed.body.items).toHaveLength(3);
      return failed.body;
    }, 20_000);
    expect(finished.next_cursor).toBeNull();
    const first = await admin.get(`/mediators/lists/workflows/${started[0]}`);
    expect(finished.items[2]).toEqual(first.body);
    const running = await admin.get('/mediators/lists/workflows?status=running');
    expect(running.body).toEqual({ items: [], next_cursor: null });
    expectError(
      await admin.get('/mediators/lists/workflows?status=stuck'),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET jobs', () => {
  it('pages the jobs by name with their next fire time', async () => {
    for (const job of ['nightly', 'hourly', 'weekly']) {
      const res = await admin.put(`/mediators/lists/jobs/${job}`, {
        type: 'report',
        schedule: '0 3 * * *',
      });
      expect(res.status).toBe(201);
    }
    expect((await admin.post('/mediators/lists/jobs/weekly/pause')).status).toBe(200);

    const all = await walk('/mediators/lists/jobs', 1);
    expect(all.map((j) => j.name)).toEqual(['hourly', 'nightly', 'weekly']);
    expect(all[0]).toEqual((await admin.get('/mediators/lists/jobs/hourly')).body);
    expect(new Date(all[1].next_run_at).getUTCHours()).toBe(3);
    expect(all[2]).toMatchObject({ paused: true, next_run_at: null });
  });
});

describe('GET resources', () => {
  it('pages the pools by name, each with its capacity, used and live leases', async () => {
    for (const [pool, capacity] of [
      ['gpu', 4],
      ['cpu', 8],
    ] as const)
      expect(
        (await admin.put(`/mediators/lists/resources/${pool}`, { type: pool, capacity })).status,
      ).toBe(201);
    const lease = await admin.post('/mediators/lists/resources/gpu/leases', {
      holder_id: 'w1',
      amount: 3,
      ttl: 60,
    });
    expect(lease.status).toBe(201);

    const all = await walk('/mediators/lists/resources', 1);
    expect(all.map((p) => [p.name, p.capacity, p.used, p.leases])).toEqual([
      ['cpu', 8, 0, []],
      ['gpu', 4, 3, [lease.body]],
    ]);
    expect(all[1]).toEqual((await admin.get('/mediators/lists/resources/gpu')).body);
  });
});

describe.each(['workflows', 'jobs', 'resources'])('GET %s: errors', (kind) => {
  it('answers 400 for a bad cursor or limit', async () => {
    for (const query of ['cursor=bm90LWEtY3Vyc29y', 'cursor=%24%24', 'limit=0', 'limit=501'])
      expectError(await admin.get(`/mediators/lists/${kind}?${query}`), 400, 'VALIDATION_FAILED');
    expect((await admin.get(`/mediators/lists/${kind}?limit=500`)).status).toBe(200);
  });

  it('answers 404 for an unknown mediator', async () => {
    expectError(await admin.get(`/mediators/nobody/${kind}`), 404, 'MEDIATOR_NOT_FOUND');
  });

  it('needs messages:read, and a bound token reads only its own mediator', async () => {
    const bound = api(
      service!.url,
      token({ sub: 'lists-reader', scope: 'messages:read', mediator: 'lists' }),
    );
    expect((await bound.get(`/mediators/lists/${kind}`)).status).toBe(200);
    expectError(await bound.get(`/mediators/elsewhere/${kind}`), 403, 'MEDIATOR_FORBIDDEN');
    const noScope = api(service!.url, token({ sub: 'lists-admin', scope: 'mediators:read' }));
    expectError(await noScope.get(`/mediators/lists/${kind}`), 403);
  });
});

describe('OpenAPI', () => {
  it('documents the three lists like the other list routes', async () => {
    const doc = (await admin.raw('GET', '/docs-json')).body;
    for (const [kind, filters] of [
      ['workflows', ['status']],
      ['jobs', []],
      ['resources', []],
    ] as const) {
      const list = doc.paths[`/api/v1/mediators/{name}/${kind}`].get;
      const params = list.parameters.map((p: { name: string }) => p.name);
      expect(params.sort()).toEqual(['cursor', 'limit', 'name', ...filters].sort());
      expect(Object.keys(list.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '404']),
      );
    }
  });
});
