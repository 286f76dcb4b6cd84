// Configured limits: max_mediators (422), server.body_limit (413), security.rate_limit_* (429).
import { type Api, api, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, token } from '../support/tokens';

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;

beforeAll(async () => {
  service = await startService({
    config: {
      max_mediators: 2,
      server: { body_limit: 2048 },
      security: { rate_limit_requests: 5, rate_limit_window: '1m' },
    },
  });
  admin = api(service.url, adminToken('limits-admin'));
});
afterAll(() => service?.stop());

it('answers 422 MAX_MEDIATORS_REACHED past max_mediators', async () => {
  expect((await admin.post('/mediators', { name: 'one' })).status).toBe(201);
  expect((await admin.post('/mediators', { name: 'two' })).status).toBe(201);
  expectError(await admin.post('/mediators', { name: 'three' }), 422, 'MAX_MEDIATORS_REACHED');
});

it('answers 413 for a body over server.body_limit', async () => {
  const res = await api(service.url, adminToken('body-limit')).post('/mediators', {
    name: 'big',
    description: 'x'.repeat(4096),
  });
  expectError(res, 413);
  const small = await api(service.url, adminToken('body-limit')).patch('/mediators/one', {
    description: 'x'.repeat(1000),
  });
  expect(small.status).toBe(200);
});

it('answers the request over the rate limit with 429 RATE_LIMITED and Retry-After', async () => {
  const client = api(service.url, token({ sub: 'busy-client', scope: 'mediators:read' }));
  for (let i = 0; i < 5; i++) expect((await client.get('/mediators')).status).toBe(200);
  const res = await client.get('/mediators');
  expectError(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
});

it('counts per token subject: another subject is not limited', async () => {
  const other = api(service.url, token({ sub: 'calm-client', scope: 'mediators:read' }));
  expect((await other.get('/mediators')).status).toBe(200);
});

it('keeps /health open under the limit', async () => {
  for (let i = 0; i < 8; i++) expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
});
