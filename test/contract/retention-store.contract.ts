import type { DataSource } from 'typeorm';
import { type Expiry, uuidV7Floor } from '@mediator/persistence/retention/retention-store';
import {
  type Harness,
  type Stores,
  envelope,
  event,
  mediator,
  nextId,
  useHarness,
} from './harness';

const MINUTE = 60_000;
const later = () => new Date(Date.now() + MINUTE);
const earlier = () => new Date(Date.now() - MINUTE);
const acked = (before: Date): Expiry[] => [{ status: 'acked', before }];

/** Repeats a purge until it reports nothing more; returns the rows deleted and the calls made. */
async function drain(
  purge: (after?: string) => Promise<{ deleted: number; more: boolean; after?: string }>,
) {
  let deleted = 0;
  let calls = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await purge(after);
    calls += 1;
    deleted += batch.deleted;
    if (!batch.more) return { deleted, calls };
    after = batch.after;
  }
}

/** RetentionStore on the document store: messages (never an un-acked one) and audit entries. */
export function retentionStoreContract(harness: Harness<Stores>): void {
  describe('RetentionStore (messages, audit)', () => {
    const stores = useHarness(harness);

    async function send(recipients: string[]) {
      const e = envelope({
        recipientId: recipients.length === 1 ? recipients[0] : null,
        createdAt: new Date(),
      });
      await stores().messages.save(e, recipients, undefined, event('message_sent', 'orders'));
      return e;
    }
    const exists = async (id: string) => (await stores().messages.findById('orders', id)) !== null;

    it('purges a message once every recipient acked before the cutoff, with its recipients', async () => {
      const { messages, retention } = stores();
      const done = await send(['bob', 'carol']);
      await messages.ack('orders', done.id, 'bob', new Date());
      await messages.ack('orders', done.id, 'carol', new Date());

      expect((await retention.purgeMessages(acked(earlier()), 100)).deleted).toBe(0);
      expect(await exists(done.id)).toBe(true);
      expect((await retention.purgeMessages(acked(later()), 100)).deleted).toBe(1);
      expect(await exists(done.id)).toBe(false);
      expect((await messages.inbox('orders', 'bob', undefined, { limit: 10 })).items).toEqual([]);
    });

    it('never purges a message that one recipient has not acked, however old', async () => {
      const { messages, retention } = stores();
      const pending = await send(['bob']);
      const delivered = await send(['bob']);
      await messages.markDelivered('orders', delivered.id, 'bob', new Date(), Date.now() + MINUTE);
      const half = await send(['bob', 'carol']);
      await messages.ack('orders', half.id, 'bob', new Date());
      const farFuture = new Date('2999-01-01T00:00:00.000Z');

      const result = await retention.purgeMessages(
        [...acked(farFuture), { status: 'dead', before: farFuture }],
        100,
      );

      expect(result.deleted).toBe(0);
      for (const e of [pending, delivered, half]) expect(await exists(e.id)).toBe(true);
      expect(await messages.unacked('orders', 'bob', 10)).toHaveLength(2);
    });

    it('deletes at most `limit` messages per call and goes on from where it stopped', async () => {
      const { messages, retention } = stores();
      const keep = await send(['bob']);
      const sent = [];
      for (let i = 0; i < 5; i += 1) {
        const e = await send(['bob']);
        await messages.ack('orders', e.id, 'bob', new Date());
        sent.push(e);
      }

      // A store may count a message it must keep among the `limit` it looked at (MongoDB).
      const first = await retention.purgeMessages(acked(later()), 2);
      expect(first.deleted).toBeLessThanOrEqual(2);
      expect(first.more).toBe(true);
      const rest = await drain((after) => retention.purgeMessages(acked(later()), 2, after));
      expect(first.deleted + rest.deleted).toBe(5);
      for (const e of sent) expect(await exists(e.id)).toBe(false);
      expect(await exists(keep.id)).toBe(true);
    });

    it('purges only the statuses it is given (acked messages stay under a dead-letter rule)', async () => {
      const { messages, retention } = stores();
      const e = await send(['bob']);
      await messages.ack('orders', e.id, 'bob', new Date());

      expect(
        (await retention.purgeMessages([{ status: 'dead', before: later() }], 100)).deleted,
      ).toBe(0);
      expect((await retention.purgeMessages([], 100)).deleted).toBe(0);
      expect(await exists(e.id)).toBe(true);
    });

    it('keeps a dead letter for its retention from its death, not from its first delivery', async () => {
      const { messages, retention } = stores();
      const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
      // Sent 6 hours ago: its id (a UUID v7) says so too, as the sweep walks messages by id.
      const sentAt = hoursAgo(6);
      const e = envelope({
        id: `${uuidV7Floor(sentAt).slice(0, 14)}7000-8000-${nextId().slice(-12)}`,
        createdAt: sentAt,
      });
      await messages.save(e, ['bob'], undefined, null);
      const slot = { mediator: 'orders', messageId: e.id, recipientId: 'bob' };
      const dies = async (at: Date) => {
        const seen = (await messages.deliveryState(slot))!;
        const dead = { ...event('message_dead', 'orders'), timestamp: at };
        expect(await messages.recordFailure(seen, 'REFUSED', { status: 'dead', event: dead })).toBe(
          true,
        );
      };
      // Delivered 5 hours ago, dead 4 hours ago, redelivered (which keeps the first delivery
      // time), and dead again just now.
      await messages.markDelivered('orders', e.id, 'bob', hoursAgo(5), null);
      await dies(hoursAgo(4));
      expect(await messages.resetDeliveries('orders', e.id, undefined)).toEqual(['bob']);
      await messages.markDelivered('orders', e.id, 'bob', new Date(), null);
      await dies(new Date());
      const deadFor = (h: number) => [{ status: 'dead', before: hoursAgo(h) }];

      expect((await retention.purgeMessages(deadFor(1), 100)).deleted).toBe(0);
      expect(await exists(e.id)).toBe(true);
      expect(
        (await retention.purgeMessages([{ status: 'dead', before: later() }], 100)).deleted,
      ).toBe(1);
      expect(await exists(e.id)).toBe(false);
    });

    it('counts a message without recipients as acked when it was sent', async () => {
      const { retention } = stores();
      const e = await send([]);
      expect(
        (await retention.purgeMessages([{ status: 'dead', before: later() }], 100)).deleted,
      ).toBe(0);
      expect((await retention.purgeMessages(acked(later()), 100)).deleted).toBe(1);
      expect(await exists(e.id)).toBe(false);
    });

    it('purges audit entries older than the cutoff, oldest first, in batches', async () => {
      const { audit, retention } = stores();
      const entry = (at: Date) => ({
        id: nextId(),
        at,
        actor: 'admin',
        transport: 'http' as const,
        action: 'mediator.create',
        mediator: 'orders',
        target: 'orders',
        outcome: 'ok' as const,
        requestId: null,
        details: {},
      });
      const old = [1, 2, 3].map((h) => entry(new Date(Date.now() - h * 3_600_000)));
      const fresh = entry(new Date());
      await audit.append([...old, fresh]);

      const cutoff = new Date(Date.now() - 30 * MINUTE);
      expect(await retention.purgeAudit(cutoff, 2)).toMatchObject({ deleted: 2, more: true });
      expect(await drain(() => retention.purgeAudit(cutoff, 2))).toEqual({ deleted: 1, calls: 1 });
      const left = await audit.query({}, { limit: 10 });
      expect(left.items.map((e) => e.id)).toEqual([fresh.id]);
    });
  });
}

/** RetentionStore on the kinds' SQL tables: event history, job runs, finished tasks. */
export function kindRetentionContract(
  harness: Harness<Stores> & { dataSource(): DataSource },
): void {
  describe('RetentionStore (events, job runs, tasks)', () => {
    const stores = useHarness(harness);
    const now = Date.now();
    const hoursAgo = (h: number) => now - h * 3_600_000;

    async function insertEvent(publishedAt: number) {
      await harness
        .dataSource()
        .query(
          'INSERT INTO kind_events (mediator, id, type, sender_id, data, headers, recipient_ids, published_at) ' +
            "VALUES ('orders', ?, 'order.created', 'alice', '{}', '{}', '[]', ?)",
          [nextId(), publishedAt],
        );
    }
    async function insertRun(firedAt: number) {
      await harness
        .dataSource()
        .query(
          'INSERT INTO job_runs (id, mediator, job, scheduled_at, fired_at, catch_up) ' +
            "VALUES (?, 'orders', 'nightly', ?, ?, 0)",
          [nextId(), firedAt, firedAt],
        );
    }
    async function insertTask(status: string, updatedAt: number) {
      await harness
        .dataSource()
        .query(
          'INSERT INTO tasks (id, mediator, name, type, priority, data, status, attempts, retry_count, ' +
            "claim_timeout_ms, submitted_at, updated_at) VALUES (?, 'orders', 't', 'work', 0, '{}', ?, 1, 3, 30000, ?, ?)",
          [nextId(), status, updatedAt, updatedAt],
        );
    }
    const count = async (table: string, where = '1 = 1') =>
      Number(
        (
          (await harness
            .dataSource()
            .query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number }>
        )[0].n,
      );

    beforeEach(() =>
      stores().mediators.create(mediator('orders'), event('mediator_created', 'orders')),
    );

    it('purges published events older than the cutoff, in batches', async () => {
      for (const h of [5, 4, 3, 0]) await insertEvent(hoursAgo(h));
      const cutoff = new Date(hoursAgo(1));
      expect(await stores().retention.purgeEvents(cutoff, 2)).toMatchObject({
        deleted: 2,
        more: true,
      });
      expect((await drain(() => stores().retention.purgeEvents(cutoff, 2))).deleted).toBe(1);
      expect(await count('kind_events')).toBe(1);
    });

    it('purges job runs fired before the cutoff', async () => {
      for (const h of [3, 2, 0]) await insertRun(hoursAgo(h));
      expect(
        (await drain(() => stores().retention.purgeJobRuns(new Date(hoursAgo(1)), 1))).deleted,
      ).toBe(2);
      expect(await count('job_runs')).toBe(1);
    });

    it('purges dead letters under the dead-letter rule only, and broadcasts once all are final', async () => {
      const { messages, retention } = stores();
      const dead = envelope({ createdAt: new Date() });
      const mixed = envelope({ recipientId: null, createdAt: new Date() });
      await messages.save(dead, ['bob'], undefined, null);
      await messages.save(mixed, ['bob', 'carol'], undefined, null);
      await messages.ack('orders', mixed.id, 'carol', new Date());
      // Set as the redelivery limit does (the status machine is another module's).
      await harness
        .dataSource()
        .query("UPDATE message_recipients SET status = 'dead' WHERE recipient_id = 'bob'");
      const soon = new Date(now + 60_000);

      expect((await retention.purgeMessages([{ status: 'acked', before: soon }], 10)).deleted).toBe(
        0,
      );
      expect((await retention.purgeMessages([{ status: 'dead', before: soon }], 10)).deleted).toBe(
        1,
      );
      expect(await messages.findById('orders', dead.id)).toBeNull();
      const both = ['acked', 'dead'].map((status) => ({ status, before: soon }));
      expect((await retention.purgeMessages(both, 10)).deleted).toBe(1);
      expect(await messages.findById('orders', mixed.id)).toBeNull();
    });

    it('purges completed and dead tasks, never pending or claimed ones', async () => {
      for (const status of ['completed', 'dead', 'pending', 'claimed'])
        await insertTask(status, hoursAgo(5));
      await insertTask('completed', now);
      const cutoff = new Date(hoursAgo(1));
      const expiries = ['completed', 'dead'].map((status) => ({ status, before: cutoff }));

      expect((await drain(() => stores().retention.purgeTasks(expiries, 100))).deleted).toBe(2);
      expect(await count('tasks')).toBe(3);
      expect(await count('tasks', "status IN ('pending', 'claimed')")).toBe(2);
    });
  });
}
