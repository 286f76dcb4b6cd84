// CONTRACT §4 Messages: send, broadcast, idempotency, inbox, message status, ack.
import { type Api, api, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';

const ENVELOPE_FIELDS = [
  'id',
  'mediator',
  'kind',
  'type',
  'sender_id',
  'recipient_id',
  'payload',
  'headers',
  'correlation_id',
  'created_at',
  'status',
].sort();

jest.setTimeout(60_000);

let service: RunningService;
let admin: Api;

async function colleague(mediator: string, id: string, extra: Record<string, unknown> = {}) {
  const res = await admin.post(`/mediators/${mediator}/colleagues`, {
    id,
    name: id,
    type: 'message',
    ...extra,
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'shop' })).status).toBe(201);
  for (const id of ['alice', 'bob', 'carol', 'dave', 'idle']) await colleague('shop', id);
  expect((await admin.patch('/mediators/shop/colleagues/idle', { active: false })).status).toBe(
    200,
  );
});
afterAll(() => service?.stop());

describe('POST /mediators/{name}/messages', () => {
  it('answers 202 with the envelope', async () => {
    const res = await admin.post('/mediators/shop/messages', {
      sender_id: 'alice',
      recipient_id: 'bob',
      message: { order_id: 42, amount: 19.99 },
      type: 'charge_card',
      headers: { trace_id: 'abc123' },
    });
    expect(res.status).toBe(202);
    expect(Object.keys(res.body).sort()).toEqual(ENVELOPE_FIELDS);
    expect(res.body).toMatchObject({
      mediator: 'shop',
      kind: 'message',
      type: 'charge_card',
      sender_id: 'alice',
      recipient_id: 'bob',
      payload: { order_id: 42, amount: 19.99 },
      headers: { trace_id: 'abc123' },
      status: 'pending',
    });
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  it('takes a plain string (any JSON value) as the message', async () => {
    const res = await admin.post('/mediators/shop/messages', {
      sender_id: 'alice',
      recipient_id: 'carol',
      message: 'hello carol',
    });
    expect(res.status).toBe(202);
    expect(res.body.payload).toBe('hello carol');
    const got = await admin.get(`/mediators/shop/messages/${res.body.id}`);
    expect(got.body.payload).toBe('hello carol');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing message', { sender_id: 'alice', recipient_id: 'bob' }, 'message'],
    [
      'an unknown field',
      { sender_id: 'alice', recipient_id: 'bob', message: 1, priority: 'high' },
      'priority',
    ],
    ['a missing sender', { recipient_id: 'bob', message: 'x' }, 'sender_id'],
    [
      'an unknown kind',
      { sender_id: 'alice', recipient_id: 'bob', message: 'x', kind: 'telegram' },
      'kind',
    ],
    [
      'headers that are not strings',
      { sender_id: 'alice', recipient_id: 'bob', message: 'x', headers: { n: 1 } },
      'headers.n',
    ],
  ])('rejects %s with 400', async (_what, body, field) => {
    const res = await admin.post('/mediators/shop/messages', body);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 for an unknown mediator, sender or recipient', async () => {
    expectError(
      await admin.post('/mediators/ghost/messages', {
        sender_id: 'alice',
        recipient_id: 'bob',
        message: 'x',
      }),
      404,
      'MEDIATOR_NOT_FOUND',
    );
    expectError(
      await admin.post('/mediators/shop/messages', {
        sender_id: 'nobody',
        recipient_id: 'bob',
        message: 'x',
      }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expectError(
      await admin.post('/mediators/shop/messages', {
        sender_id: 'alice',
        recipient_id: 'nobody',
        message: 'x',
      }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
  });

  it('answers 409 COLLEAGUE_INACTIVE when the recipient or the sender is inactive', async () => {
    expectError(
      await admin.post('/mediators/shop/messages', {
        sender_id: 'alice',
        recipient_id: 'idle',
        message: 'x',
      }),
      409,
      'COLLEAGUE_INACTIVE',
    );
    expectError(
      await admin.post('/mediators/shop/messages', {
        sender_id: 'idle',
        recipient_id: 'alice',
        message: 'x',
      }),
      409,
      'COLLEAGUE_INACTIVE',
    );
  });

  it('returns the first envelope for a repeated idempotency_key and stores it once', async () => {
    const body = {
      sender_id: 'alice',
      recipient_id: 'dave',
      message: { n: 1 },
      idempotency_key: 'order-42-charge',
    };
    const first = await admin.post('/mediators/shop/messages', body);
    const second = await admin.post('/mediators/shop/messages', { ...body, message: { n: 2 } });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.payload).toEqual({ n: 1 });
    const inbox = await admin.get('/mediators/shop/colleagues/dave/messages');
    expect(inbox.body.items.filter((e: { id: string }) => e.id === first.body.id)).toHaveLength(1);
    expect(inbox.body.items).toHaveLength(1);
  });
});

describe('POST /mediators/{name}/broadcast', () => {
  it('reaches every active colleague except the sender', async () => {
    const res = await admin.post('/mediators/shop/broadcast', {
      sender_id: 'carol',
      message: 'closing at 22:00',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      sender_id: 'carol',
      recipient_id: null,
      payload: 'closing at 22:00',
      recipients: 3,
    });
    const got = await admin.get(`/mediators/shop/messages/${res.body.id}`);
    expect(got.body.recipients.map((r: { recipient_id: string }) => r.recipient_id).sort()).toEqual(
      ['alice', 'bob', 'dave'],
    );
    const idleInbox = await admin.get('/mediators/shop/colleagues/idle/messages');
    expect(idleInbox.body.items).toHaveLength(0);
    const carolInbox = await admin.get('/mediators/shop/colleagues/carol/messages');
    expect(carolInbox.body.items.map((e: { id: string }) => e.id)).not.toContain(res.body.id);
  });

  it('answers 400 and 404 for bad input', async () => {
    expectError(
      await admin.post('/mediators/shop/broadcast', { sender_id: 'carol' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.post('/mediators/shop/broadcast', {
        sender_id: 'carol',
        message: 1,
        recipient_id: 'bob',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await admin.post('/mediators/shop/broadcast', { sender_id: 'nobody', message: 1 }),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expectError(
      await admin.post('/mediators/ghost/broadcast', { sender_id: 'carol', message: 1 }),
      404,
      'MEDIATOR_NOT_FOUND',
    );
  });
});

describe('inbox, message status and ack', () => {
  const sent: string[] = [];

  beforeAll(async () => {
    await colleague('shop', 'erin');
    for (let i = 0; i < 5; i++) {
      const res = await admin.post('/mediators/shop/messages', {
        sender_id: 'alice',
        recipient_id: 'erin',
        message: { i },
      });
      expect(res.status).toBe(202);
      sent.push(res.body.id);
    }
  });

  it('lists the inbox oldest first, in pages', async () => {
    const first = await admin.get('/mediators/shop/colleagues/erin/messages?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { id: string }) => e.id)).toEqual(sent.slice(0, 2));
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await admin.get(
      `/mediators/shop/colleagues/erin/messages?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`,
    );
    expect(second.body.items.map((e: { id: string }) => e.id)).toEqual(sent.slice(2, 4));
    const third = await admin.get(
      `/mediators/shop/colleagues/erin/messages?limit=2&cursor=${encodeURIComponent(second.body.next_cursor)}`,
    );
    expect(third.body.items.map((e: { id: string }) => e.id)).toEqual(sent.slice(4));
    expect(third.body.next_cursor).toBeNull();
    for (const e of first.body.items) expect(Object.keys(e).sort()).toEqual(ENVELOPE_FIELDS);
  });

  it('acks with 204; the message then shows acked for that recipient', async () => {
    const res = await admin.post(`/mediators/shop/colleagues/erin/messages/${sent[0]}/ack`);
    expect(res.status).toBe(204);
    const got = await admin.get(`/mediators/shop/messages/${sent[0]}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: sent[0], sender_id: 'alice', recipient_id: 'erin' });
    expect(got.body.recipients).toEqual([
      expect.objectContaining({
        recipient_id: 'erin',
        status: 'acked',
        acked_at: expect.any(String),
      }),
    ]);
    expect(Object.keys(got.body.recipients[0]).sort()).toEqual([
      'acked_at',
      'delivered_at',
      'recipient_id',
      'status',
    ]);
    const other = await admin.get(`/mediators/shop/messages/${sent[1]}`);
    expect(other.body.recipients).toEqual([
      expect.objectContaining({ recipient_id: 'erin', status: 'pending', acked_at: null }),
    ]);
  });

  it('filters the inbox by ?status', async () => {
    const acked = await admin.get('/mediators/shop/colleagues/erin/messages?status=acked');
    expect(acked.body.items.map((e: { id: string }) => e.id)).toEqual([sent[0]]);
    expect(acked.body.items[0].status).toBe('acked');
    const pending = await admin.get('/mediators/shop/colleagues/erin/messages?status=pending');
    expect(pending.body.items.map((e: { id: string }) => e.id)).toEqual(sent.slice(1));
    expect(
      (await admin.get('/mediators/shop/colleagues/erin/messages?status=delivered')).body.items,
    ).toEqual([]);
    expectError(
      await admin.get('/mediators/shop/colleagues/erin/messages?status=lost'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers 404 for unknown messages, colleagues and mediators', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    expectError(await admin.get(`/mediators/shop/messages/${unknown}`), 404, 'MESSAGE_NOT_FOUND');
    expectError(
      await admin.post(`/mediators/shop/colleagues/erin/messages/${unknown}/ack`),
      404,
      'MESSAGE_NOT_FOUND',
    );
    // A message that exists but is not in this colleague's inbox.
    expectError(
      await admin.post(`/mediators/shop/colleagues/bob/messages/${sent[1]}/ack`),
      404,
      'MESSAGE_NOT_FOUND',
    );
    expectError(
      await admin.get('/mediators/shop/colleagues/nobody/messages'),
      404,
      'COLLEAGUE_NOT_FOUND',
    );
    expectError(
      await admin.get('/mediators/ghost/colleagues/erin/messages'),
      404,
      'MEDIATOR_NOT_FOUND',
    );
    expectError(await admin.get(`/mediators/ghost/messages/${sent[1]}`), 404, 'MEDIATOR_NOT_FOUND');
  });
});
