// Operations: OpenAPI document (CONTRACT §4 paths), Prometheus metrics (§7), config errors (§1),
// graceful shutdown, request ids.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { api, request } from '../support/http';
import {
  JWT_SECRET,
  type RunningService,
  runUntilExit,
  startService,
  tempDir,
  writeConfig,
} from '../support/service';
import { adminToken } from '../support/tokens';

jest.setTimeout(60_000);

let service: RunningService;

beforeAll(async () => {
  service = await startService();
});
afterAll(() => service?.stop());

describe('OpenAPI', () => {
  const CONTRACT_PATHS: Record<string, string[]> = {
    '/api/v1/mediators': ['post', 'get'],
    '/api/v1/mediators/{name}': ['get', 'patch', 'delete'],
    '/api/v1/mediators/{name}/colleagues': ['post', 'get'],
    '/api/v1/mediators/{name}/colleagues/{id}': ['get', 'patch', 'delete'],
    '/api/v1/mediators/{name}/messages': ['post'],
    '/api/v1/mediators/{name}/broadcast': ['post'],
    '/api/v1/mediators/{name}/colleagues/{id}/messages': ['get'],
    '/api/v1/mediators/{name}/messages/{message_id}': ['get'],
    '/api/v1/mediators/{name}/colleagues/{id}/messages/{message_id}/ack': ['post'],
    '/api/v1/audit': ['get'],
    '/health': ['get'],
    '/health/live': ['get'],
    '/health/ready': ['get'],
  };

  it('is an OpenAPI 3 document with every path and method of the contract, written as the contract writes it', async () => {
    const res = await request(`${service.url}/docs-json`, 'GET');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(res.body.info).toEqual(
      expect.objectContaining({ title: expect.any(String), version: expect.any(String) }),
    );
    for (const [path, methods] of Object.entries(CONTRACT_PATHS)) {
      expect({ path, methods: Object.keys(res.body.paths[path] ?? {}) }).toEqual({
        path,
        methods: expect.arrayContaining(methods),
      });
    }
    // No path uses the Express/Fastify style (:name) instead of {name}.
    expect(Object.keys(res.body.paths).filter((p) => p.includes(':'))).toEqual([]);
  });

  it('documents the error responses with the shared error body', async () => {
    const doc = (await request(`${service.url}/docs-json`, 'GET')).body;
    const create = doc.paths['/api/v1/mediators'].post;
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '422']),
    );
    const ack =
      doc.paths['/api/v1/mediators/{name}/colleagues/{id}/messages/{message_id}/ack'].post;
    expect(Object.keys(ack.responses)).toEqual(expect.arrayContaining(['204', '403', '404']));
    const schemaNames = Object.keys(doc.components?.schemas ?? {});
    expect(schemaNames.length).toBeGreaterThan(0);
  });

  it('serves the UI at /docs', async () => {
    const res = await request(`${service.url}/docs`, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});

describe('metrics', () => {
  it('exposes the metrics of CONTRACT §7 on METRICS_PORT', async () => {
    const admin = api(service.url, adminToken());
    await admin.post('/mediators', { name: 'metered' });
    await request(`${service.url}/health/live`, 'GET');
    const res = await request(`${service.metricsUrl}/metrics`, 'GET');
    expect(res.status).toBe(200);
    const expected: Record<string, string> = {
      mediator_http_request_duration_seconds: 'histogram',
      mediator_messages_total: 'counter',
      mediator_delivery_latency_seconds: 'histogram',
      mediator_ws_connections: 'gauge',
      mediator_kafka_commands_total: 'counter',
      mediator_mediators: 'gauge',
      mediator_colleagues: 'gauge',
      mediator_outbox_pending: 'gauge',
      mediator_store_batch_size: 'histogram',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect(res.text).toMatch(new RegExp(`^# HELP ${name} .+$`, 'm'));
      expect(res.text).toMatch(new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
    }
    expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(res.text).toMatch(/^mediator_mediators \d+$/m);
    // Requests are timed by method, route template and status, including the liveness route.
    expect(res.text).toMatch(
      /^mediator_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/mediators",status="201"\} 1$/m,
    );
    expect(res.text).toMatch(
      /^mediator_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+$/m,
    );
  });

  it('is not served on the API port', async () => {
    expect((await request(`${service.url}/metrics`, 'GET')).status).not.toBe(200);
  });
});

describe('liveness', () => {
  it('answers the terminus body for a check without indicators, not cached', async () => {
    const res = await request(`${service.url}/health/live`, 'GET');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"ok","info":{},"error":{},"details":{}}');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
  });
});

describe('request ids', () => {
  it('answers every response with an x-request-id header, matching the error body', async () => {
    const ok = await request(`${service.url}/health/live`, 'GET');
    expect(ok.headers.get('x-request-id')).toEqual(expect.any(String));
    const error = await api(service.url).get('/mediators');
    expect(error.status).toBe(401);
    expect(error.headers.get('x-request-id')).toBe(error.body.request_id);
    const two = await Promise.all([1, 2].map(() => request(`${service.url}/health/live`, 'GET')));
    expect(two[0].headers.get('x-request-id')).not.toBe(two[1].headers.get('x-request-id'));
  });
});

describe('start-up and shutdown', () => {
  const baseEnv = () => {
    const dir = tempDir();
    return {
      dir,
      env: {
        JWT_SECRET,
        SQLITE_PATH: join(dir, 'db.sqlite'),
        METRICS_PORT: '0',
        CONFIG_FILE: writeConfig(dir),
      },
    };
  };

  it('refuses PORT=abc with one stderr line naming the key', async () => {
    const { env } = baseEnv();
    const { code, stderr } = await runUntilExit({ ...env, PORT: 'abc' });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/server\.port|PORT/);
  });

  it('refuses security.rate_limit_requests: -1 with one stderr line naming the key', async () => {
    const { dir, env } = baseEnv();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'security:\n  rate_limit_requests: -1\n');
    const { code, stderr } = await runUntilExit({ ...env, PORT: '0', CONFIG_FILE: file });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('security.rate_limit_requests');
  });

  it('refuses an unreadable config file with one line naming it', async () => {
    const { dir, env } = baseEnv();
    const { code, stderr } = await runUntilExit({
      ...env,
      PORT: '0',
      CONFIG_FILE: join(dir, 'missing.yaml'),
    });
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('missing.yaml');
  });

  it('exits with code 0 within a few seconds of SIGTERM', async () => {
    const other = await startService();
    const { code, signal, ms } = await other.stop();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5000);
  });
});
