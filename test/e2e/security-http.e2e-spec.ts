// Issue 14 (items 3, 6, 7, 11, 12) and issue 11 item 3: what a bound token, a malformed token, a
// foreign page and a careless deployment can no longer do over HTTP.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { decode, sign, type SignOptions } from 'jsonwebtoken';
import { type Api, api, eventually, expectError, request } from '../support/http';
import {
  JWT_SECRET,
  MAIN,
  ROOT,
  type RunningService,
  runUntilExit,
  startService,
  tempDir,
  writeConfig,
} from '../support/service';
import { ALL_SCOPES, adminToken, colleagueToken, token } from '../support/tokens';

jest.setTimeout(90_000);

let service: RunningService;
let admin: Api;

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
/** A token with exactly these claims (no defaults added by jsonwebtoken but what options say). */
const raw = (claims: object, options: SignOptions = {}) =>
  sign(claims, JWT_SECRET, { algorithm: 'HS256', ...options });

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  for (const name of ['alpha', 'beta', 'gamma'])
    expect((await admin.post('/mediators', { name })).status).toBe(201);
  for (const [mediator, id] of [
    ['alpha', 'x'],
    ['alpha', 'y'],
    ['beta', 'x'],
  ]) {
    const res = await admin.post(`/mediators/${mediator}/colleagues`, {
      id,
      name: id,
      type: 'message',
    });
    expect(res.status).toBe(201);
  }
});
afterAll(() => service?.stop());

describe('a mediator-bound token on routes without {name} (item 3)', () => {
  const alphaOps = () =>
    api(service.url, token({ sub: 'alpha-ops', scope: ALL_SCOPES, mediator: 'alpha' }));

  it('lists only its own mediator', async () => {
    const res = await alphaOps().get('/mediators');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [expect.objectContaining({ name: 'alpha' })],
      next_cursor: null,
    });
    const all = await admin.get('/mediators');
    expect(all.body.items.map((m: { name: string }) => m.name)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('pages its own mediator like any list', async () => {
    const after = await admin.get('/mediators?limit=1');
    const next = await alphaOps().get(`/mediators?cursor=${after.body.next_cursor}`);
    expect(next.body).toEqual({ items: [], next_cursor: null });
  });

  it('reads only its mediator’s audit entries; asking for another is 403', async () => {
    const ops = alphaOps();
    const res = await eventually(async () => {
      const r = await ops.get('/audit?limit=500');
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeGreaterThan(0);
      return r;
    });
    expect(new Set(res.body.items.map((e: { mediator: string }) => e.mediator))).toEqual(
      new Set(['alpha']),
    );
    expectError(await ops.get('/audit?mediator=beta'), 403, 'MEDIATOR_FORBIDDEN');
    expect((await ops.get('/audit?mediator=alpha')).status).toBe(200);
    // The unbound auditor still sees beta's rows.
    const beta = await admin.get('/audit?mediator=beta');
    expect(beta.body.items.length).toBeGreaterThan(0);
  });

  it('may not create a mediator', async () => {
    expectError(await alphaOps().post('/mediators', { name: 'delta' }), 403, 'MEDIATOR_FORBIDDEN');
    expectError(await alphaOps().post('/mediators', { name: 'alpha2' }), 403, 'MEDIATOR_FORBIDDEN');
    expectError(await admin.get('/mediators/delta'), 404, 'MEDIATOR_NOT_FOUND');
  });
});

describe('binding claims (item 7)', () => {
  const reads = (claims: object) =>
    api(
      service.url,
      raw({ sub: 'odd', scope: 'messages:read mediators:read', ...claims }, { expiresIn: HOUR }),
    );

  it.each<[string, object]>([
    ['a list as mediator', { mediator: ['alpha'] }],
    ['null as mediator', { mediator: null }],
    ['a number as mediator', { mediator: 7 }],
    ['an empty mediator', { mediator: '' }],
    ['an object as colleague', { mediator: 'alpha', colleague: { id: 'x' } }],
    ['null as colleague', { mediator: 'alpha', colleague: null }],
    ['a colleague without mediator', { colleague: 'x' }],
  ])('refuses %s with 401', async (_what, claims) => {
    expectError(
      await reads(claims).get('/mediators/beta/colleagues/x/messages'),
      401,
      'UNAUTHORIZED',
    );
    expectError(await reads(claims).get('/mediators'), 401, 'UNAUTHORIZED');
  });

  it('still accepts well-formed bindings', async () => {
    expect(
      (
        await reads({ mediator: 'alpha', colleague: 'x' }).get(
          '/mediators/alpha/colleagues/x/messages',
        )
      ).status,
    ).toBe(200);
  });
});

describe('npm run token (items 7 and 12)', () => {
  /** The CLI as `npm run token` runs it, without npm's overhead. */
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(
      join(ROOT, 'node_modules', '.bin', 'ts-node'),
      [
        '-r',
        'tsconfig-paths/register',
        '--transpile-only',
        'apps/mediator-service/src/cli/token.ts',
        ...args,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JWT_SECRET, ...env } },
    );
  const lifetimeOf = (jwt: string) => {
    const claims = decode(jwt.trim()) as { exp: number; iat: number };
    return claims.exp - claims.iat;
  };

  it('refuses --colleague without --mediator with the usage line', () => {
    const run = cli(['--sub', 's', '--scope', 'messages:read', '--colleague', 'x']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--colleague needs --mediator/);
    expect(run.stderr).toMatch(/usage: npm run token/);
  });

  it('mints 1h by default, at most security.token_expiry', () => {
    expect(lifetimeOf(cli(['--sub', 's']).stdout)).toBe(HOUR);
    const dir = tempDir();
    const short = { CONFIG_FILE: writeConfig(dir, { security: { token_expiry: '30m' } }) };
    expect(lifetimeOf(cli(['--sub', 's'], short).stdout)).toBe(30 * 60);
    const long = cli(['--sub', 's', '--ttl', '25h']);
    expect(long.status).toBe(2);
    expect(long.stderr).toMatch(/security\.token_expiry/);
    expect(lifetimeOf(cli(['--sub', 's', '--ttl', '24h']).stdout)).toBe(24 * HOUR);
  });
});

describe('a colleague-bound token with colleagues:write (item 11)', () => {
  const asX = () =>
    api(
      service.url,
      colleagueToken('alpha', 'x', 'colleagues:write messages:send messages:read mediators:read'),
    );

  it('changes and unregisters only its own colleague', async () => {
    const x = asX();
    expectError(
      await x.patch('/mediators/alpha/colleagues/y', { active: false }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(
      await x.patch('/mediators/alpha/colleagues/y', { handles: ['steal'] }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(await x.delete('/mediators/alpha/colleagues/y'), 403, 'COLLEAGUE_FORBIDDEN');
    const y = await admin.get('/mediators/alpha/colleagues/y');
    expect(y.body).toMatchObject({ active: true, handles: [] });
    const own = await x.patch('/mediators/alpha/colleagues/x', { name: 'x renamed' });
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('x renamed');
  });

  it('registers only itself', async () => {
    expectError(
      await asX().post('/mediators/alpha/colleagues', { id: 'z', name: 'z', type: 'message' }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    const newcomer = api(
      service.url,
      colleagueToken('alpha', 'n', 'colleagues:write mediators:read'),
    );
    const res = await newcomer.post('/mediators/alpha/colleagues', {
      id: 'n',
      name: 'n',
      type: 'message',
    });
    expect(res.status).toBe(201);
  });

  it('may start a workflow but not cancel one', async () => {
    const started = await asX().post('/mediators/alpha/workflows', {
      name: 'long',
      steps: [{ name: 'wait', type: 'nobody.handles.this' }],
    });
    expect(started.status).toBe(202);
    const path = `/mediators/alpha/workflows/${started.body.id}`;
    expectError(await asX().post(`${path}/cancel`), 403, 'COLLEAGUE_FORBIDDEN');
    // Not cancelled: with no handler for its step, it fails on its own.
    await eventually(async () => expect((await admin.get(path)).body.status).toBe('failed'));
    // A mediator-bound token without a colleague passes the binding check (409: finished).
    const alphaOps = api(
      service.url,
      token({ sub: 'alpha-ops', scope: ALL_SCOPES, mediator: 'alpha' }),
    );
    expectError(await alphaOps.post(`${path}/cancel`), 409, 'INVALID_STATE');
  });
});

describe('token lifetime, iat, crit and the 401 text (item 12)', () => {
  const call = (jwt: string) => api(service.url, jwt).get('/mediators');
  const admin24 = { sub: 'long', scope: 'admin' };

  it.each<[string, () => string]>([
    ['exp: 1e300', () => raw({ ...admin24, exp: 1e300 })],
    ['a lifetime of 25h', () => raw({ ...admin24, iat: now(), exp: now() + 25 * HOUR })],
    [
      '25h left and no iat',
      () => raw({ ...admin24, exp: now() + 25 * HOUR }, { noTimestamp: true }),
    ],
    ['iat ten minutes ahead', () => raw({ ...admin24, iat: now() + 600, exp: now() + HOUR })],
    [
      'a crit header',
      () => raw(admin24, { expiresIn: HOUR, header: { alg: 'HS256', crit: ['exp'] } as never }),
    ],
  ])('refuses %s with 401', async (_what, make) => {
    expectError(await call(make()), 401, 'UNAUTHORIZED');
  });

  it('accepts security.token_expiry exactly and a slightly fast issuer clock', async () => {
    expect((await call(raw({ ...admin24, iat: now(), exp: now() + 24 * HOUR }))).status).toBe(200);
    expect((await call(raw({ ...admin24, iat: now() + 5, exp: now() + HOUR }))).status).toBe(200);
  });

  it('answers every bad token with the same text, never jsonwebtoken’s', async () => {
    const bad = [
      token({ sub: 'late', scope: 'admin' }, -60),
      token({ sub: 'forger', scope: 'admin' }, HOUR, 'another-secret-that-is-long-enough-to-sign'),
      'not.a.jwt',
      raw({ ...admin24, exp: 1e300 }),
    ];
    for (const jwt of bad) {
      const res = await call(jwt);
      expectError(res, 401, 'UNAUTHORIZED');
      expect(res.body.message).toBe('invalid token');
    }
  });
});

describe('CORS (item 12)', () => {
  const evil = 'https://evil.example';

  it('allows any origin with * but never with credentials, on REST', async () => {
    const preflight = await request(`${service.url}/api/v1/mediators`, 'OPTIONS', {
      headers: { origin: evil, 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    const get = await request(`${service.url}/api/v1/mediators`, 'GET', {
      headers: { origin: evil, authorization: `Bearer ${adminToken()}` },
    });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows any origin with * but never with credentials, on Socket.IO', async () => {
    const handshake = await request(`${service.url}/ws/?EIO=4&transport=polling`, 'GET', {
      headers: { origin: evil },
    });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBe('*');
    expect(handshake.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers only the listed origins when server.cors_origins lists them', async () => {
    const app = 'https://app.example';
    const listed = await startService({ config: { server: { cors_origins: [app] } } });
    try {
      for (const path of ['/api/v1/mediators', '/ws/?EIO=4&transport=polling']) {
        const foreign = await request(`${listed.url}${path}`, 'GET', { headers: { origin: evil } });
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
        const own = await request(`${listed.url}${path}`, 'GET', { headers: { origin: app } });
        expect(own.headers.get('access-control-allow-origin')).toBe(app);
      }
    } finally {
      await listed.stop();
    }
  });
});

describe('security headers (item 12)', () => {
  it('sends nosniff, framing refusal and a CSP on API responses', async () => {
    const res = await admin.get('/mediators');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('sends the same security headers on the liveness route, a 404 and a 401', async () => {
    const reference = await admin.get('/mediators');
    const names = [
      'content-security-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
    ];
    for (const name of names) expect([name, reference.headers.get(name)]).not.toContain(null);
    for (const path of ['/health/live', '/nowhere', '/api/v1/mediators']) {
      const res = await request(`${service.url}${path}`, 'GET');
      for (const name of names)
        expect([path, name, res.headers.get(name)]).toEqual([
          path,
          name,
          reference.headers.get(name),
        ]);
    }
  });

  it('keeps /docs working under its CSP: every asset loads, no inline script', async () => {
    const page = await request(`${service.url}/docs`, 'GET');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = page.text;
    // script-src 'self' runs only script files of this origin.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toMatch(/\bsrc=/);
    // Its inline <style> blocks need 'unsafe-inline' styles.
    if (/<style\b/.test(html)) expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)]
      .map((m) => m[1])
      .filter((u) => !u.startsWith('#') && !/^[a-z]+:/i.test(u));
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const res = await fetch(new URL(asset, `${service.url}/docs`));
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      await res.arrayBuffer();
    }
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect((await request(`${service.url}/docs-json`, 'GET')).status).toBe(200);
  });
});

describe('x-request-id (item 12)', () => {
  const echoOf = async (id: string) =>
    (
      await request(`${service.url}/api/v1/mediators`, 'GET', {
        headers: { authorization: `Bearer ${adminToken()}`, 'x-request-id': id },
      })
    ).headers.get('x-request-id');
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('keeps a short, plain id', async () => {
    expect(await echoOf('req-42.a:b_c')).toBe('req-42.a:b_c');
    expect(await echoOf('r'.repeat(128))).toBe('r'.repeat(128));
  });

  it.each([
    ['longer than 128 characters', 'r'.repeat(129)],
    ['8,000 characters', 'x'.repeat(8000)],
    ['markup', '<script>alert(1)</script>'],
    ['spaces and quotes', 'a "b" c'],
  ])('replaces an id %s with a generated one', async (_what, id) => {
    expect(await echoOf(id)).toMatch(UUID);
  });
});

describe('weak JWT secrets at start-up (item 6; issue 11 item 3)', () => {
  const env = (extra: Record<string, string>) => {
    const dir = tempDir();
    return {
      SQLITE_PATH: join(dir, 'db.sqlite'),
      PORT: '0',
      METRICS_PORT: '0',
      CONFIG_FILE: writeConfig(dir),
      ...extra,
    };
  };

  it.each([
    ['the development default of config/config.yaml', ''],
    ['the original’s your-secret-key', 'your-secret-key'],
    ['changeme', 'changeme'],
    ['the k8s Secret placeholder', 'CHANGE_ME-to-a-random-secret-of-at-least-32-characters'],
    ['a 31-byte secret', 'k3J9vQx2LmP8rT5wZ1nB7cF4hD6gS0a'],
  ])('refuses %s with NODE_ENV=production: one line, exit 2', async (_what, secret) => {
    const { code, stderr } = await runUntilExit(
      env({ NODE_ENV: 'production', JWT_SECRET: secret }),
    );
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^config error: security\.jwt_secret: /);
    if (secret) expect(stderr).not.toContain(secret);
  });

  it('starts in production with 32 random bytes', async () => {
    const strong = await startService({
      env: { NODE_ENV: 'production', JWT_SECRET: 'k3J9vQx2LmP8rT5wZ1nB7cF4hD6gS0aY' },
    });
    expect((await strong.stop()).code).toBe(0);
  });

  it('starts in development with your-secret-key and a loud warning in the log', async () => {
    const child: ChildProcess = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env({ NODE_ENV: 'development', JWT_SECRET: 'your-secret-key' }),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await eventually(async () => expect(log).toContain('listening'), 30_000);
      const warning = log.split('\n').find((line) => line.includes('INSECURE'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
      expect(warning).toContain('security.jwt_secret');
      expect(warning).not.toContain('your-secret-key');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
