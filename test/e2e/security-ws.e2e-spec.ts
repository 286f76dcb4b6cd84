// Security of the Socket.IO edge (issue 14, items 1, 4, 5 and 10): what a bound token may watch,
// the shared rate-limit budget, the subscription cap, refused handshakes limited per IP and
// counted instead of audited one row each, and connections that end at their token's exp.
import { io, type Socket } from 'socket.io-client';
import { type Api, api, type Json } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';
import { connect, connected, emitAck, flushed, record, sleep, waitFor } from '../support/ws';

jest.setTimeout(90_000);

const sockets: Socket[] = [];
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});

async function open(url: string, bearer: string): Promise<Socket> {
  const socket = await connected(url, bearer);
  sockets.push(socket);
  return socket;
}

async function setUp(admin: Api, mediators: Record<string, string[]>): Promise<void> {
  for (const [name, colleagues] of Object.entries(mediators)) {
    expect((await admin.post('/mediators', { name })).status).toBe(201);
    for (const id of colleagues) {
      const res = await admin.post(`/mediators/${name}/colleagues`, {
        id,
        name: id,
        type: 'message',
      });
      expect(res.status).toBe(201);
    }
  }
}

/** The connect_error a handshake ends with (fails the test if it connects). */
function refusal(socket: Socket): Promise<Error & { data?: Json }> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected with a bad token')));
  });
}

describe('with the default limits', () => {
  let service: RunningService;
  let admin: Api;

  beforeAll(async () => {
    service = await startService({ config: { websocket: { max_subscriptions: 3 } } });
    admin = api(service.url, adminToken());
    await setUp(admin, { alpha: ['a1', 'a2'], beta: ['b1', 'b2'], gamma: [], delta: [] });
  });
  afterAll(() => service?.stop());

  describe('what a bound token may watch (item 1)', () => {
    it("refuses '*' and other mediators to a token bound to alpha; it receives none of beta's events", async () => {
      const bound = await open(
        service.url,
        token({ sub: 'alpha-reader', scope: 'mediators:read', mediator: 'alpha' }),
      );
      for (const mediator of ['*', 'beta'])
        expect(await emitAck(bound, 'subscribe', { mediator })).toMatchObject({
          ok: false,
          error: { code: 'MEDIATOR_FORBIDDEN', message: expect.any(String) },
        });
      expect(await emitAck(bound, 'subscribe', { mediator: 'alpha' })).toMatchObject({ ok: true });
      const colleague = await open(service.url, colleagueToken('alpha', 'a1'));
      expect(await emitAck(colleague, 'subscribe', { mediator: '*' })).toMatchObject({
        ok: false,
        error: { code: 'MEDIATOR_FORBIDDEN' },
      });

      const watcher = await open(service.url, adminToken('watcher'));
      expect(await emitAck(watcher, 'subscribe', { mediator: '*' })).toMatchObject({ ok: true });
      const leaked = [
        ...record<Json>(bound, 'mediator_updated'),
        ...record<Json>(bound, 'message_sent'),
      ];
      const updated = waitFor(watcher, 'mediator_updated', (e) => e.mediator === 'beta');
      const sent = waitFor(watcher, 'message_sent', (e) => e.mediator === 'beta');
      expect((await admin.patch('/mediators/beta', { description: 'secret' })).status).toBe(200);
      const message = { sender_id: 'b1', recipient_id: 'b2', message: 'for beta only' };
      expect((await admin.post('/mediators/beta/messages', message)).status).toBe(202);
      await Promise.all([updated, sent]);
      // Its own mediator's events still arrive, after beta's on the watcher. They are the
      // sentinel: the outbox relay publishes lifecycle events in commit order and one socket's
      // packets arrive in order, so a leaked beta event would have arrived before this one.
      const own = waitFor(bound, 'mediator_updated', (e) => e.mediator === 'alpha');
      expect((await admin.patch('/mediators/alpha', { description: 'own' })).status).toBe(200);
      await own;
      expect(leaked.filter((e) => e.mediator !== 'alpha')).toEqual([]);

      const audit = await admin.get('/audit?actor=alpha-reader&action=subscribe');
      expect(audit.body.items).toEqual(
        expect.arrayContaining(
          ['*', 'beta'].map((mediator) =>
            expect.objectContaining({
              transport: 'ws',
              outcome: 'denied',
              mediator,
              details: { code: 'MEDIATOR_FORBIDDEN' },
            }),
          ),
        ),
      );
    });

    it("gives '*' to an unbound mediators:read token", async () => {
      const reader = await open(service.url, token({ sub: 'reader', scope: 'mediators:read' }));
      expect(await emitAck(reader, 'subscribe', { mediator: '*' })).toMatchObject({ ok: true });
    });
  });

  describe('subscriptions (item 5)', () => {
    it('caps the subscriptions of one socket (websocket.max_subscriptions)', async () => {
      const socket = await open(service.url, adminToken('collector'));
      for (const mediator of ['alpha', 'beta', 'gamma'])
        expect(await emitAck(socket, 'subscribe', { mediator })).toMatchObject({ ok: true });
      expect(await emitAck(socket, 'subscribe', { mediator: 'delta' })).toMatchObject({
        ok: false,
        error: { code: 'TOO_MANY_SUBSCRIPTIONS', message: expect.any(String) },
      });
      expect(await emitAck(socket, 'subscribe', { mediator: 'alpha' })).toMatchObject({ ok: true });
      expect(await emitAck(socket, 'unsubscribe', { mediator: 'alpha' })).toMatchObject({
        ok: true,
      });
      expect(await emitAck(socket, 'subscribe', { mediator: 'delta' })).toMatchObject({ ok: true });
    });

    it('refuses a mediator that does not exist, without telling a bound token', async () => {
      const socket = await open(service.url, adminToken());
      expect(await emitAck(socket, 'subscribe', { mediator: 'made-up' })).toMatchObject({
        ok: false,
        error: { code: 'MEDIATOR_NOT_FOUND' },
      });
      const bound = await open(service.url, colleagueToken('alpha', 'a1'));
      expect(await emitAck(bound, 'subscribe', { mediator: 'made-up' })).toMatchObject({
        ok: false,
        error: { code: 'MEDIATOR_FORBIDDEN' },
      });
    });
  });

  describe('token expiry (item 10)', () => {
    const EXPIRY_WAIT_MS = 8000;

    it('emits token_expired at exp and disconnects', async () => {
      const socket = await open(service.url, token({ sub: 'brief', scope: 'mediators:read' }, 3));
      const gone = waitFor<string>(socket, 'disconnect', () => true, EXPIRY_WAIT_MS);
      const expired = await waitFor(socket, 'token_expired', () => true, EXPIRY_WAIT_MS);
      expect(expired).toEqual({ reason: 'token_expired' });
      expect(await gone).toBe('io server disconnect');
      expect(socket.connected).toBe(false);
    });

    it('keeps a socket past the old exp after authenticate with a fresh token', async () => {
      const fresh = colleagueToken('alpha', 'a1');
      const brief = token(
        { sub: 'colleague:alpha:a1', scope: 'messages:send', mediator: 'alpha', colleague: 'a1' },
        3,
      );
      const renewed = await open(service.url, brief);
      const sentinel = await open(service.url, brief);
      const ack = await emitAck(renewed, 'authenticate', { token: fresh });
      expect(ack).toEqual({ ok: true, expires_at: expect.any(String) });
      expect(Date.parse(ack.expires_at)).toBeGreaterThan(Date.now() + 600_000);
      // The sentinel holds the same old token: once it expired, so would have the renewed one.
      await waitFor(sentinel, 'token_expired', () => true, EXPIRY_WAIT_MS);
      // A fixed wait: each socket arms its own timer for the same exp, and two timers are not
      // ordered (each is armed with exp minus its own now), so the renewed socket's old timer, had
      // it survived the renewal, could fire a few ms after the sentinel's.
      await sleep(200);
      expect(renewed.connected).toBe(true);
      const message = { mediator: 'alpha', recipient_id: 'a2', message: 'still here' };
      expect(await emitAck(renewed, 'send', message)).toMatchObject({ ok: true });
    });

    it('refuses a token of another subject or binding, and the old one still expires', async () => {
      const binding = { scope: 'messages:send', mediator: 'alpha', colleague: 'a1' };
      const socket = await open(service.url, token({ sub: 'colleague:alpha:a1', ...binding }, 4));
      const expired = waitFor(socket, 'token_expired', () => true, EXPIRY_WAIT_MS);
      const refused: [unknown, string][] = [
        [{ token: token({ ...binding, sub: 'intruder' }) }, 'TOKEN_MISMATCH'],
        [
          { token: token({ ...binding, sub: 'colleague:alpha:a1', colleague: 'a2' }) },
          'TOKEN_MISMATCH',
        ],
        [{ token: token({ sub: 'colleague:alpha:a1', scope: 'admin' }) }, 'TOKEN_MISMATCH'],
        [{ token: 'garbage' }, 'UNAUTHORIZED'],
        [{ token: token({ sub: 'colleague:alpha:a1', ...binding }, -60) }, 'UNAUTHORIZED'],
        [{}, 'VALIDATION_FAILED'],
      ];
      for (const [body, code] of refused)
        expect(await emitAck(socket, 'authenticate', body)).toMatchObject({
          ok: false,
          error: { code },
        });
      expect(socket.connected).toBe(true);
      expect(await expired).toEqual({ reason: 'token_expired' });
    });

    it('lets a client reconnect with a new token through the auth callback', async () => {
      let current = token({ sub: 'rejoiner', scope: 'mediators:read' }, 3);
      const socket = io(service.url, {
        path: '/ws',
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: (cb) => cb({ token: current }),
      });
      sockets.push(socket);
      await waitFor(socket, 'connect');
      const gone = waitFor(socket, 'disconnect', () => true, EXPIRY_WAIT_MS);
      await waitFor(socket, 'token_expired', () => true, EXPIRY_WAIT_MS);
      await gone;
      current = token({ sub: 'rejoiner', scope: 'mediators:read' });
      const back = waitFor(socket, 'connect');
      socket.connect();
      await back;
      expect(await emitAck(socket, 'subscribe', { mediator: 'alpha' })).toMatchObject({ ok: true });
    });

    it('drops the subscriptions a renewed token no longer allows', async () => {
      const narrowing = await open(service.url, token({ sub: 'narrow', scope: 'mediators:read' }));
      const sentinel = await open(service.url, adminToken());
      for (const socket of [narrowing, sentinel])
        expect(await emitAck(socket, 'subscribe', { mediator: '*' })).toMatchObject({ ok: true });
      const narrower = token({ sub: 'narrow', scope: 'messages:read' });
      expect(await emitAck(narrowing, 'authenticate', { token: narrower })).toMatchObject({
        ok: true,
      });
      const seen = record(narrowing, 'mediator_created');
      const created = waitFor(sentinel, 'mediator_created', (e) => e.mediator === 'epsilon');
      expect((await admin.post('/mediators', { name: 'epsilon' })).status).toBe(201);
      await created;
      // The sentinel got the '*' room's broadcast; a round trip shows the narrowed socket had none.
      await flushed(narrowing);
      expect(seen).toEqual([]);
    });
  });
});

describe('with a rate limit of 20 per window', () => {
  const LIMIT = 20;
  let service: RunningService;

  beforeAll(async () => {
    service = await startService({
      config: { security: { rate_limit_requests: LIMIT, rate_limit_window: '10m' } },
    });
    await setUp(api(service.url, adminToken('setup')), { orders: ['alice', 'bob'] });
  });
  afterAll(() => service?.stop());

  const auditor = () => api(service.url, adminToken('auditor'));

  describe('client events (item 5)', () => {
    it('accepts the first 20 sends, refuses the rest with RATE_LIMITED, and HTTP shares the budget', async () => {
      const bearer = colleagueToken('orders', 'alice');
      const alice = await open(service.url, bearer);
      const acks: Json[] = [];
      for (let i = 0; i < 30; i++)
        acks.push(
          await emitAck(alice, 'send', { mediator: 'orders', recipient_id: 'bob', message: i }),
        );
      expect(acks.slice(0, LIMIT).map((a) => a.ok)).toEqual(Array(LIMIT).fill(true));
      for (const ack of acks.slice(LIMIT))
        expect(ack).toEqual({
          ok: false,
          error: {
            code: 'RATE_LIMITED',
            message: expect.any(String),
            retry_after: expect.any(Number),
          },
        });
      expect(acks[LIMIT].error.retry_after).toBeGreaterThan(0);
      const http = await api(service.url, bearer).get(
        '/mediators/orders/colleagues/alice/messages',
      );
      expect(http.status).toBe(429);

      const audit = await auditor().get(
        '/audit?actor=colleague:orders:alice&action=send_message&limit=100',
      );
      const denied = audit.body.items.filter((e: Json) => e.outcome === 'denied');
      expect(denied).toHaveLength(30 - LIMIT);
      expect(denied[0]).toMatchObject({ transport: 'ws', details: { code: 'RATE_LIMITED' } });
    });

    it('counts socket events after the subject’s HTTP requests', async () => {
      const bearer = token({ sub: 'mixed', scope: 'mediators:read' });
      for (let i = 0; i < 15; i++)
        expect((await api(service.url, bearer).get('/mediators/orders')).status).toBe(200);
      const socket = await open(service.url, bearer);
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) {
        const ack = await emitAck(socket, i % 2 ? 'unsubscribe' : 'subscribe', {
          mediator: 'orders',
        });
        codes.push(ack.ok ? 'ok' : ack.error.code);
      }
      expect(codes).toEqual([...Array(5).fill('ok'), ...Array(5).fill('RATE_LIMITED')]);
    });
  });

  describe('refused handshakes (item 4)', () => {
    it('are limited per IP and counted in a few audit rows, not one row each', async () => {
      const messages: string[] = [];
      let limitedData: Json;
      for (let i = 0; i < 300; i++) {
        const socket = connect(service.url, i % 2 ? 'garbage' : undefined);
        const error = await refusal(socket);
        socket.close();
        messages.push(error.message);
        if (error.message === 'rate_limited') limitedData ??= error.data;
      }
      expect(messages.slice(0, LIMIT)).toEqual(Array(LIMIT).fill('unauthorized'));
      expect(new Set(messages.slice(LIMIT))).toEqual(new Set(['rate_limited']));
      expect(limitedData).toEqual({ code: 'RATE_LIMITED', retry_after: expect.any(Number) });

      const audit = await auditor().get('/audit?actor=anonymous&action=connect&limit=100');
      const rows = audit.body.items.filter((e: Json) => e.transport === 'ws');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThanOrEqual(4);
      const count = (code: string) =>
        rows
          .filter((e: Json) => e.details.code === code)
          .reduce((sum: number, e: Json) => sum + e.details.count, 0);
      expect(count('UNAUTHORIZED')).toBe(LIMIT);
      expect(count('RATE_LIMITED')).toBe(300 - LIMIT);

      // A valid token is not held back by its address's refusals.
      const fine = await open(service.url, token({ sub: 'fine', scope: 'mediators:read' }));
      expect(fine.connected).toBe(true);
    });
  });
});
