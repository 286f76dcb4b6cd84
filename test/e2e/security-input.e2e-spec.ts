// Issue 14, items 8, 9 and 13: hostile JSON (deep nesting, keys named like Object.prototype
// members, null) on REST and Socket.IO, and an OpenAPI document that declares the validator's limits.
import type { Socket } from 'socket.io-client';
import { type Api, api, eventually, type Json } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected, emitAck, record } from '../support/ws';

jest.setTimeout(60_000);

/** Keys that plain objects inherit from Object.prototype: data, not methods, in a payload. */
const PROTOTYPE_NAMED = { constructor: 1, toString: 'x', valueOf: [1], hasOwnProperty: null };
const PROTOTYPE_NAMED_HEADERS = { constructor: '1', toString: 'x', valueOf: 'y' };

/** `levels` arrays nested in each other around a 1: `[[1]]` is 2 levels. */
function nested(levels: number): string {
  return '['.repeat(levels) + '1' + ']'.repeat(levels);
}

let service: RunningService;
let admin: Api;
const sockets: Socket[] = [];

async function open(bearer: string): Promise<Socket> {
  const socket = await connected(service.url, bearer);
  sockets.push(socket);
  return socket;
}

function sendRaw(json: string) {
  return admin.raw('POST', '/api/v1/mediators/safe/messages', {
    body: json,
    headers: { 'content-type': 'application/json' },
  });
}

async function inboxOf(colleague: string): Promise<Json[]> {
  const res = await admin.get(`/mediators/safe/colleagues/${colleague}/messages?limit=500`);
  expect(res.status).toBe(200);
  return res.body.items;
}

beforeAll(async () => {
  service = await startService();
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'safe' })).status).toBe(201);
  for (const id of ['alice', 'bob']) {
    const res = await admin.post('/mediators/safe/colleagues', { id, name: id, type: 'message' });
    expect(res.status).toBe(201);
  }
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});
afterAll(() => service?.stop());

describe('JSON nested deeper than server.max_json_depth (64)', () => {
  const send = (levels: number) =>
    `{"sender_id":"alice","recipient_id":"bob","message":${nested(levels)}}`;

  it('is 400 VALIDATION_FAILED naming the field over REST, even 10,000 levels deep', async () => {
    for (const levels of [64, 10_000]) {
      const res = await sendRaw(send(levels));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        { field: 'message', problem: expect.stringContaining('64') },
      ]);
    }
  });

  it('is accepted up to the limit (the body is the first level)', async () => {
    const res = await sendRaw(send(63));
    expect(res.status).toBe(202);
    expect(JSON.stringify(res.body.payload)).toBe(nested(63));
  });

  it('is a VALIDATION_FAILED ack over Socket.IO', async () => {
    const alice = await open(colleagueToken('safe', 'alice'));
    // socket.io-client's own encoder recurses: 1,000 levels is as deep as it can send.
    const body = JSON.parse(send(1000)) as Json;
    const ack = await emitAck(alice, 'send', { mediator: 'safe', ...body });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('opaque JSON fields are stored and delivered verbatim', () => {
  it('keeps keys named like Object.prototype members in a message and its headers', async () => {
    const res = await admin.post('/mediators/safe/messages', {
      sender_id: 'alice',
      recipient_id: 'bob',
      message: PROTOTYPE_NAMED,
      headers: PROTOTYPE_NAMED_HEADERS,
    });
    expect(res.status).toBe(202);
    expect(res.body.payload).toEqual(PROTOTYPE_NAMED);
    const stored = (await inboxOf('bob')).find((e) => e.id === res.body.id);
    expect(stored.payload).toEqual(PROTOTYPE_NAMED);
    expect(stored.headers).toEqual(PROTOTYPE_NAMED_HEADERS);
  });

  it('keeps them in colleague metadata, task data and event data', async () => {
    const colleague = await admin.post('/mediators/safe/colleagues', {
      id: 'carol',
      name: 'carol',
      type: 'event',
      subscriptions: ['odd'],
      metadata: PROTOTYPE_NAMED,
    });
    expect(colleague.status).toBe(201);
    expect((await admin.get('/mediators/safe/colleagues/carol')).body.metadata).toEqual(
      PROTOTYPE_NAMED,
    );
    const task = await admin.post('/mediators/safe/tasks', {
      name: 'odd',
      type: 'odd',
      data: PROTOTYPE_NAMED,
    });
    expect(task.status).toBe(201);
    expect((await admin.get(`/mediators/safe/tasks/${task.body.id}`)).body.data).toEqual(
      PROTOTYPE_NAMED,
    );
    const event = await admin.post('/mediators/safe/events', {
      sender_id: 'alice',
      type: 'odd',
      data: PROTOTYPE_NAMED,
    });
    expect(event.status).toBe(202);
    expect(event.body.data).toEqual(PROTOTYPE_NAMED);
  });

  it('accepts null as a message and delivers it as null', async () => {
    const res = await admin.post('/mediators/safe/messages', {
      sender_id: 'alice',
      recipient_id: 'bob',
      message: null,
    });
    expect(res.status).toBe(202);
    expect(res.body.payload).toBeNull();
    const stored = (await inboxOf('bob')).find((e) => e.id === res.body.id);
    expect(stored).toHaveProperty('payload', null);
  });

  it('refuses null where a field does not take it, and a null body', async () => {
    const created = await admin.post('/mediators', { name: 'nulls', max_colleagues: null });
    expect(created.status).toBe(400);
    expect(created.body.details).toEqual([
      { field: 'max_colleagues', problem: expect.any(String) },
    ]);
    const patched = await admin.raw('PATCH', '/api/v1/mediators/safe', {
      body: 'null',
      headers: { 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(400);
  });

  it('still requires a message', async () => {
    const res = await admin.post('/mediators/safe/messages', {
      sender_id: 'alice',
      recipient_id: 'bob',
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'message', problem: expect.any(String) }]);
  });

  it('refuses a __proto__ key over REST', async () => {
    const res = await sendRaw(
      '{"sender_id":"alice","recipient_id":"bob","message":{"__proto__":{"admin":true}}}',
    );
    expect(res.status).toBe(400);
  });

  it('delivers them verbatim over Socket.IO, null included', async () => {
    const alice = await open(colleagueToken('safe', 'alice'));
    const bob = await open(colleagueToken('safe', 'bob'));
    const deliveries = record(bob, 'message');
    for (const message of [PROTOTYPE_NAMED, null]) {
      const ack = await emitAck(alice, 'send', { mediator: 'safe', recipient_id: 'bob', message });
      expect(ack).toMatchObject({ ok: true, envelope: { payload: message } });
      const delivered = await eventually(async () => {
        const found = deliveries.find((e) => e.id === ack.envelope.id);
        expect(found).toBeDefined();
        return found;
      });
      expect(delivered).toHaveProperty('payload', message);
    }
  });

  it('refuses a __proto__ key over Socket.IO as REST does', async () => {
    const alice = await open(colleagueToken('safe', 'alice'));
    const message = JSON.parse('{"__proto__":{"admin":true}}') as Json;
    const ack = await emitAck(alice, 'send', { mediator: 'safe', recipient_id: 'bob', message });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('a method the path does not have', () => {
  it('is 405 with Allow, while an unknown path stays 404', async () => {
    const health = await admin.raw('PUT', '/health');
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect(health.body).toMatchObject({ status_code: 405, code: 'METHOD_NOT_ALLOWED' });
    const list = await admin.raw('DELETE', '/api/v1/mediators');
    expect(list.status).toBe(405);
    expect(list.headers.get('allow')).toBe('GET, POST, HEAD');
    expect((await admin.raw('PUT', '/api/v1/nowhere')).status).toBe(404);
  });
});

describe('the OpenAPI document declares what the validator checks', () => {
  let document: Json;
  beforeAll(async () => {
    document = (await fetch(`${service.url}/docs-json`).then((r) => r.json())) as Json;
  });
  const property = (schema: string, name: string) =>
    document.components.schemas[schema].properties[name];

  it('declares numeric limits', () => {
    expect(property('SubmitTaskDto', 'priority')).toMatchObject({
      type: 'integer',
      minimum: -1_000_000,
      maximum: 1_000_000,
    });
    // A duration: an integer of seconds (at least 1) or a string such as "90s".
    expect(property('AcquireLeaseDto', 'ttl').oneOf).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'integer', minimum: 1 })]),
    );
    expect(property('CreateMediatorDto', 'max_colleagues')).toMatchObject({
      minimum: 1,
      maximum: 1_000_000,
    });
    const list = document.paths['/api/v1/mediators'].get.parameters.find(
      (p: Json) => p.name === 'limit',
    );
    expect(list.schema).toMatchObject({ minimum: 1, maximum: 500 });
  });

  it('declares string patterns and lengths, the cursor format and the cron syntax', () => {
    expect(property('SendMessageDto', 'recipient_id').pattern).toBeDefined();
    expect(property('SubmitTaskDto', 'name')).toMatchObject({ minLength: 1, maxLength: 200 });
    const list = document.paths['/api/v1/mediators'].get.parameters;
    const cursor = list.find((p: Json) => p.name === 'cursor');
    expect(cursor.schema).toMatchObject({ maxLength: 1024, pattern: '^[A-Za-z0-9_-]*$' });
    const schedule = new RegExp(property('ScheduleJobDto', 'schedule').pattern);
    expect(['*/10 * * * * *', '0 0 * * MON-FRI'].every((s) => schedule.test(s))).toBe(true);
    expect(schedule.test('* * * *')).toBe(false);
    const get = document.paths['/api/v1/mediators/{name}'].get.parameters;
    expect(get.find((p: Json) => p.name === 'name').schema.pattern).toBeDefined();
  });

  it('types a task error as the string it is', () => {
    expect(property('TaskResponseDto', 'error')).toMatchObject({ type: 'string', nullable: true });
  });
});

describe('NUL and unicode', () => {
  it('refuses them in names and ids (their patterns are ASCII) with 400 naming the field', async () => {
    for (const name of ['a\u0000b', 'ordérs', '🚀']) {
      const res = await admin.post('/mediators', { name });
      expect([res.status, res.body.code, res.body.details?.[0]?.field]).toEqual([
        400,
        'VALIDATION_FAILED',
        'name',
      ]);
    }
    const res = await admin.post('/mediators/safe/colleagues', {
      id: 'bob\u0000',
      name: 'x',
      type: 'message',
    });
    expect([res.status, res.body.details?.[0]?.field]).toEqual([400, 'id']);
  });

  it('answers them in a path with 404, never a 500', async () => {
    for (const path of [
      '/mediators/a%00b',
      '/mediators/%F0%9F%9A%80',
      '/mediators/safe/colleagues/%00',
    ]) {
      const res = await admin.get(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('keeps them verbatim in free text, metadata, types and payloads', async () => {
    const zoe = {
      id: 'zoe',
      name: 'Zoë 🚀 \u0000 名前',
      type: 'message',
      metadata: { 'k\u0000': 'v\u0000🚀', ключ: ['名前'] },
    };
    expect((await admin.post('/mediators/safe/colleagues', zoe)).status).toBe(201);
    expect((await admin.get('/mediators/safe/colleagues/zoe')).body).toMatchObject(zoe);
    const sent = await admin.post('/mediators/safe/messages', {
      sender_id: 'zoe',
      recipient_id: 'bob',
      message: { 'ü\u0000': '\u0000😀' },
      type: 'übung_\u0000',
    });
    expect(sent.status).toBe(202);
    const stored = await admin.get(`/mediators/safe/messages/${sent.body.id}`);
    expect(stored.body).toMatchObject({ payload: { 'ü\u0000': '\u0000😀' }, type: 'übung_\u0000' });
  });
});
