// DESIGN rule 1: a restart loses nothing that was acknowledged (same SQLITE_PATH).
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { api, eventually, expectError } from '../support/http';
import { type RunningService, startService, tempDir } from '../support/service';
import { adminToken } from '../support/tokens';

jest.setTimeout(90_000);

const dir = tempDir();
const sqlitePath = join(dir, 'mediator.sqlite');
let service: RunningService | undefined;
const before: { messageId?: string; ackedId?: string; mediator?: unknown; colleague?: unknown } =
  {};

beforeAll(async () => {
  service = await startService({ sqlitePath });
  const admin = api(service.url, adminToken('restart-admin'));
  const created = await admin.post('/mediators', {
    name: 'durable',
    description: 'survives',
    max_colleagues: 5,
  });
  expect(created.status).toBe(201);
  for (const id of ['a', 'b']) {
    expect(
      (
        await admin.post('/mediators/durable/colleagues', {
          id,
          name: id,
          type: 'task',
          metadata: { id },
        })
      ).status,
    ).toBe(201);
  }
  const pending = await admin.post('/mediators/durable/messages', {
    sender_id: 'a',
    recipient_id: 'b',
    message: { keep: true },
    idempotency_key: 'k-1',
  });
  const acked = await admin.post('/mediators/durable/messages', {
    sender_id: 'a',
    recipient_id: 'b',
    message: 'ack me',
  });
  expect(
    (await admin.post(`/mediators/durable/colleagues/b/messages/${acked.body.id}/ack`)).status,
  ).toBe(204);
  before.messageId = pending.body.id;
  before.ackedId = acked.body.id;
  before.mediator = (await admin.get('/mediators/durable')).body;
  before.colleague = (await admin.get('/mediators/durable/colleagues/a')).body;

  // The last change goes straight before SIGTERM: its audit entry must still be flushed.
  expect((await admin.post('/mediators', { name: 'last-words' })).status).toBe(201);
  const stopped = await service.stop();
  expect(stopped.code).toBe(0);
  service = await startService({ sqlitePath });
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps mediators and colleagues', async () => {
  const admin = api(service!.url, adminToken('restart-admin'));
  expect((await admin.get('/mediators/durable')).body).toEqual(before.mediator);
  expect((await admin.get('/mediators/durable/colleagues/a')).body).toEqual(before.colleague);
  expect(
    (await admin.get('/mediators/durable/colleagues')).body.items.map((c: { id: string }) => c.id),
  ).toEqual(['a', 'b']);
});

it('keeps messages, their status and the inbox', async () => {
  const admin = api(service!.url, adminToken('restart-admin'));
  const pending = await admin.get(`/mediators/durable/colleagues/b/messages?status=pending`);
  expect(pending.body.items.map((e: { id: string }) => e.id)).toEqual([before.messageId]);
  expect(pending.body.items[0].payload).toEqual({ keep: true });
  const acked = await admin.get(`/mediators/durable/messages/${before.ackedId}`);
  expect(acked.body.recipients).toEqual([
    expect.objectContaining({ recipient_id: 'b', status: 'acked' }),
  ]);
});

it('keeps idempotency keys', async () => {
  const admin = api(service!.url, adminToken('restart-admin'));
  const repeat = await admin.post('/mediators/durable/messages', {
    sender_id: 'a',
    recipient_id: 'b',
    message: { keep: false },
    idempotency_key: 'k-1',
  });
  expect(repeat.status).toBe(202);
  expect(repeat.body.id).toBe(before.messageId);
});

it('keeps the audit trail', async () => {
  const admin = api(service!.url, adminToken('restart-admin'));
  const res = await admin.get('/audit?actor=restart-admin&mediator=durable');
  const actions = res.body.items.map((e: { action: string }) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining([
      'create_mediator',
      'register_colleague',
      'send_message',
      'ack_message',
    ]),
  );
  const last = await admin.get('/audit?mediator=last-words');
  expect(last.body.items).toEqual([
    expect.objectContaining({ action: 'create_mediator', outcome: 'ok', actor: 'restart-admin' }),
  ]);
});

it('still enforces uniqueness on the restored data', async () => {
  const admin = api(service!.url, adminToken('restart-admin'));
  expectError(await admin.post('/mediators', { name: 'durable' }), 409, 'MEDIATOR_EXISTS');
  expectError(
    await admin.post('/mediators/durable/colleagues', { id: 'a', name: 'a', type: 'task' }),
    409,
    'COLLEAGUE_EXISTS',
  );
});

describe('SIGKILL during a send load (same SQLite file)', () => {
  const path = join(tempDir(), 'killed.sqlite');
  let loaded: RunningService | undefined;
  const admin = () => api(loaded!.url, adminToken('kill-admin'));
  afterAll(() => loaded?.stop());

  it('loses no message that was answered 202', async () => {
    loaded = await startService({ sqlitePath: path });
    expect((await admin().post('/mediators', { name: 'loaded' })).status).toBe(201);
    for (const id of ['s', 'r'])
      expect(
        (await admin().post('/mediators/loaded/colleagues', { id, name: id, type: 'message' }))
          .status,
      ).toBe(201);

    // Twenty senders back to back: commits carry many messages when the process dies.
    const accepted: string[] = [];
    let stopped = false;
    const sender = async () => {
      while (!stopped) {
        const res = await admin()
          .post('/mediators/loaded/messages', { sender_id: 's', recipient_id: 'r', message: 1 })
          .catch(() => null);
        if (res?.status === 202) accepted.push(res.body.id as string);
      }
    };
    const senders = Array.from({ length: 20 }, sender);
    await eventually(async () => expect(accepted.length).toBeGreaterThan(300), 30_000);
    expect((await loaded.kill()).signal).toBe('SIGKILL');
    stopped = true;
    await Promise.all(senders);

    loaded = await startService({ sqlitePath: path });
    const missing: string[] = [];
    for (const id of accepted)
      if ((await admin().get(`/mediators/loaded/messages/${id}`)).status !== 200) missing.push(id);
    expect(missing).toEqual([]);
  });
});
