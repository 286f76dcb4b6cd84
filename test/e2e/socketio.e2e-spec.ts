// CONTRACT §5: Socket.IO handshake, lifecycle subscriptions, deliveries and acks, presence,
// send/broadcast over the socket, redelivery on reconnect.
import type { Socket } from 'socket.io-client';
import { type Api, api, eventually } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';
import { connect, connected, emitAck, flushed, record, waitFor } from '../support/ws';

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;
const sockets: Socket[] = [];

async function open(bearer: string): Promise<Socket> {
  const socket = await connected(service.url, bearer);
  sockets.push(socket);
  return socket;
}

async function register(mediator: string, id: string) {
  const res = await admin.post(`/mediators/${mediator}/colleagues`, {
    id,
    name: id,
    type: 'message',
  });
  expect(res.status).toBe(201);
}

async function recipientStatus(mediator: string, id: string, recipient: string): Promise<string> {
  const res = await admin.get(`/mediators/${mediator}/messages/${id}`);
  return res.body.recipients.find((r: { recipient_id: string }) => r.recipient_id === recipient)
    .status;
}

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'orders' })).status).toBe(201);
  for (const id of ['alice', 'bob', 'carol']) await register('orders', id);
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});
afterAll(() => service?.stop());

describe('handshake', () => {
  it.each([
    ['a garbage token', 'garbage'],
    ['no token', undefined],
    ['an expired token', token({ sub: 'late', scope: 'admin' }, -60)],
  ])('fails with connect_error "unauthorized" for %s', async (_what, bearer) => {
    const socket = connect(service.url, bearer);
    sockets.push(socket);
    const error = await new Promise<Error>((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () => reject(new Error('connected with a bad token')));
    });
    expect(error.message).toBe('unauthorized');
  });
});

describe('lifecycle events', () => {
  it('subscribe {mediator} acks ok and then delivers colleague_registered', async () => {
    const socket = await open(adminToken());
    expect(await emitAck(socket, 'subscribe', { mediator: 'orders' })).toEqual(
      expect.objectContaining({ ok: true }),
    );
    const event = waitFor(
      socket,
      'colleague_registered',
      (e) => e.data?.id === 'dave' || JSON.stringify(e.data).includes('dave'),
    );
    await register('orders', 'dave');
    const payload = await event;
    expect(Object.keys(payload).sort()).toEqual(['data', 'event', 'id', 'mediator', 'timestamp']);
    expect(payload).toMatchObject({ event: 'colleague_registered', mediator: 'orders' });
    expect(payload.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  it("subscribe '*' receives mediator_created of every mediator", async () => {
    const socket = await open(token({ sub: 'watcher', scope: 'mediators:read' }));
    expect(await emitAck(socket, 'subscribe', { mediator: '*' })).toEqual(
      expect.objectContaining({ ok: true }),
    );
    const event = waitFor(socket, 'mediator_created', (e) => e.mediator === 'invoices');
    expect((await admin.post('/mediators', { name: 'invoices' })).status).toBe(201);
    expect(await event).toMatchObject({ event: 'mediator_created', mediator: 'invoices' });
  });

  it('refuses a subscription without mediators:read, and a bad body', async () => {
    const socket = await open(token({ sub: 'sender-only', scope: 'messages:send' }));
    const denied = await emitAck(socket, 'subscribe', { mediator: 'orders' });
    expect(denied).toEqual({
      ok: false,
      error: { code: expect.any(String), message: expect.any(String) },
    });
    expect(denied.error.code).toBe('INSUFFICIENT_SCOPE');
    const all = await emitAck(socket, 'subscribe', { mediator: '*' });
    expect(all).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_SCOPE' } });
    const bad = await emitAck(socket, 'subscribe', { mediator: 'not a name!' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('unsubscribe stops the events', async () => {
    const quitter = await open(adminToken());
    const sentinel = await open(adminToken());
    expect((await emitAck(quitter, 'subscribe', { mediator: 'orders' })).ok).toBe(true);
    expect((await emitAck(sentinel, 'subscribe', { mediator: 'orders' })).ok).toBe(true);
    expect((await emitAck(quitter, 'unsubscribe', { mediator: 'orders' })).ok).toBe(true);
    const seen = record(quitter, 'mediator_updated');
    const arrived = waitFor(sentinel, 'mediator_updated', (e) => e.mediator === 'orders');
    expect((await admin.patch('/mediators/orders', { description: 'quiet please' })).status).toBe(
      200,
    );
    await arrived;
    // The sentinel got the room's broadcast; a round trip on the quitter then shows it had none.
    await flushed(quitter);
    expect(seen).toEqual([]);
  });

  it('emits message_sent and message_broadcasted', async () => {
    const socket = await open(adminToken());
    expect((await emitAck(socket, 'subscribe', { mediator: 'orders' })).ok).toBe(true);
    const sentEvent = waitFor(socket, 'message_sent');
    const sent = await admin.post('/mediators/orders/messages', {
      sender_id: 'alice',
      recipient_id: 'carol',
      message: 'ev',
    });
    expect(sent.status).toBe(202);
    expect(await sentEvent).toMatchObject({ event: 'message_sent', mediator: 'orders' });
    const broadcastEvent = waitFor(socket, 'message_broadcasted');
    expect(
      (await admin.post('/mediators/orders/broadcast', { sender_id: 'alice', message: 'all' }))
        .status,
    ).toBe(202);
    expect(await broadcastEvent).toMatchObject({
      event: 'message_broadcasted',
      mediator: 'orders',
    });
  });
});

describe('colleague-bound sockets', () => {
  it('receive REST sends as `message` and ack them through the callback', async () => {
    const bob = await open(colleagueToken('orders', 'bob'));
    await eventually(async () =>
      expect((await admin.get('/mediators/orders/colleagues/bob')).body.online).toBe(true),
    );
    const delivery = new Promise<{ envelope: Record<string, unknown> }>((resolve) =>
      bob.on('message', (envelope: Record<string, unknown>, ack: (r: unknown) => void) => {
        ack({ ok: true });
        resolve({ envelope });
      }),
    );
    const sent = await admin.post('/mediators/orders/messages', {
      sender_id: 'alice',
      recipient_id: 'bob',
      message: { n: 1 },
    });
    expect(sent.status).toBe(202);
    const { envelope } = await delivery;
    expect(envelope).toMatchObject({
      id: sent.body.id,
      sender_id: 'alice',
      recipient_id: 'bob',
      payload: { n: 1 },
    });
    await eventually(async () =>
      expect(await recipientStatus('orders', sent.body.id, 'bob')).toBe('acked'),
    );
  });

  it('are online while connected and offline after disconnect', async () => {
    const carol = await open(colleagueToken('orders', 'carol'));
    await eventually(async () =>
      expect((await admin.get('/mediators/orders/colleagues/carol')).body.online).toBe(true),
    );
    carol.close();
    await eventually(async () =>
      expect((await admin.get('/mediators/orders/colleagues/carol')).body.online).toBe(false),
    );
  });

  it('send and broadcast over the socket as the token’s colleague', async () => {
    const alice = await open(colleagueToken('orders', 'alice'));
    const bob = await open(colleagueToken('orders', 'bob'));
    const got = waitFor(bob, 'message', (e) => e.payload === 'over the socket');
    const res = await emitAck(alice, 'send', {
      mediator: 'orders',
      recipient_id: 'bob',
      message: 'over the socket',
    });
    expect(res).toMatchObject({
      ok: true,
      envelope: { sender_id: 'alice', recipient_id: 'bob', payload: 'over the socket' },
    });
    expect((await got).id).toBe(res.envelope.id);
    const all = await emitAck(alice, 'broadcast', { mediator: 'orders', message: 'everyone' });
    expect(all).toMatchObject({
      ok: true,
      envelope: { sender_id: 'alice', recipient_id: null, recipients: 3 },
    });
  });

  it('answer invalid socket sends with VALIDATION_FAILED and wrong bindings with 403 codes', async () => {
    const alice = await open(colleagueToken('orders', 'alice'));
    expect(
      await emitAck(alice, 'send', { mediator: 'orders', message: 'no recipient' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
    });
    expect(await emitAck(alice, 'broadcast', { mediator: 'orders' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(
      await emitAck(alice, 'send', { mediator: 'invoices', recipient_id: 'bob', message: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'MEDIATOR_FORBIDDEN' },
    });
    const unbound = await open(token({ sub: 'unbound', scope: 'messages:send' }));
    expect(
      await emitAck(unbound, 'send', { mediator: 'orders', recipient_id: 'bob', message: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'COLLEAGUE_FORBIDDEN' },
    });
  });

  it('get offline and unacknowledged messages again when they reconnect', async () => {
    await register('orders', 'erin');
    const offline = await admin.post('/mediators/orders/messages', {
      sender_id: 'alice',
      recipient_id: 'erin',
      message: 'while away',
    });
    expect(offline.status).toBe(202);

    // Connect, receive the pending message, do not ack it.
    // Listeners go on before the handshake: the redelivery may arrive in the same tick as it.
    const first = connect(service.url, colleagueToken('orders', 'erin'));
    sockets.push(first);
    const firstSeen: string[] = [];
    first.on('message', (e: { id: string }) => firstSeen.push(e.id));
    await waitFor(first, 'connect');
    const live = await admin.post('/mediators/orders/messages', {
      sender_id: 'alice',
      recipient_id: 'erin',
      message: 'live, not acked',
    });
    await eventually(async () =>
      expect(firstSeen.sort()).toEqual([offline.body.id, live.body.id].sort()),
    );
    expect(await recipientStatus('orders', live.body.id, 'erin')).toBe('delivered');
    first.close();
    await eventually(async () =>
      expect((await admin.get('/mediators/orders/colleagues/erin')).body.online).toBe(false),
    );

    // Reconnect: both come again; ack them this time.
    const again = connect(service.url, colleagueToken('orders', 'erin'));
    sockets.push(again);
    const secondSeen: string[] = [];
    again.on('message', (e: { id: string }, ack: (r: unknown) => void) => {
      secondSeen.push(e.id);
      ack({ ok: true });
    });
    await eventually(async () =>
      expect(secondSeen.sort()).toEqual([offline.body.id, live.body.id].sort()),
    );
    await eventually(async () => {
      expect(await recipientStatus('orders', offline.body.id, 'erin')).toBe('acked');
      expect(await recipientStatus('orders', live.body.id, 'erin')).toBe('acked');
    });
    const pending = await admin.get('/mediators/orders/colleagues/erin/messages?status=pending');
    expect(pending.body.items).toEqual([]);
  });
});

describe('hostile frames', () => {
  it('a frame over server.body_limit closes that connection only; the service keeps serving', async () => {
    const [big, bystander] = [await open(adminToken()), await open(adminToken('bystander'))];
    const closed = new Promise<string>((resolve) => big.once('disconnect', resolve));
    big.emit('subscribe', { mediator: 'x'.repeat(2 * 1024 * 1024) });
    expect(await closed).toBe('transport close');
    expect(await emitAck(bystander, 'subscribe', { mediator: 'orders' })).toEqual({
      ok: true,
      mediator: 'orders',
    });
    expect((await admin.get('/mediators/orders')).status).toBe(200);
  });
});
