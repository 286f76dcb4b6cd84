// CONTRACT §4: `cursor` is opaque; one this API did not issue is a 400, never a 500 — also on the
// lists keyed by a sequence number or a time (found by schemathesis before this test existed).
import { type Api, api, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';

const FOREIGN_CURSORS = [
  Buffer.from(JSON.stringify({ k: 'orders' })).toString('base64url'),
  'not-a-cursor',
];

let service: RunningService;
let admin: Api;

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'orders' })).status).toBe(201);
  expect(
    (await admin.put('/mediators/orders/jobs/nightly', { type: 'report', schedule: '0 3 * * *' }))
      .status,
  ).toBe(201);
});
afterAll(() => service?.stop());

it.each([
  '/mediators',
  '/mediators/orders/colleagues',
  '/mediators/orders/events',
  '/mediators/orders/tasks',
  '/mediators/orders/services',
  '/mediators/orders/jobs/nightly/runs',
  '/audit',
])('%s answers a foreign cursor with 200 or 400, never 500', async (path) => {
  for (const cursor of FOREIGN_CURSORS) {
    const res = await admin.get(`${path}?cursor=${encodeURIComponent(cursor)}`);
    if (res.status === 200)
      expect(res.body).toEqual({ items: expect.any(Array), next_cursor: null });
    else expectError(res, 400, 'VALIDATION_FAILED');
  }
});
