// CONTRACT §2 (tokens, scopes, bindings, open routes), §3 (the error body) and the audit of denials.
import { type Api, api, eventually, expectError, request } from '../support/http';
import { JWT_SECRET, type RunningService, startService } from '../support/service';
import { ALL_SCOPES, adminToken, colleagueToken, token } from '../support/tokens';
import { sleep } from '../support/ws';
import { sign } from 'jsonwebtoken';

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const exp = () => Math.floor(Date.now() / 1000) + 3600;

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  for (const name of ['alpha', 'beta'])
    expect((await admin.post('/mediators', { name })).status).toBe(201);
  for (const id of ['x', 'y']) {
    const res = await admin.post('/mediators/alpha/colleagues', { id, name: id, type: 'message' });
    expect(res.status).toBe(201);
  }
});
afterAll(() => service?.stop());

describe('authentication (401)', () => {
  const invalid: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['a garbage token', () => 'not.a.jwt'],
    ['an expired token', () => token({ sub: 'late', scope: 'admin' }, -60)],
    [
      'a token signed with another secret',
      () => token({ sub: 'forger', scope: 'admin' }, 3600, 'another-secret-that-is-long-enough'),
    ],
    [
      'an alg:none token',
      () =>
        `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'none', scope: 'admin', exp: exp() })}.`,
    ],
    [
      'an HS512 token (algorithm not pinned)',
      () =>
        sign({ sub: 'hs512', scope: 'admin' }, JWT_SECRET, { algorithm: 'HS512', expiresIn: 3600 }),
    ],
    [
      'a token without exp',
      () => sign({ sub: 'forever', scope: 'admin' }, JWT_SECRET, { algorithm: 'HS256' }),
    ],
    [
      'a token without sub',
      () => sign({ scope: 'admin' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 }),
    ],
  ];

  it.each(invalid)('rejects %s with 401 UNAUTHORIZED', async (_what, make) => {
    const res = await api(service.url, make()).get('/mediators');
    expectError(res, 401, 'UNAUTHORIZED');
    const write = await api(service.url, make()).post('/mediators', { name: 'sneaky' });
    expectError(write, 401, 'UNAUTHORIZED');
  });

  it('refuses a token once its exp has passed, though it was accepted (and remembered) before', async () => {
    // exp on a whole second at least 1 s away (two requests on loopback take a few ms): accepted
    // now, expired after the wait. Real time: the service reads its own clock against exp.
    const expiresAt = Math.ceil((Date.now() + 1000) / 1000);
    const shortLived = api(
      service.url,
      sign({ sub: 'short-lived', scope: 'admin', exp: expiresAt }, JWT_SECRET, {
        algorithm: 'HS256',
      }),
    );
    expect((await shortLived.get('/mediators')).status).toBe(200);
    expect((await shortLived.get('/mediators/alpha')).status).toBe(200);
    await sleep(expiresAt * 1000 - Date.now() + 50);
    expectError(await shortLived.get('/mediators/alpha'), 401, 'UNAUTHORIZED');
  });

  it('accepts the token without the Bearer scheme only as a bearer token', async () => {
    const res = await request(`${service.url}/api/v1/mediators`, 'GET', {
      headers: { authorization: `Basic ${adminToken()}` },
    });
    expect(res.status).toBe(401);
    expect((await admin.get('/mediators/sneaky')).status).toBe(404);
  });

  it.each(['/health', '/health/live', '/health/ready', '/docs', '/docs-json'])(
    'leaves %s open',
    async (path) => {
      const res = await request(`${service.url}${path}`, 'GET');
      expect(res.status).toBe(200);
    },
  );

  it('answers /health in the terminus format', async () => {
    const res = await request(`${service.url}/health`, 'GET');
    expect(res.body).toMatchObject({
      status: 'ok',
      info: expect.any(Object),
      details: expect.any(Object),
    });
  });
});

describe('authorisation (403)', () => {
  it('denies a token without the scope', async () => {
    const reader = api(service.url, token({ sub: 'reader', scope: 'mediators:read' }));
    expect((await reader.get('/mediators')).status).toBe(200);
    expectError(await reader.post('/mediators', { name: 'gamma' }), 403, 'INSUFFICIENT_SCOPE');
    expectError(await reader.delete('/mediators/alpha'), 403, 'INSUFFICIENT_SCOPE');
    expectError(
      await reader.post('/mediators/alpha/colleagues', { id: 'z', name: 'z', type: 'task' }),
      403,
      'INSUFFICIENT_SCOPE',
    );
    expectError(
      await reader.post('/mediators/alpha/messages', {
        sender_id: 'x',
        recipient_id: 'y',
        message: 1,
      }),
      403,
      'INSUFFICIENT_SCOPE',
    );
    expectError(
      await reader.get('/mediators/alpha/colleagues/x/messages'),
      403,
      'INSUFFICIENT_SCOPE',
    );
    expect((await admin.get('/mediators/alpha')).status).toBe(200);
  });

  it('confines a mediator-bound token to its mediator', async () => {
    const bound = api(
      service.url,
      token({ sub: 'alpha-ops', scope: ALL_SCOPES, mediator: 'alpha' }),
    );
    expect((await bound.get('/mediators/alpha')).status).toBe(200);
    expect((await bound.get('/mediators/alpha/colleagues')).status).toBe(200);
    expectError(await bound.get('/mediators/beta'), 403, 'MEDIATOR_FORBIDDEN');
    expectError(
      await bound.patch('/mediators/beta', { description: 'mine now' }),
      403,
      'MEDIATOR_FORBIDDEN',
    );
    expectError(
      await bound.post('/mediators/beta/colleagues', { id: 'z', name: 'z', type: 'task' }),
      403,
      'MEDIATOR_FORBIDDEN',
    );
    expect((await admin.get('/mediators/beta')).body.description).toBe('');
  });

  it('lets a colleague-bound token act only as its colleague', async () => {
    const x = api(service.url, colleagueToken('alpha', 'x'));
    const sent = await x.post('/mediators/alpha/messages', {
      sender_id: 'x',
      recipient_id: 'y',
      message: 'hi y',
    });
    expect(sent.status).toBe(202);
    expectError(
      await x.post('/mediators/alpha/messages', {
        sender_id: 'y',
        recipient_id: 'x',
        message: 'i am y',
      }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(
      await x.post('/mediators/alpha/broadcast', { sender_id: 'y', message: 'i am y' }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(await x.get('/mediators/alpha/colleagues/y/messages'), 403, 'COLLEAGUE_FORBIDDEN');
    expectError(
      await x.post(`/mediators/alpha/colleagues/y/messages/${sent.body.id}/ack`),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expect((await x.get('/mediators/alpha/colleagues/x/messages')).status).toBe(200);
    // y's inbox still holds the message un-acked.
    const inbox = await admin.get('/mediators/alpha/colleagues/y/messages?status=pending');
    expect(inbox.body.items.map((e: { id: string }) => e.id)).toContain(sent.body.id);
  });
});

describe('audit', () => {
  it('records denials with outcome denied, filterable by action and actor', async () => {
    const reader = api(service.url, token({ sub: 'audited-reader', scope: 'mediators:read' }));
    expectError(await reader.post('/mediators', { name: 'delta' }), 403);
    const auditor = api(service.url, token({ sub: 'auditor', scope: 'audit:read' }));
    const res = await eventually(async () => {
      const r = await auditor.get('/audit?action=create_mediator&actor=audited-reader');
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(1);
      return r;
    });
    const [entry] = res.body.items;
    expect(Object.keys(entry).sort()).toEqual(
      [
        'action',
        'actor',
        'at',
        'details',
        'id',
        'mediator',
        'outcome',
        'request_id',
        'target',
        'transport',
      ].sort(),
    );
    expect(entry).toMatchObject({
      actor: 'audited-reader',
      action: 'create_mediator',
      transport: 'http',
      outcome: 'denied',
    });
    expect(entry.request_id).toEqual(expect.any(String));
  });

  it('records unauthenticated attempts and colleague-binding denials', async () => {
    await api(service.url).post('/mediators', { name: 'anon' });
    const x = api(service.url, colleagueToken('alpha', 'x'));
    await x.post('/mediators/alpha/messages', {
      sender_id: 'y',
      recipient_id: 'x',
      message: 'spoof',
    });
    await eventually(async () => {
      const anon = await admin.get('/audit?actor=anonymous&action=create_mediator');
      expect(anon.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ outcome: 'denied' })]),
      );
      const spoof = await admin.get(
        `/audit?actor=${encodeURIComponent('colleague:alpha:x')}&action=send_message`,
      );
      // One denial here, one in the binding test above, and the one send that was allowed.
      expect(spoof.body.items.map((e: { outcome: string }) => e.outcome).sort()).toEqual([
        'denied',
        'denied',
        'ok',
      ]);
      expect(spoof.body.items.every((e: { mediator: string }) => e.mediator === 'alpha')).toBe(
        true,
      );
    });
  });

  it('records a refused body or an unknown mediator on an audited route as an error', async () => {
    const sender = api(service.url, token({ sub: 'audited-sender', scope: 'messages:send' }));
    expectError(await sender.post('/mediators/alpha/messages', { sender_id: 'x' }), 400);
    expectError(
      await sender.post('/mediators/nowhere/messages', {
        sender_id: 'x',
        recipient_id: 'y',
        message: 1,
      }),
      404,
    );
    await eventually(async () => {
      const r = await admin.get('/audit?actor=audited-sender&action=send_message');
      expect(r.status).toBe(200);
      expect(
        r.body.items.map((e: { outcome: string; mediator: string }) => [e.outcome, e.mediator]),
      ).toEqual(
        expect.arrayContaining([
          ['error', 'alpha'],
          ['error', 'nowhere'],
        ]),
      );
      expect(r.body.items).toHaveLength(2);
    });
  });

  it('records successful changes with outcome ok, filterable by mediator', async () => {
    const res = await admin.get('/audit?mediator=beta');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'create_mediator',
          outcome: 'ok',
          actor: 'e2e-admin',
          mediator: 'beta',
        }),
      ]),
    );
    const paged = await admin.get('/audit?limit=1');
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next_cursor).toEqual(expect.any(String));
  });

  it('needs the audit:read scope', async () => {
    const ops = api(
      service.url,
      token({
        sub: 'ops',
        scope: 'mediators:read mediators:write colleagues:write messages:send messages:read',
      }),
    );
    expectError(await ops.get('/audit'), 403, 'INSUFFICIENT_SCOPE');
    expectError(await api(service.url).get('/audit'), 401, 'UNAUTHORIZED');
  });

  it('rejects bad filters with 400', async () => {
    expectError(await admin.get('/audit?since=yesterday'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/audit?limit=501'), 400, 'VALIDATION_FAILED');
  });
});

describe('errors (CONTRACT §3)', () => {
  it('answers an unknown route with 404 and the error body', async () => {
    expectError(await admin.get('/nothing-here'), 404);
    expectError(await request(`${service.url}/not/a/route`, 'GET'), 404);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await admin.raw('POST', '/api/v1/mediators', {
      body: '{"name": "broken"',
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'INVALID_JSON');
    expect((await admin.get('/mediators/broken')).status).toBe(404);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const res = await admin.post('/mediators', { name: 'big', description: 'x'.repeat(1_100_000) });
    expectError(res, 413);
  });

  it('never answers bad input with a 500 or a stack trace', async () => {
    const attempts = [
      admin.raw('POST', '/api/v1/mediators', {
        body: 'name=x',
        headers: { 'content-type': 'text/plain' },
      }),
      admin.raw('POST', '/api/v1/mediators', {
        body: '',
        headers: { 'content-type': 'application/json' },
      }),
      admin.raw('POST', '/api/v1/mediators', {
        body: 'null',
        headers: { 'content-type': 'application/json' },
      }),
      admin.raw('POST', '/api/v1/mediators', {
        body: '{"__proto__": {"x": 1}, "name": "p"}',
        headers: { 'content-type': 'application/json' },
      }),
      admin.get(`/mediators/${'n'.repeat(100)}`),
      admin.get('/mediators/alpha/messages/not-a-uuid'),
      admin.post('/mediators/alpha/messages', {
        sender_id: ['x'],
        recipient_id: { id: 'y' },
        message: 1,
      }),
      admin.patch('/mediators/alpha/colleagues/x', { metadata: [1, 2] }),
      admin.get('/mediators?limit=1e3'),
      admin.get('/mediators?cursor=' + 'A'.repeat(2000)),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectError(res, res.status);
    }
  });
});
