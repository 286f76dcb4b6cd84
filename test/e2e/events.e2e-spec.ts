// Events (KINDS.md): every active subscriber of the type gets each publish exactly once (a
// redelivery of the same id reaches nobody again), non-subscribers get nothing, and the history
// is queryable by type.
import type { Socket } from 'socket.io-client';
import { api, type Api, eventually, expectError, type Json } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connect, connected, record, waitFor } from '../support/ws';

const M = 'shop';

describe('events', () => {
  let service: RunningService;
  let admin: Api;
  const sockets: Socket[] = [];
  const deliveries: Record<string, Json[]> = {};

  const listen = async (id: string) => {
    const socket = await connected(service.url, colleagueToken(M, id));
    sockets.push(socket);
    deliveries[id] = [];
    socket.on('message', (envelope: Json, ack: (r: unknown) => void) => {
      deliveries[id].push(envelope);
      ack({ ok: true });
    });
    return socket;
  };

  /**
   * A direct message to `to`, and its arrival. It takes the path an event's deliveries take (its
   * delivered status stored by its own commit, then the emit to the colleague's room), and the
   * write queue commits in order: every delivery pushed before it was sent — an event's are
   * pushed before the publish answers — reaches `to`'s socket before it.
   */
  const sentinel = async (from: string, to: string): Promise<string> => {
    const res = await admin.post(`/mediators/${M}/messages`, {
      sender_id: from,
      recipient_id: to,
      message: 'sentinel',
    });
    expect(res.status).toBe(202);
    await eventually(async () =>
      expect(deliveries[to].filter((e) => e.id === res.body.id)).toHaveLength(1),
    );
    return res.body.id;
  };

  beforeAll(async () => {
    service = await startService();
    admin = api(service.url, adminToken());
    await admin.post('/mediators', { name: M });
    const colleagues = [
      { id: 'orders', subscriptions: ['nothing_here'] },
      { id: 'billing', subscriptions: ['order_created'] },
      { id: 'shipping', subscriptions: ['order_created', 'order_paid'] },
      { id: 'audit-log' }, // no subscriptions: every event
      { id: 'marketing', subscriptions: ['newsletter'] },
      { id: 'retired', subscriptions: ['order_created'] },
    ];
    for (const c of colleagues) {
      await admin.post(`/mediators/${M}/colleagues`, { name: c.id, type: 'event', ...c });
    }
    await admin.patch(`/mediators/${M}/colleagues/retired`, { active: false });
    for (const id of ['orders', 'billing', 'shipping', 'audit-log', 'marketing']) await listen(id);
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await service?.stop();
  });

  it('delivers a publish exactly once to each active subscriber, and to no one else', async () => {
    const res = await admin.post(`/mediators/${M}/events`, {
      sender_id: 'orders',
      type: 'order_created',
      data: { order_id: 1 },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        mediator: M,
        type: 'order_created',
        sender_id: 'orders',
        data: { order_id: 1 },
        recipients: 3,
        duplicate: false,
      }),
    );
    const id = res.body.id;
    await eventually(async () => {
      for (const who of ['billing', 'shipping', 'audit-log'])
        expect(deliveries[who].filter((e) => e.id === id)).toHaveLength(1);
    });
    const delivered = deliveries.billing.find((e) => e.id === id);
    expect(delivered).toEqual(
      expect.objectContaining({ kind: 'event', type: 'order_created', payload: { order_id: 1 } }),
    );
    const marketingSentinel = await sentinel('shipping', 'marketing');
    const ordersSentinel = await sentinel('shipping', 'orders');
    // Nothing but the sentinels: the event reached neither.
    expect(deliveries.marketing.map((e) => e.id)).toEqual([marketingSentinel]);
    expect(deliveries.orders.map((e) => e.id)).toEqual([ordersSentinel]); // the publisher itself

    // every delivery is stored and acked
    await eventually(async () => {
      const status = (await admin.get(`/mediators/${M}/messages/${id}`)).body;
      expect(status.recipients.map((r: Json) => [r.recipient_id, r.status])).toEqual([
        ['audit-log', 'acked'],
        ['billing', 'acked'],
        ['shipping', 'acked'],
      ]);
    });
  });

  it('delivers a redelivered id to nobody again', async () => {
    const body = { sender_id: 'orders', type: 'order_paid', data: { order_id: 2 }, id: 'pay-2' };
    const first = await admin.post(`/mediators/${M}/events`, body);
    expect(first.body).toEqual(expect.objectContaining({ id: 'pay-2', recipients: 2 }));
    await eventually(async () => {
      expect(deliveries.shipping.filter((e) => e.id === 'pay-2')).toHaveLength(1);
      expect(deliveries['audit-log'].filter((e) => e.id === 'pay-2')).toHaveLength(1);
    });

    const again = await admin.post(`/mediators/${M}/events`, body);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(expect.objectContaining({ id: 'pay-2', duplicate: true }));
    // A delivery of the redelivered id would have been pushed before the 202: before these.
    await sentinel('orders', 'shipping');
    await sentinel('orders', 'audit-log');
    expect(deliveries.shipping.filter((e) => e.id === 'pay-2')).toHaveLength(1);
    expect(deliveries['audit-log'].filter((e) => e.id === 'pay-2')).toHaveLength(1);
  });

  it('keeps an offline subscriber its events until it connects and acks', async () => {
    const billing = sockets[1];
    billing.close();
    await eventually(async () =>
      expect((await admin.get(`/mediators/${M}/colleagues/billing`)).body.online).toBe(false),
    );
    const res = await admin.post(`/mediators/${M}/events`, {
      sender_id: 'orders',
      type: 'order_created',
      data: { order_id: 3 },
    });
    const inbox = await admin.get(`/mediators/${M}/colleagues/billing/messages?status=pending`);
    expect(inbox.body.items.map((e: Json) => e.id)).toContain(res.body.id);

    // Listening before the connection: the redelivery is pushed as soon as it is established.
    const socket = connect(service.url, colleagueToken(M, 'billing'));
    sockets.push(socket);
    const seen = record<Json>(socket, 'message');
    socket.on('message', (_e: Json, ack: (r: unknown) => void) => ack({ ok: true }));
    await waitFor<Json>(socket, 'message', (e) => e.id === res.body.id);
    // The connection pushes all its pending deliveries at once: a second copy would have been
    // queued with the first, so it would arrive before a message sent after the first arrived.
    const after = await admin.post(`/mediators/${M}/messages`, {
      sender_id: 'orders',
      recipient_id: 'billing',
      message: 'sentinel',
    });
    expect(after.status).toBe(202);
    await waitFor<Json>(socket, 'message', (e) => e.id === after.body.id);
    expect(seen.filter((e) => e.id === res.body.id)).toHaveLength(1);
  });

  it('publishes event_published', async () => {
    const watcher = await connected(service.url, adminToken('watcher'));
    sockets.push(watcher);
    await watcher.timeout(5000).emitWithAck('subscribe', { mediator: M });
    const published = waitFor<Json>(
      watcher,
      'event_published',
      (e) => e.data.type === 'newsletter',
    );
    const res = await admin.post(`/mediators/${M}/events`, {
      sender_id: 'orders',
      type: 'newsletter',
      data: 'spring sale',
    });
    expect((await published).data).toEqual({
      id: res.body.id,
      type: 'newsletter',
      sender_id: 'orders',
      recipients: 2,
    });
  });

  it('answers the history by type, oldest first, in pages', async () => {
    const all = await admin.get(`/mediators/${M}/events?limit=500`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: Json) => e.type)).toEqual([
      'order_created',
      'order_paid',
      'order_created',
      'newsletter',
    ]);
    const created = await admin.get(`/mediators/${M}/events?type=order_created&limit=1`);
    expect(created.body.items).toHaveLength(1);
    expect(created.body.items[0].data).toEqual({ order_id: 1 });
    const next = await admin.get(
      `/mediators/${M}/events?type=order_created&limit=1&cursor=${created.body.next_cursor}`,
    );
    expect(next.body.items[0].data).toEqual({ order_id: 3 });
    expect(next.body.next_cursor).toBeNull();
  });

  it('refuses an inactive or unknown publisher and an invalid body', async () => {
    expectError(
      await admin.post(`/mediators/${M}/events`, { sender_id: 'retired', type: 'x', data: 1 }),
      409,
      'COLLEAGUE_INACTIVE',
    );
    expectError(
      await admin.post(`/mediators/${M}/events`, { sender_id: 'ghost', type: 'x', data: 1 }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expectError(
      await admin.post(`/mediators/${M}/events`, { sender_id: 'orders', type: '' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
