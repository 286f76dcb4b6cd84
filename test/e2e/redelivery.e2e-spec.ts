// Acks mean acks (issue 9): a refused delivery (`{ ok: false }`) or one never acknowledged is
// delivered again with backoff, up to retry_count retries, then it is `dead` (inbox filter, the
// message_dead event, a metric) until POST …/messages/{id}/redeliver puts it back.
import type { Socket } from 'socket.io-client';
import { type Api, type Json, api, eventually, expectError, request } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, emitAck, sleep, waitFor } from '../support/ws';

jest.setTimeout(60_000);

const M = 'retries';
const RETRY_COUNT = 2;
const ACK_TIMEOUT_MS = 1000;
const SWEEP_INTERVAL_MS = 100;
const MAX_BACKOFF_MS = 200;

let service: RunningService;
let admin: Api;
const sockets: Socket[] = [];

type Answer = (delivery: Json) => unknown;

/** A colleague's socket that answers every delivery with `answer` and records what it got. */
async function colleague(id: string, answer: Answer): Promise<{ socket: Socket; got: string[] }> {
  const socket = await connected(service.url, colleagueToken(M, id));
  sockets.push(socket);
  const got: string[] = [];
  await presence(id, true);
  socket.on('message', (delivery: Json, ack?: (reply: unknown) => void) => {
    got.push(delivery.id);
    const reply = answer(delivery);
    if (reply !== undefined) ack?.(reply);
  });
  return { socket, got };
}

const refuse: Answer = () => ({ ok: false, error: { code: 'PRINTER_JAMMED', message: 'jammed' } });
const times = (got: string[], id: string) => got.filter((g) => g === id).length;

async function send(to: string, message: unknown = 'hello'): Promise<string> {
  const res = await admin.post(`/mediators/${M}/messages`, {
    sender_id: 'sender',
    recipient_id: to,
    message,
  });
  expect(res.status).toBe(202);
  return res.body.id;
}

/** Waits until presence (any instance) shows the colleague online or offline. */
async function presence(id: string, online: boolean): Promise<void> {
  await eventually(async () =>
    expect((await admin.get(`/mediators/${M}/colleagues/${id}`)).body.online).toBe(online),
  );
}

async function statusOf(id: string, recipient: string): Promise<string> {
  const res = await admin.get(`/mediators/${M}/messages/${id}`);
  return res.body.recipients.find((r: Json) => r.recipient_id === recipient).status;
}

beforeAll(async () => {
  service = await startService({
    config: {
      retry_count: RETRY_COUNT,
      messaging: {
        ack_timeout: `${ACK_TIMEOUT_MS}ms`,
        backoff: '100ms',
        max_backoff: `${MAX_BACKOFF_MS}ms`,
        sweep_interval: `${SWEEP_INTERVAL_MS}ms`,
      },
    },
  });
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: M })).status).toBe(201);
  for (const id of ['sender', 'refuser', 'silent', 'flaky', 'late', 'other'])
    expect(
      (await admin.post(`/mediators/${M}/colleagues`, { id, name: id, type: 'message' })).status,
    ).toBe(201);
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});
afterAll(() => service?.stop());

describe('a refused delivery (ok: false)', () => {
  it('is delivered again, then dead after retry_count retries, with message_dead', async () => {
    const watcher = await connected(service.url, adminToken());
    sockets.push(watcher);
    expect(await emitAck(watcher, 'subscribe', { mediator: M })).toMatchObject({ ok: true });
    const { got } = await colleague('refuser', refuse);
    const id = await send('refuser');
    const dead = waitFor(watcher, 'message_dead', (e: Json) => e.data.message_id === id, 10_000);

    expect(await dead).toMatchObject({
      event: 'message_dead',
      mediator: M,
      data: {
        message_id: id,
        recipient_id: 'refuser',
        sender_id: 'sender',
        attempts: RETRY_COUNT + 1,
        error: 'PRINTER_JAMMED: jammed',
      },
    });
    await eventually(async () => expect(await statusOf(id, 'refuser')).toBe('dead'));
    expect(times(got, id)).toBe(RETRY_COUNT + 1);
    // Dead stays dead: nothing more is pushed. A fixed wait: only the sweep (every 100 ms, after
    // a backoff of at most 200 ms) would push it again, on its own timer, so nothing the test can
    // do is ordered after a sweep pass. ack_timeout (1 s) is not shortened: every ack of this
    // file must land within it even on a loaded machine.
    await sleep(500);
    expect(times(got, id)).toBe(RETRY_COUNT + 1);

    const inbox = await admin.get(`/mediators/${M}/colleagues/refuser/messages?status=dead`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((e: Json) => [e.id, e.status])).toContainEqual([id, 'dead']);
    const pending = await admin.get(`/mediators/${M}/colleagues/refuser/messages?status=pending`);
    expect(pending.body.items.map((e: Json) => e.id)).not.toContain(id);

    const metrics = await request(`${service.metricsUrl}/metrics`, 'GET');
    expect(metrics.text).toMatch(/mediator_messages_dead_total\{kind="message"\} [1-9]/);
    expect(metrics.text).toMatch(
      /mediator_delivery_failures_total\{kind="message",reason="refused"\} [3-9]/,
    );
  });

  it('a refusal then an ack ends acked, delivered exactly twice', async () => {
    let first = true;
    let lastPushAt = 0;
    const { got } = await colleague('flaky', () => {
      const reply = first ? { ok: false, error: { code: 'BUSY', message: 'busy' } } : { ok: true };
      first = false;
      lastPushAt = Date.now();
      return reply;
    });
    const id = await send('flaky');
    await eventually(async () => expect(await statusOf(id, 'flaky')).toBe('acked'));
    // Real time: a push whose ack were lost would be found overdue by a sweep after its deadline
    // (set before the push arrived), retried after the backoff, by a later sweep. Wait past all
    // that, counted from the last push: an acked delivery is never pushed again.
    await sleep(lastPushAt + ACK_TIMEOUT_MS + MAX_BACKOFF_MS + 3 * SWEEP_INTERVAL_MS - Date.now());
    expect(times(got, id)).toBe(2);
  });
});

describe('a delivery never acknowledged', () => {
  it('is delivered again after the ack timeout while its colleague stays connected', async () => {
    let answered = 0;
    const { got } = await colleague('late', () => (answered++ === 0 ? undefined : { ok: true }));
    const id = await send('late');
    await eventually(async () => expect(await statusOf(id, 'late')).toBe('acked'), 10_000);
    expect(times(got, id)).toBe(2);
  });

  it('is dead after retry_count retries when it is never answered', async () => {
    const { got } = await colleague('silent', () => undefined);
    const id = await send('silent');
    await eventually(async () => expect(await statusOf(id, 'silent')).toBe('dead'), 15_000);
    expect(times(got, id)).toBe(RETRY_COUNT + 1);
  });
});

describe('POST /mediators/{name}/messages/{id}/redeliver', () => {
  async function deadMessage(): Promise<string> {
    const { socket } = await colleague('refuser', refuse);
    const id = await send('refuser');
    await eventually(async () => expect(await statusOf(id, 'refuser')).toBe('dead'), 10_000);
    socket.close();
    await presence('refuser', false);
    return id;
  }

  it('puts a dead delivery back and pushes it; the recipient acks it this time', async () => {
    const id = await deadMessage();
    const { got } = await colleague('refuser', () => ({ ok: true }));
    const res = await admin.post(`/mediators/${M}/messages/${id}/redeliver`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, mediator: M });
    expect(['pending', 'delivered', 'acked']).toContain(res.body.recipients[0].status);
    await eventually(async () => expect(await statusOf(id, 'refuser')).toBe('acked'));
    expect(times(got, id)).toBe(1);
  });

  it('a colleague-bound token redelivers its own deliveries, no one else’s', async () => {
    const id = await deadMessage();
    const own = api(service.url, colleagueToken(M, 'refuser'));
    const other = api(service.url, colleagueToken(M, 'other'));
    expectError(
      await other.post(`/mediators/${M}/messages/${id}/redeliver`, { recipient_id: 'refuser' }),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    // Without recipient_id a bound token means its own delivery: 'other' has none here.
    expectError(await other.post(`/mediators/${M}/messages/${id}/redeliver`, {}), 404);
    const res = await own.post(`/mediators/${M}/messages/${id}/redeliver`, {});
    expect(res.status).toBe(200);
    // Offline: pending, delivered on its next connect.
    expect(await statusOf(id, 'refuser')).toBe('pending');
    const { got } = await colleague('refuser', () => ({ ok: true }));
    await eventually(async () => expect(await statusOf(id, 'refuser')).toBe('acked'));
    expect(times(got, id)).toBe(1);
  });

  it('answers 409 INVALID_STATE for an acked message and 404 for an unknown one', async () => {
    await colleague('other', () => ({ ok: true }));
    const id = await send('other');
    await eventually(async () => expect(await statusOf(id, 'other')).toBe('acked'));
    expectError(
      await admin.post(`/mediators/${M}/messages/${id}/redeliver`, {}),
      409,
      'INVALID_STATE',
    );
    expectError(
      await admin.post(
        `/mediators/${M}/messages/00000000-0000-7000-8000-000000000000/redeliver`,
        {},
      ),
      404,
      'MESSAGE_NOT_FOUND',
    );
    expectError(
      await admin.post(`/mediators/${M}/messages/${id}/redeliver`, { recipient_id: 'silent' }),
      404,
      'MESSAGE_NOT_FOUND',
    );
  });

  it('needs messages:send', async () => {
    const reader = api(service.url, colleagueToken(M, 'refuser', 'messages:read'));
    const id = await send('refuser');
    expectError(
      await reader.post(`/mediators/${M}/messages/${id}/redeliver`, {}),
      403,
      'INSUFFICIENT_SCOPE',
    );
  });
});
