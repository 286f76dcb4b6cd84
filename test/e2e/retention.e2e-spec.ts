// Retention (issue 9, goal 3): with a 2 s retention the tables stay bounded under a steady load,
// and nothing un-acked is ever purged.
import Database from 'better-sqlite3';
import { type Api, api, eventually } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';

jest.setTimeout(90_000);

const LOAD_MS = 10_000;

let service: RunningService;
let admin: Api;
let db: Database.Database;

const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const rows = () => ({
  acked: count("SELECT COUNT(*) AS n FROM message_recipients WHERE status = 'acked'"),
  messages: count('SELECT COUNT(*) AS n FROM messages'),
  audit: count('SELECT COUNT(*) AS n FROM audit_entries'),
  events: count('SELECT COUNT(*) AS n FROM kind_events'),
});

beforeAll(async () => {
  service = await startService({
    config: {
      retention: {
        acked_messages: '2s',
        audit: '2s',
        events: '2s',
        job_runs: '2s',
        finished_tasks: '2s',
        sweep_interval: '500ms',
        batch_size: 50,
        batch_pause: '10ms',
      },
    },
  });
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'shop' })).status).toBe(201);
  for (const id of ['alice', 'bob', 'carol'])
    expect(
      (await admin.post('/mediators/shop/colleagues', { id, name: id, type: 'message' })).status,
    ).toBe(201);
  db = new Database(service.sqlitePath, { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await service?.stop();
});

async function send(recipient: string): Promise<string> {
  const res = await admin.post('/mediators/shop/messages', {
    sender_id: 'alice',
    recipient_id: recipient,
    message: { n: 1 },
  });
  expect(res.status).toBe(202);
  return res.body.id as string;
}

/** Every id in bob's inbox, paging through it. */
async function inboxOf(colleague: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const res = await admin.get(
      `/mediators/shop/colleagues/${colleague}/messages?limit=100` +
        (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''),
    );
    expect(res.status).toBe(200);
    for (const e of res.body.items) seen.set(e.id, e.status);
    cursor = res.body.next_cursor ?? undefined;
  } while (cursor);
  return seen;
}

it('keeps the tables bounded under a steady load and never purges an un-acked message', async () => {
  const unacked: string[] = [];
  let ackedSent = 0;
  let published = 0;
  let peak = { acked: 0, messages: 0, audit: 0, events: 0 };
  const started = Date.now();
  while (Date.now() - started < LOAD_MS) {
    for (let i = 0; i < 10; i += 1) {
      const id = await send('carol');
      const ack = await admin.post(`/mediators/shop/colleagues/carol/messages/${id}/ack`);
      expect(ack.status).toBe(204);
      ackedSent += 1;
    }
    unacked.push(await send('bob'));
    const event = await admin.post('/mediators/shop/events', {
      sender_id: 'alice',
      type: 'tick',
      data: {},
    });
    expect(event.status).toBeLessThan(300);
    published += 1;
    const now = rows();
    peak = {
      acked: Math.max(peak.acked, now.acked),
      messages: Math.max(peak.messages, now.messages),
      audit: Math.max(peak.audit, now.audit),
      events: Math.max(peak.events, now.events),
    };
  }

  // A 2 s retention over a 10 s load holds a fraction of what went through, never all of it.
  expect(peak.acked).toBeLessThan(ackedSent * 0.6);
  expect(peak.events).toBeLessThan(published * 0.6);
  expect(peak.audit).toBeLessThan(ackedSent * 2 * 0.6);

  // Once the load stops, everything acked goes; every un-acked message is still there.
  await eventually(async () => expect(rows().acked).toBe(0), 20_000);
  // The events reached bob and carol, who never acked them: they stay too.
  expect(count("SELECT COUNT(*) AS n FROM messages WHERE kind = 'message'")).toBe(unacked.length);
  expect(count("SELECT COUNT(*) AS n FROM messages WHERE kind = 'event'")).toBe(published);
  const inbox = await inboxOf('bob');
  expect(unacked.filter((id) => inbox.get(id) !== 'pending')).toEqual([]);
  for (const id of unacked.slice(0, 5))
    expect((await admin.get(`/mediators/shop/messages/${id}`)).status).toBe(200);
});
