// KINDS.md notification and workflow rows on the embedded default (SQLite): handlers are
// Socket.IO colleagues answering `message` deliveries with the ack callback.
import type { Socket } from 'socket.io-client';
import { type Api, type Json, api, eventually, expectError } from '../support/http';
import { type RunningService, startService, tempDir } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, emitAck, record, waitFor } from '../support/ws';

jest.setTimeout(90_000);

const CONFIG = {
  notifications: {
    backoff: '50ms',
    max_backoff: '200ms',
    attempt_timeout: '5s',
    sweep_interval: '200ms',
  },
  workflows: { retry_count: 1, lease: '2s', step_timeout: '30s', sweep_interval: '250ms' },
};

interface Delivery {
  id: string;
  kind: string;
  type: string;
  payload: Json;
}
type Answer = (
  delivery: Delivery,
) => { ok: true; result: Json } | { ok: false; error: Json } | null;

const sockets: Socket[] = [];
afterEach(() => sockets.splice(0).forEach((s) => s.close()));

async function register(
  admin: Api,
  mediator: string,
  id: string,
  type: string,
  handles: string[],
  metadata: Json = {},
) {
  const res = await admin.post(`/mediators/${mediator}/colleagues`, {
    id,
    name: id,
    type,
    handles,
    metadata,
  });
  expect(res.status).toBe(201);
}

/** A connected handler colleague: records every request it gets and answers with `answer` (null: never). */
async function handler(service: RunningService, mediator: string, id: string, answer: Answer) {
  const socket = await connected(service.url, colleagueToken(mediator, id));
  sockets.push(socket);
  const seen: Delivery[] = [];
  socket.on('message', (delivery: Delivery, ack: (reply: unknown) => void) => {
    seen.push(delivery);
    const reply = answer(delivery);
    if (reply) ack(reply);
  });
  return { socket, seen };
}

async function subscriber(service: RunningService, mediator: string) {
  const socket = await connected(service.url, adminToken());
  sockets.push(socket);
  expect(await emitAck(socket, 'subscribe', { mediator })).toMatchObject({ ok: true });
  return socket;
}

describe('notifications and workflows (SQLite)', () => {
  let service: RunningService;
  let admin: Api;

  beforeAll(async () => {
    service = await startService({ config: CONFIG });
    admin = api(service.url, adminToken());
    expect((await admin.post('/mediators', { name: 'shop' })).status).toBe(201);
    await register(admin, 'shop', 'mailer', 'notification', ['notification.email']);
    await register(admin, 'shop', 'texter', 'notification', ['notification.sms']);
    await register(admin, 'shop', 'steps', 'workflow', [
      'stock.reserve',
      'stock.release',
      'card.charge',
      'card.refund',
      'parcel.ship',
    ]);
  });
  afterAll(() => service?.stop());

  describe('notification', () => {
    it('is stored pending (202), routed to notification.<channel>, then sent and delivered', async () => {
      const mailer = await handler(service, 'shop', 'mailer', () => ({
        ok: true,
        result: 'queued',
      }));
      const events = record<Json>(await subscriber(service, 'shop'), 'notification_delivered');
      const statuses = ['notification_created', 'notification_sent', 'notification_delivered'];
      const watcher = await subscriber(service, 'shop');
      const seenStatuses: string[] = [];
      for (const s of statuses)
        watcher.on(s, (e: Json) => seenStatuses.push(`${e.event}:${e.data.id}`));

      const res = await admin.post('/mediators/shop/notifications', {
        type: 'welcome',
        content: { subject: 'Hi Ada' },
        recipient_id: 'ada',
        channel: 'email',
      });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        status: 'pending',
        attempts: 0,
        channel: 'email',
        recipient_id: 'ada',
      });
      const id = res.body.id as string;

      const done = await eventually(async () => {
        const got = await admin.get(`/mediators/shop/notifications/${id}`);
        expect(got.body.status).toBe('delivered');
        return got.body;
      });
      expect(done).toMatchObject({ attempts: 1, last_error: null, content: { subject: 'Hi Ada' } });
      expect(mailer.seen).toHaveLength(1);
      expect(mailer.seen[0]).toMatchObject({
        kind: 'notification',
        type: 'notification.email',
        payload: { id, type: 'welcome', recipient_id: 'ada', channel: 'email', attempt: 1 },
      });
      await eventually(async () => expect(events.map((e) => e.data.id)).toContain(id));
      expect(seenStatuses).toEqual(statuses.map((s) => `${s}:${id}`));
    });

    it('is retried retry_count times when the handler answers an error, then failed', async () => {
      const texter = await handler(service, 'shop', 'texter', () => ({
        ok: false,
        error: { code: 'SMS_GATEWAY_DOWN', message: 'gateway down' },
      }));
      const res = await admin.post('/mediators/shop/notifications', {
        type: 'otp',
        content: 'code 1234',
        recipient_id: 'bob',
        channel: 'sms',
        retry_count: 2,
      });
      expect(res.status).toBe(202);
      const failed = await eventually(async () => {
        const got = await admin.get(`/mediators/shop/notifications/${res.body.id}`);
        expect(got.body.status).toBe('failed');
        return got.body;
      });
      expect(failed.attempts).toBe(3);
      expect(failed.last_error).toContain('gateway down');
      expect(texter.seen.map((d) => d.payload.attempt)).toEqual([1, 2, 3]);
    });

    it('rejects bad input and unknown ids with the error body', async () => {
      const base = { type: 't', content: 1, recipient_id: 'x', channel: 'email' };
      expectError(
        await admin.post('/mediators/shop/notifications', { ...base, channel: 'pigeon' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await admin.post('/mediators/shop/notifications', { ...base, extra: 1 }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await admin.post('/mediators/nowhere/notifications', base),
        404,
        'MEDIATOR_NOT_FOUND',
      );
      expectError(
        await admin.get('/mediators/shop/notifications/nope'),
        404,
        'NOTIFICATION_NOT_FOUND',
      );
    });
  });

  describe('workflow', () => {
    it('runs the steps in order, each by the handler of its type, and emits status events', async () => {
      const steps = await handler(service, 'shop', 'steps', (d) => ({
        ok: true,
        result: { done: d.payload.step, saw: Object.keys(d.payload.results) },
      }));
      const watcher = await subscriber(service, 'shop');
      const stepEvents = record<Json>(watcher, 'workflow_step_completed');
      const res = await admin.post('/mediators/shop/workflows', {
        name: 'checkout',
        steps: [
          { name: 'reserve', type: 'stock.reserve', compensate: 'stock.release' },
          { name: 'charge', type: 'card.charge', compensate: 'card.refund' },
          { name: 'ship', type: 'parcel.ship' },
        ],
        data: { order_id: 42 },
      });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ name: 'checkout', current_step: 0, data: { order_id: 42 } });
      const id = res.body.id as string;
      const completed = await waitFor<Json>(
        watcher,
        'workflow_completed',
        (e) => e.data.id === id,
        15_000,
      );
      expect(completed.data).toMatchObject({ status: 'completed', current_step: 3 });

      const got = (await admin.get(`/mediators/shop/workflows/${id}`)).body;
      expect(got).toMatchObject({ status: 'completed', current_step: 3, compensated: [] });
      expect(got.results).toEqual({
        reserve: { done: 'reserve', saw: [] },
        charge: { done: 'charge', saw: ['reserve'] },
        ship: { done: 'ship', saw: ['reserve', 'charge'] },
      });
      const mine = steps.seen.filter((d) => d.payload.workflow_id === id);
      expect(mine.map((d) => `${d.kind}:${d.type}`)).toEqual([
        'workflow:stock.reserve',
        'workflow:card.charge',
        'workflow:parcel.ship',
      ]);
      await eventually(async () =>
        expect(stepEvents.filter((e) => e.data.id === id).map((e) => e.data.step)).toEqual([
          'reserve',
          'charge',
          'ship',
        ]),
      );
    });

    it('retries a failing step, then compensates the completed steps in reverse order', async () => {
      const steps = await handler(service, 'shop', 'steps', (d) =>
        d.type === 'parcel.ship'
          ? { ok: false, error: { code: 'NO_COURIER', message: 'no courier today' } }
          : { ok: true, result: d.type },
      );
      const watcher = await subscriber(service, 'shop');
      const res = await admin.post('/mediators/shop/workflows', {
        name: 'checkout',
        steps: [
          { name: 'reserve', type: 'stock.reserve', compensate: 'stock.release' },
          { name: 'charge', type: 'card.charge', compensate: 'card.refund' },
          { name: 'ship', type: 'parcel.ship', compensate: 'parcel.recall' },
        ],
        retry_count: 1,
      });
      const id = res.body.id as string;
      const failed = await waitFor<Json>(
        watcher,
        'workflow_failed',
        (e) => e.data.id === id,
        15_000,
      );
      expect(failed.data).toMatchObject({ status: 'failed', compensated: ['charge', 'reserve'] });

      expect(steps.seen.filter((d) => d.payload.workflow_id === id).map((d) => d.type)).toEqual([
        'stock.reserve',
        'card.charge',
        'parcel.ship',
        'parcel.ship',
        'card.refund',
        'stock.release',
      ]);
      const got = (await admin.get(`/mediators/shop/workflows/${id}`)).body;
      expect(got).toMatchObject({
        status: 'failed',
        current_step: 2,
        compensated: ['charge', 'reserve'],
      });
      expect(got.error).toContain('no courier today');
    });

    it('cancels a running workflow before its next step; a finished one is 409', async () => {
      // Nobody answers: the first step waits, the cancel wins, and no later step runs.
      const steps = await handler(service, 'shop', 'steps', () => null);
      const res = await admin.post('/mediators/shop/workflows', {
        name: 'slow',
        steps: [
          { name: 'reserve', type: 'stock.reserve' },
          { name: 'charge', type: 'card.charge' },
        ],
      });
      const id = res.body.id as string;
      await eventually(async () =>
        expect(steps.seen.some((d) => d.payload.workflow_id === id)).toBe(true),
      );
      const cancelled = await admin.post(`/mediators/shop/workflows/${id}/cancel`, {});
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expectError(
        await admin.post(`/mediators/shop/workflows/${id}/cancel`, {}),
        409,
        'INVALID_STATE',
      );
      expectError(await admin.get('/mediators/shop/workflows/nope'), 404, 'WORKFLOW_NOT_FOUND');
      expectError(
        await admin.post('/mediators/shop/workflows', { name: 'x', steps: [{ name: 'a' }] }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });
});

describe('workflow kill test (SIGKILL mid-workflow, restart on the same SQLite file)', () => {
  it('resumes after a restart without running the completed step again', async () => {
    const sqlitePath = `${tempDir()}/mediator.sqlite`;
    let service = await startService({ config: CONFIG, sqlitePath });
    const admin = () => api(service.url, adminToken());
    expect((await admin().post('/mediators', { name: 'shop' })).status).toBe(201);
    // A poll handler: while it is not connected, its requests wait in its inbox (pushed when it
    // connects), so the resumed step waits for it instead of failing with NO_HANDLER.
    await register(admin(), 'shop', 'steps', 'workflow', ['stock.reserve', 'card.charge'], {
      delivery: 'poll',
    });

    // Before the kill the handler does step 1 and never answers step 2.
    const before = await handler(service, 'shop', 'steps', (d) =>
      d.type === 'stock.reserve' ? { ok: true, result: 'reserved' } : null,
    );
    const res = await admin().post('/mediators/shop/workflows', {
      name: 'checkout',
      steps: [
        { name: 'reserve', type: 'stock.reserve' },
        { name: 'charge', type: 'card.charge' },
      ],
    });
    const id = res.body.id as string;
    await eventually(
      async () => expect(before.seen.map((d) => d.type)).toContain('card.charge'),
      15_000,
    );
    const killed = await service.kill();
    expect(killed.signal).toBe('SIGKILL');
    before.socket.close();

    service = await startService({ config: CONFIG, sqlitePath });
    try {
      const stored = (await admin().get(`/mediators/shop/workflows/${id}`)).body;
      expect(stored).toMatchObject({
        status: 'running',
        current_step: 1,
        results: { reserve: 'reserved' },
      });
      const after = await handler(service, 'shop', 'steps', (d) => ({
        ok: true,
        result: `${d.type} done`,
      }));
      const done = await eventually(async () => {
        const got = (await admin().get(`/mediators/shop/workflows/${id}`)).body;
        expect(got.status).toBe('completed');
        return got;
      }, 20_000);
      expect(done.results).toEqual({ reserve: 'reserved', charge: 'card.charge done' });
      const reserveRequests = new Set(
        [...before.seen, ...after.seen].filter((d) => d.type === 'stock.reserve').map((d) => d.id),
      );
      expect(reserveRequests.size).toBe(1);
      expect(after.seen.filter((d) => d.type === 'card.charge').length).toBeGreaterThanOrEqual(1);
    } finally {
      await service.stop();
    }
  });
});

describe('notification kill test (SIGKILL during an attempt, restart on the same SQLite file)', () => {
  it('resumes the unfinished notification at start-up and delivers it', async () => {
    const sqlitePath = `${tempDir()}/mediator.sqlite`;
    const config = { ...CONFIG, notifications: { ...CONFIG.notifications, attempt_timeout: '2s' } };
    let service = await startService({ config, sqlitePath });
    const admin = () => api(service.url, adminToken());
    expect((await admin().post('/mediators', { name: 'shop' })).status).toBe(201);
    await register(admin(), 'shop', 'pager', 'notification', ['notification.in_app']);

    // The handler takes the first attempt and never answers it: the process dies meanwhile.
    const before = await handler(service, 'shop', 'pager', () => null);
    const res = await admin().post('/mediators/shop/notifications', {
      type: 'alert',
      content: 'disk full',
      recipient_id: 'ops',
      channel: 'in_app',
      retry_count: 0,
    });
    const id = res.body.id as string;
    await eventually(async () => expect(before.seen).toHaveLength(1));
    expect((await service.kill()).signal).toBe('SIGKILL');
    before.socket.close();

    service = await startService({ config, sqlitePath });
    try {
      const stored = (await admin().get(`/mediators/shop/notifications/${id}`)).body;
      expect(stored).toMatchObject({ status: 'sent', attempts: 1 });
      const after = await handler(service, 'shop', 'pager', () => ({ ok: true, result: 'shown' }));
      const delivered = await eventually(async () => {
        const got = (await admin().get(`/mediators/shop/notifications/${id}`)).body;
        expect(got.status).toBe('delivered');
        return got;
      }, 20_000);
      expect(delivered.attempts).toBe(2);
      expect(after.seen.some((d) => d.payload.id === id && d.payload.attempt === 2)).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
