import Fastify, { type FastifyInstance } from 'fastify';
import { corsOptions, registerHttpHeaders, requestIdOf } from './http-hardening';

describe('corsOptions', () => {
  it('never pairs * with credentials', () => {
    expect(corsOptions(['*'])).toEqual({ origin: '*', credentials: false });
    expect(corsOptions(['https://a.example', '*'])).toEqual({ origin: '*', credentials: false });
  });

  it('lists the configured origins, with credentials', () => {
    expect(corsOptions(['https://a.example'])).toEqual({
      origin: ['https://a.example'],
      credentials: true,
    });
  });
});

describe('requestIdOf', () => {
  const of = (id?: string | string[]) => requestIdOf({ headers: { 'x-request-id': id } });

  it('keeps a short id of safe characters', () =>
    expect(of('trace-1.a:b_c')).toBe('trace-1.a:b_c'));

  it.each([['r'.repeat(129)], ['a b'], ['<x>'], [''], [['a', 'b']], [undefined]])(
    'generates one instead of %j',
    (id) => expect(of(id)).toMatch(/^[0-9a-f-]{36}$/),
  );
});

describe('registerHttpHeaders', () => {
  const cors = {
    methods: ['GET', 'POST'],
    exposedHeaders: ['x-request-id', 'retry-after'],
  };
  const security = {
    'content-security-policy': "default-src 'self';script-src 'self'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  };
  const apps: FastifyInstance[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  /** A listening app (light-my-request's inject does not load under Jest). */
  const appWith = async (origins: string[]) => {
    const app = Fastify();
    apps.push(app);
    registerHttpHeaders(app, { ...cors, origins }, security);
    app.get('/api/v1/things', () => ({ ok: true }));
    app.get('/docs', () => 'page');
    app.get('/console/', () => 'page');
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      inject: async (
        request: string | { url: string; method?: string; headers?: Record<string, string> },
      ) => {
        const { url, method, headers } = typeof request === 'string' ? { url: request } : request;
        const res = await fetch(`${base}${url}`, { method, headers });
        await res.arrayBuffer();
        return { statusCode: res.status, headers: Object.fromEntries(res.headers) };
      },
    };
  };

  it('gives API answers a CSP that loads nothing, and the pages (/docs, /console) one they run under', async () => {
    const app = await appWith(['*']);
    const api = await app.inject('/api/v1/things');
    expect(api.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['access-control-allow-origin']).toBe('*');
    expect(api.headers['access-control-allow-credentials']).toBeUndefined();
    for (const page of ['/docs', '/console/'])
      expect((await app.inject(page)).headers['content-security-policy']).toContain(
        "script-src 'self'",
      );
  });

  it('answers a preflight with the methods and the requested headers; a bare OPTIONS is a 400', async () => {
    const app = await appWith(['*']);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/things',
      headers: {
        origin: 'https://a.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization');
    expect(preflight.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'OPTIONS', url: '/api/v1/things' })).statusCode).toBe(400);
  });

  it('echoes only a listed origin, with credentials, and always varies on Origin', async () => {
    const app = await appWith(['https://a.example']);
    const own = await app.inject({
      url: '/api/v1/things',
      headers: { origin: 'https://a.example' },
    });
    expect(own.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(own.headers['access-control-allow-credentials']).toBe('true');
    expect(own.headers.vary).toBe('Origin');
    const foreign = await app.inject({
      url: '/api/v1/things',
      headers: { origin: 'https://b.example' },
    });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers.vary).toBe('Origin');
  });
});
