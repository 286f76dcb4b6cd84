// Commands and queries (KINDS.md): one handler per request, round-robin over the online handlers,
// answered with the Socket.IO ack callback or `POST messages/{message_id}/reply`; 504 after
// timeout_ms; 404 NO_HANDLER; a query's reply cached for cache.ttl without reaching a handler.
import type { Socket } from 'socket.io-client';
import { api, type Api, eventually, expectError, type Json } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, sleep, waitFor } from '../support/ws';

const M = 'orders';
/**
 * cache.ttl of this suite's service: a query reply is answered from the cache this long. Short,
 * since the test waits it out, but long enough for the repeated query (one HTTP round trip) to
 * come within it.
 */
const CACHE_TTL_MS = 1000;

/** A handler over Socket.IO that answers every request with `answer(envelope)` and counts them. */
function handle(socket: Socket, answer: (envelope: Json) => Json | undefined) {
  const seen: Json[] = [];
  socket.on('message', (envelope: Json, ack: (reply: unknown) => void) => {
    seen.push(envelope);
    const reply = answer(envelope);
    if (reply !== undefined) ack(reply);
  });
  return seen;
}

describe('commands and queries', () => {
  let service: RunningService;
  let admin: Api;
  const sockets: Socket[] = [];
  const online = async (id: string) => {
    const socket = await connected(service.url, colleagueToken(M, id));
    sockets.push(socket);
    await eventually(async () =>
      expect((await admin.get(`/mediators/${M}/colleagues/${id}`)).body.online).toBe(true),
    );
    return socket;
  };

  beforeAll(async () => {
    service = await startService({ config: { cache: { ttl: `${CACHE_TTL_MS}ms` } } });
    admin = api(service.url, adminToken());
    await admin.post('/mediators', { name: M });
    const colleagues = [
      { id: 'checkout', type: 'command' },
      { id: 'users-1', type: 'command', handles: ['create_user'] },
      { id: 'users-2', type: 'command', handles: ['create_user'] },
      { id: 'slow', type: 'command', handles: ['slow_down'] },
      { id: 'offline', type: 'command', handles: ['nobody_home'] },
      { id: 'catalog', type: 'query', handles: ['get_price'] },
      { id: 'failing', type: 'command', handles: ['fail_please'] },
      { id: 'poller', type: 'command', handles: ['by_rest'], metadata: { delivery: 'poll' } },
    ];
    for (const c of colleagues) {
      expect((await admin.post(`/mediators/${M}/colleagues`, { name: c.id, ...c })).status).toBe(
        201,
      );
    }
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await service?.stop();
  });

  it('delivers each command to exactly one handler, round-robin over the online ones', async () => {
    const answer = (who: string) => (e: Json) => ({
      ok: true,
      result: { by: who, n: e.payload.n },
    });
    const seen1 = handle(await online('users-1'), answer('users-1'));
    const seen2 = handle(await online('users-2'), answer('users-2'));

    const replies: Json[] = [];
    for (let n = 1; n <= 4; n++) {
      const res = await admin.post(`/mediators/${M}/commands`, {
        sender_id: 'checkout',
        type: 'create_user',
        data: { n },
      });
      expect(res.status).toBe(200);
      replies.push(res.body.reply);
    }

    expect(replies.map((r) => r.n)).toEqual([1, 2, 3, 4]);
    expect(seen1).toHaveLength(2);
    expect(seen2).toHaveLength(2);
    expect(replies.filter((r) => r.by === 'users-1')).toHaveLength(2);
    // each delivery is a stored `message` of kind command, acked by the answer
    const first = seen1[0];
    expect(first).toEqual(
      expect.objectContaining({
        kind: 'command',
        type: 'create_user',
        sender_id: 'checkout',
        recipient_id: 'users-1',
        correlation_id: first.id,
      }),
    );
    await eventually(async () =>
      expect((await admin.get(`/mediators/${M}/messages/${first.id}`)).body.status).toBe('acked'),
    );
  });

  it('answers 504 REQUEST_TIMEOUT when the handler does not reply within timeout_ms', async () => {
    const seen = handle(await online('slow'), () => undefined);
    const res = await admin.post(`/mediators/${M}/commands`, {
      sender_id: 'checkout',
      type: 'slow_down',
      data: {},
      timeout_ms: 300,
    });
    expectError(res, 504, 'REQUEST_TIMEOUT');
    expect(seen).toHaveLength(1);
  });

  it('answers 404 NO_HANDLER when no colleague handles the type, or none is online', async () => {
    for (const type of ['nobody_handles_this', 'nobody_home']) {
      const res = await admin.post(`/mediators/${M}/commands`, {
        sender_id: 'checkout',
        type,
        data: {},
      });
      expectError(res, 404, 'NO_HANDLER');
    }
  });

  it("passes a handler's error on with its code (422)", async () => {
    handle(await online('failing'), () => ({
      ok: false,
      error: { code: 'OUT_OF_STOCK', message: 'sku 42 is sold out' },
    }));
    const res = await admin.post(`/mediators/${M}/commands`, {
      sender_id: 'checkout',
      type: 'fail_please',
      data: {},
    });
    expectError(res, 422, 'OUT_OF_STOCK');
    expect(res.body.message).toBe('sku 42 is sold out');
  });

  it('lets a poll handler answer over REST: POST messages/{message_id}/reply', async () => {
    const poller = api(service.url, colleagueToken(M, 'poller'));
    const pending = admin.post(`/mediators/${M}/commands`, {
      sender_id: 'checkout',
      type: 'by_rest',
      data: { job: 7 },
      timeout_ms: 10_000,
    });
    const request = await eventually(async () => {
      const inbox = await poller.get(`/mediators/${M}/colleagues/poller/messages?status=pending`);
      expect(inbox.body.items).toHaveLength(1);
      return inbox.body.items[0];
    });
    expect(request).toEqual(expect.objectContaining({ kind: 'command', type: 'by_rest' }));

    // only the handler may answer
    const other = api(service.url, colleagueToken(M, 'checkout'));
    expectError(
      await other.post(`/mediators/${M}/messages/${request.id}/reply`, { ok: true, result: 1 }),
      403,
    );
    const reply = await poller.post(`/mediators/${M}/messages/${request.id}/reply`, {
      ok: true,
      result: { done: 7 },
    });
    expect(reply.status).toBe(204);
    expect((await pending).body).toEqual({ reply: { done: 7 } });
    expect((await admin.get(`/mediators/${M}/messages/${request.id}`)).body.status).toBe('acked');

    // a second answer finds no request waiting
    expectError(
      await poller.post(`/mediators/${M}/messages/${request.id}/reply`, { ok: true }),
      409,
      'REQUEST_NOT_PENDING',
    );
    expectError(
      await poller.post(`/mediators/${M}/messages/does-not-exist/reply`, { ok: true }),
      404,
      'MESSAGE_NOT_FOUND',
    );
    expectError(
      await poller.post(`/mediators/${M}/messages/${request.id}/reply`, { ok: false }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers a repeated query from the cache within cache.ttl, without reaching the handler', async () => {
    let price = 10;
    const seen = handle(await online('catalog'), () => ({ ok: true, result: { price: price++ } }));
    const ask = (data: Json) =>
      admin.post(`/mediators/${M}/queries`, { sender_id: 'checkout', type: 'get_price', data });

    const first = await ask({ sku: 42, currency: 'EUR' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ reply: { price: 10 } });
    // same data, keys in another order: the same canonical key
    const second = await ask({ currency: 'EUR', sku: 42 });
    expect(second.body).toEqual({ reply: { price: 10 } });
    expect(seen).toHaveLength(1);

    const other = await ask({ sku: 43, currency: 'EUR' });
    expect(other.body).toEqual({ reply: { price: 11 } });
    expect(seen).toHaveLength(2);

    // after cache.ttl the handler is asked again (real time: the entry expires on the service's
    // clock, which the test cannot move)
    await sleep(CACHE_TTL_MS + 100);
    expect((await ask({ sku: 42, currency: 'EUR' })).body).toEqual({ reply: { price: 12 } });
    expect(seen).toHaveLength(3);
  });

  it('publishes command_completed', async () => {
    const watcher = await connected(service.url, adminToken('watcher'));
    sockets.push(watcher);
    await watcher.timeout(5000).emitWithAck('subscribe', { mediator: M });
    const completed = waitFor<Json>(
      watcher,
      'command_completed',
      (e) => e.data.type === 'create_user',
    );
    await admin.post(`/mediators/${M}/commands`, {
      sender_id: 'checkout',
      type: 'create_user',
      data: { n: 5 },
    });
    expect((await completed).data).toEqual(
      expect.objectContaining({ type: 'create_user', sender_id: 'checkout', kind: 'command' }),
    );
  });
});
