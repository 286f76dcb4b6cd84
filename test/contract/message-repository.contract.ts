import { decodeCursor } from '@mediator/persistence/pagination';
import { type Harness, type Stores, envelope, event, useHarness } from './harness';

const T1 = new Date('2026-03-01T10:00:00.111Z');
const T2 = new Date('2026-03-01T10:00:05.222Z');

/** MessageRepository: messages and per-recipient status, in the document store. */
export function messageRepositoryContract(harness: Harness<Stores>): void {
  describe('MessageRepository', () => {
    const stores = useHarness(harness);
    const sent = () => event('message_sent', 'orders');

    async function sendTo(recipientId: string, overrides = {}) {
      const e = envelope({ recipientId, ...overrides });
      await stores().messages.save(e, [recipientId], undefined, sent());
      return e;
    }

    describe('save and findById', () => {
      it('stores the envelope, one pending status per recipient, and its event', async () => {
        const { messages, outbox } = stores();
        const e = envelope({ correlationId: 'corr-1', kind: 'event', type: 'order.created' });
        const result = await messages.save(e, ['bob'], undefined, sent());

        expect(result).toEqual({ envelope: e, created: true });
        const stored = await messages.findById('orders', e.id);
        expect(stored?.envelope).toEqual(e);
        expect(stored?.recipients).toEqual([
          { recipientId: 'bob', status: 'pending', deliveredAt: null, ackedAt: null },
        ]);
        expect((await outbox.next(10)).map((r) => r.event)).toEqual(['message_sent']);
      });

      it('stores no lifecycle event when given none (the deliveries of an event)', async () => {
        const { messages, outbox } = stores();
        const e = envelope({ recipientId: null, kind: 'event', type: 'order.created' });
        expect(await messages.save(e, ['bob', 'carol'], 'event:e-1', null)).toEqual({
          envelope: e,
          created: true,
        });
        expect((await messages.findById('orders', e.id))?.recipients).toHaveLength(2);
        expect(await outbox.pendingCount()).toBe(0);
      });

      it('keeps any JSON payload exactly', async () => {
        const { messages } = stores();
        for (const payload of ['plain text', 42, true, null, [1, [2, { a: '' }]], {}]) {
          const e = envelope({ payload });
          await messages.save(e, ['bob'], undefined, sent());
          expect((await messages.findById('orders', e.id))?.envelope.payload).toEqual(payload);
        }
      });

      it('reports a broadcast per recipient, sorted, with the least advanced status', async () => {
        const { messages } = stores();
        const e = envelope({ recipientId: null });
        await messages.save(e, ['carol', 'bob', 'dave'], undefined, sent());
        await messages.ack('orders', e.id, 'bob', T2);
        await messages.markDelivered('orders', e.id, 'carol', T1, null);

        const stored = await messages.findById('orders', e.id);
        expect(stored?.envelope.recipientId).toBeNull();
        expect(stored?.envelope.status).toBe('pending');
        expect(stored?.recipients).toEqual([
          { recipientId: 'bob', status: 'acked', deliveredAt: T2, ackedAt: T2 },
          { recipientId: 'carol', status: 'delivered', deliveredAt: T1, ackedAt: null },
          { recipientId: 'dave', status: 'pending', deliveredAt: null, ackedAt: null },
        ]);
        await messages.ack('orders', e.id, 'dave', T2);
        await messages.ack('orders', e.id, 'carol', T2);
        expect((await messages.findById('orders', e.id))?.envelope.status).toBe('acked');
      });

      it('stores the copies of the reachable recipients as delivered, in the same save', async () => {
        const { messages } = stores();
        const NOW = 1_800_000_000_000;
        const b = envelope({ recipientId: null });
        const reachable = { ids: new Set(['bob', 'dave']), at: T1, ackDueAt: NOW };
        await messages.save(b, ['carol', 'bob', 'dave'], 'reach-1', sent(), reachable);

        expect((await messages.findById('orders', b.id))?.recipients).toEqual([
          { recipientId: 'bob', status: 'delivered', deliveredAt: T1, ackedAt: null },
          { recipientId: 'carol', status: 'pending', deliveredAt: null, ackedAt: null },
          { recipientId: 'dave', status: 'delivered', deliveredAt: T1, ackedAt: null },
        ]);
        const slot = { mediator: 'orders', messageId: b.id };
        expect(await messages.dueDeliveries(NOW - 1, 10)).toEqual([]);
        expect(await messages.dueDeliveries(NOW, 10)).toEqual([
          { ...slot, recipientId: 'bob', status: 'delivered', attempts: 0, dueAt: NOW },
          { ...slot, recipientId: 'dave', status: 'delivered', attempts: 0, dueAt: NOW },
        ]);
        expect((await messages.unacked('orders', 'bob', 10)).map((e) => e.status)).toEqual([
          'delivered',
        ]);

        // A repeat of the key stores nothing, whoever is reachable now.
        const again = await messages.save(
          envelope({ recipientId: null }),
          ['carol'],
          'reach-1',
          sent(),
          {
            ids: new Set(['carol']),
            at: T2,
            ackDueAt: null,
          },
        );
        expect(again).toMatchObject({ envelope: { id: b.id }, created: false });
        expect((await messages.findById('orders', b.id))?.recipients[1]).toMatchObject({
          recipientId: 'carol',
          status: 'pending',
        });

        // A request's copy has no ack deadline: the sweep leaves it alone; an ack ends it.
        const r = envelope({ recipientId: 'bob' });
        await messages.save(r, ['bob'], undefined, sent(), {
          ids: new Set(['bob']),
          at: T2,
          ackDueAt: null,
        });
        expect(
          await messages.deliveryState({ ...slot, messageId: r.id, recipientId: 'bob' }),
        ).toEqual({
          mediator: 'orders',
          messageId: r.id,
          recipientId: 'bob',
          status: 'delivered',
          attempts: 0,
          dueAt: null,
        });
        expect(await messages.ack('orders', r.id, 'bob', T2)).toBe(true);
        expect((await messages.findById('orders', r.id))?.recipients).toEqual([
          { recipientId: 'bob', status: 'acked', deliveredAt: T2, ackedAt: T2 },
        ]);
      });

      it('finds a message only in its own mediator', async () => {
        const { messages } = stores();
        const e = await sendTo('bob');
        expect(await messages.findById('billing', e.id)).toBeNull();
        expect(await messages.findById('orders', 'no-such-id')).toBeNull();
      });
    });

    describe('idempotency', () => {
      it('returns the first envelope for a key already used by the same sender', async () => {
        const { messages, outbox } = stores();
        const first = envelope();
        await messages.save(first, ['bob'], 'key-1', sent());
        const again = await messages.save(envelope(), ['bob'], 'key-1', sent());

        expect(again.created).toBe(false);
        expect(again.envelope).toEqual(first);
        expect(await messages.findByIdempotencyKey('orders', 'alice', 'key-1')).toEqual(first);
        expect((await messages.inbox('orders', 'bob', undefined, { limit: 10 })).items).toEqual([
          first,
        ]);
        expect(await outbox.pendingCount()).toBe(1);
      });

      it('scopes a key to mediator and sender', async () => {
        const { messages } = stores();
        await messages.save(envelope(), ['bob'], 'key-1', sent());
        const otherSender = await messages.save(
          envelope({ senderId: 'carol' }),
          ['bob'],
          'key-1',
          sent(),
        );
        const otherMediator = await messages.save(
          envelope({ mediator: 'billing' }),
          ['bob'],
          'key-1',
          event('message_sent', 'billing'),
        );
        expect(otherSender.created).toBe(true);
        expect(otherMediator.created).toBe(true);
        expect(await messages.findByIdempotencyKey('orders', 'alice', 'key-2')).toBeNull();
      });

      it('stores every message sent without a key', async () => {
        const { messages } = stores();
        const results = [];
        for (let i = 0; i < 3; i++)
          results.push(await messages.save(envelope(), ['bob'], undefined, sent()));
        expect(results.every((r) => r.created)).toBe(true);
        expect(
          (await messages.inbox('orders', 'bob', undefined, { limit: 10 })).items,
        ).toHaveLength(3);
      });

      it('stores one message when two saves with the same key race', async () => {
        const { messages } = stores();
        const [a, b] = await Promise.all([
          messages.save(envelope(), ['bob'], 'race', sent()),
          messages.save(envelope(), ['bob'], 'race', sent()),
        ]);

        expect([a.created, b.created].sort()).toEqual([false, true]);
        expect(a.envelope).toEqual(b.envelope);
        const inbox = await messages.inbox('orders', 'bob', undefined, { limit: 10 });
        expect(inbox.items).toEqual([a.envelope]);
        const loser = a.created ? b : a;
        expect(loser.envelope.id).toBe((a.created ? a : b).envelope.id);
      });
    });

    describe('writes submitted together (one commit on the SQL stores)', () => {
      const T3 = new Date('2026-03-01T10:00:09.333Z');

      it('stores each message, answers a repeated key with the stored envelope, keeps each slot’s times', async () => {
        const { messages, outbox } = stores();
        const [m1, m2] = [envelope(), envelope()];
        const b = envelope({ recipientId: null });
        const saved = await Promise.all([
          messages.save(envelope(), ['bob'], 'together', sent()),
          messages.save(m1, ['bob'], undefined, sent()),
          messages.save(m2, ['bob'], undefined, sent()),
          messages.save(b, ['bob', 'carol'], undefined, sent()),
          messages.save(envelope(), ['bob'], 'together', sent()),
        ]);
        // One of the two sends with the same key stores its message and the other is answered
        // with it (the first on the SQL stores; MongoDB's unique index decides in no set order).
        expect(saved.slice(1, 4).map((r) => r.created)).toEqual([true, true, true]);
        expect([saved[0].created, saved[4].created].sort()).toEqual([false, true]);
        const keyed = saved[0].envelope;
        expect(saved[4].envelope).toEqual(keyed);
        expect(await outbox.pendingCount()).toBe(4);

        const answers = await Promise.all([
          messages.markDelivered('orders', m1.id, 'bob', T1, null),
          messages.markDelivered('orders', m2.id, 'bob', T2, null),
          messages.markDelivered('orders', b.id, 'carol', T3, null),
          messages.ack('orders', keyed.id, 'bob', T2),
          messages.ack('orders', b.id, 'bob', T1),
          messages.ack('orders', b.id, 'bob', T3),
          messages.ack('orders', 'no-such-id', 'bob', T1),
          messages.ack('billing', m1.id, 'bob', T1),
        ]);
        expect(answers.slice(3)).toEqual([true, true, true, false, false]);
        const slots = async (id: string) => (await messages.findById('orders', id))?.recipients;
        expect(await slots(m1.id)).toEqual([
          { recipientId: 'bob', status: 'delivered', deliveredAt: T1, ackedAt: null },
        ]);
        expect(await slots(m2.id)).toEqual([
          { recipientId: 'bob', status: 'delivered', deliveredAt: T2, ackedAt: null },
        ]);
        expect(await slots(keyed.id)).toEqual([
          { recipientId: 'bob', status: 'acked', deliveredAt: T2, ackedAt: T2 },
        ]);
        // Two acks of one slot submitted together: one of them is kept (the first on the SQL
        // stores; MongoDB applies concurrent writes in no set order).
        const [bob, carol] = (await slots(b.id)) ?? [];
        expect(bob).toMatchObject({ recipientId: 'bob', status: 'acked' });
        expect([T1, T3]).toContainEqual(bob.ackedAt);
        expect(bob.deliveredAt).toEqual(bob.ackedAt);
        expect(carol).toEqual({
          recipientId: 'carol',
          status: 'delivered',
          deliveredAt: T3,
          ackedAt: null,
        });
      });

      it('fails only the write that fails', async () => {
        const { messages } = stores();
        const first = await sendTo('bob');
        const good = envelope();
        const results = await Promise.allSettled([
          messages.save(good, ['bob'], undefined, sent()),
          messages.save({ ...first }, ['bob'], undefined, sent()),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
        expect((await messages.findById('orders', good.id))?.envelope).toEqual(good);
      });
    });

    describe('inbox', () => {
      it('lists a recipient’s messages oldest first, with its own status', async () => {
        const { messages } = stores();
        const m1 = await sendTo('bob');
        await sendTo('carol');
        const m2 = await sendTo('bob');
        const m3 = await sendTo('bob', { mediator: 'billing' });
        await messages.markDelivered('orders', m2.id, 'bob', T1, null);

        const inbox = await messages.inbox('orders', 'bob', undefined, { limit: 10 });
        expect(inbox.items.map((e) => [e.id, e.status])).toEqual([
          [m1.id, 'pending'],
          [m2.id, 'delivered'],
        ]);
        expect(inbox.nextCursor).toBeNull();
        expect(inbox.items.map((e) => e.id)).not.toContain(m3.id);
      });

      it('filters by status', async () => {
        const { messages } = stores();
        const [m1, m2, m3] = [await sendTo('bob'), await sendTo('bob'), await sendTo('bob')];
        await messages.markDelivered('orders', m2.id, 'bob', T1, null);
        await messages.ack('orders', m3.id, 'bob', T2);

        const ids = async (status: 'pending' | 'delivered' | 'acked') =>
          (await messages.inbox('orders', 'bob', status, { limit: 10 })).items.map((e) => e.id);
        expect(await ids('pending')).toEqual([m1.id]);
        expect(await ids('delivered')).toEqual([m2.id]);
        expect(await ids('acked')).toEqual([m3.id]);
      });

      it('pages with the cursor', async () => {
        const { messages } = stores();
        const sentIds = [];
        for (let i = 0; i < 5; i++) sentIds.push((await sendTo('bob')).id);

        const seen: string[] = [];
        let after: string | undefined;
        const sizes: number[] = [];
        do {
          const page = await messages.inbox('orders', 'bob', 'pending', { limit: 2, after });
          sizes.push(page.items.length);
          seen.push(...page.items.map((e) => e.id));
          after = page.nextCursor ? decodeCursor(page.nextCursor) : undefined;
        } while (after);
        expect(sizes).toEqual([2, 2, 1]);
        expect(seen).toEqual(sentIds);
      });
    });

    describe('delivery status', () => {
      it('markDelivered moves pending to delivered and never back from acked', async () => {
        const { messages } = stores();
        const m1 = await sendTo('bob');
        const m2 = await sendTo('bob');
        await messages.markDelivered('orders', m1.id, 'bob', T1, null);
        await messages.markDelivered('orders', m1.id, 'bob', T2, null);
        await messages.ack('orders', m2.id, 'bob', T1);
        await messages.markDelivered('orders', m2.id, 'bob', T2, null);

        const r1 = (await messages.findById('orders', m1.id))?.recipients[0];
        const r2 = (await messages.findById('orders', m2.id))?.recipients[0];
        expect(r1).toMatchObject({ status: 'delivered', deliveredAt: T1, ackedAt: null });
        expect(r2).toMatchObject({ status: 'acked', deliveredAt: T1, ackedAt: T1 });
      });

      it('ack is true for the recipient’s message, idempotent, and false otherwise', async () => {
        const { messages } = stores();
        const m = await sendTo('bob');
        await messages.markDelivered('orders', m.id, 'bob', T1, null);

        expect(await messages.ack('orders', m.id, 'bob', T2)).toBe(true);
        expect(await messages.ack('orders', m.id, 'bob', new Date())).toBe(true);
        expect((await messages.findById('orders', m.id))?.recipients[0]).toEqual({
          recipientId: 'bob',
          status: 'acked',
          deliveredAt: T1,
          ackedAt: T2,
        });
        expect(await messages.ack('orders', m.id, 'carol', T2)).toBe(false);
        expect(await messages.ack('billing', m.id, 'bob', T2)).toBe(false);
        expect(await messages.ack('orders', 'no-such-id', 'bob', T2)).toBe(false);
      });

      it('unacked lists pending and delivered messages oldest first, up to the limit', async () => {
        const { messages } = stores();
        const [m1, m2, m3, m4] = [
          await sendTo('bob'),
          await sendTo('bob'),
          await sendTo('bob'),
          await sendTo('bob'),
        ];
        await sendTo('carol');
        await messages.markDelivered('orders', m2.id, 'bob', T1, null);
        await messages.ack('orders', m3.id, 'bob', T1);

        expect((await messages.unacked('orders', 'bob', 10)).map((e) => [e.id, e.status])).toEqual([
          [m1.id, 'pending'],
          [m2.id, 'delivered'],
          [m4.id, 'pending'],
        ]);
        expect((await messages.unacked('orders', 'bob', 2)).map((e) => e.id)).toEqual([
          m1.id,
          m2.id,
        ]);
        expect(await messages.unacked('billing', 'bob', 10)).toEqual([]);
      });
    });

    describe('redelivery state (acks mean acks)', () => {
      const NOW = 1_800_000_000_000;
      const slot = (id: string, recipientId = 'bob') => ({
        mediator: 'orders',
        messageId: id,
        recipientId,
      });
      const dead = (id: string) => ({
        status: 'dead' as const,
        event: event('message_dead', 'orders', { message_id: id }),
      });

      it('a delivery with an ack deadline is due once it passes; an ack ends it', async () => {
        const { messages } = stores();
        const [m1, m2, m3] = [await sendTo('bob'), await sendTo('bob'), await sendTo('bob')];
        await messages.markDelivered('orders', m1.id, 'bob', T1, NOW + 1000);
        await messages.markDelivered('orders', m2.id, 'bob', T1, NOW + 500);
        await messages.markDelivered('orders', m3.id, 'bob', T1, null);

        expect(await messages.dueDeliveries(NOW, 10)).toEqual([]);
        expect(await messages.dueDeliveries(NOW + 1000, 10)).toEqual([
          { ...slot(m2.id), status: 'delivered', attempts: 0, dueAt: NOW + 500 },
          { ...slot(m1.id), status: 'delivered', attempts: 0, dueAt: NOW + 1000 },
        ]);
        expect(await messages.dueDeliveries(NOW + 1000, 1)).toHaveLength(1);
        await messages.ack('orders', m2.id, 'bob', T2);
        expect((await messages.dueDeliveries(NOW + 1000, 10)).map((d) => d.messageId)).toEqual([
          m1.id,
        ]);
        expect(await messages.deliveryState(slot(m2.id))).toBeNull();
      });

      it('recordFailure counts one failure once, even when two instances race', async () => {
        const { messages } = stores();
        const m = await sendTo('bob');
        await messages.markDelivered('orders', m.id, 'bob', T1, NOW);
        const seen = (await messages.deliveryState(slot(m.id)))!;
        expect(seen).toEqual({ ...slot(m.id), status: 'delivered', attempts: 0, dueAt: NOW });

        const outcome = { status: 'pending' as const, dueAt: NOW + 100 };
        const results = await Promise.all([
          messages.recordFailure(seen, 'BUSY: busy', outcome),
          messages.recordFailure(seen, 'BUSY: busy', outcome),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await messages.deliveryState(slot(m.id))).toEqual({
          ...slot(m.id),
          status: 'pending',
          attempts: 1,
          dueAt: NOW + 100,
        });
        // A stale view (attempts 0) changes nothing any more.
        expect(await messages.recordFailure(seen, 'late', dead(m.id))).toBe(false);
      });

      it('a dead delivery leaves unacked, shows in the dead inbox, and has its event', async () => {
        const { messages, outbox } = stores();
        const m = await sendTo('bob');
        await messages.markDelivered('orders', m.id, 'bob', T1, NOW);
        const before = await outbox.pendingCount();
        const seen = (await messages.deliveryState(slot(m.id)))!;
        expect(await messages.recordFailure(seen, 'REFUSED', dead(m.id))).toBe(true);

        expect(await messages.deliveryState(slot(m.id))).toBeNull();
        expect(await messages.unacked('orders', 'bob', 10)).toEqual([]);
        expect(await messages.dueDeliveries(NOW + 60_000, 10)).toEqual([]);
        const inbox = await messages.inbox('orders', 'bob', 'dead', { limit: 10 });
        expect(inbox.items.map((e) => [e.id, e.status])).toEqual([[m.id, 'dead']]);
        expect((await messages.findById('orders', m.id))?.envelope.status).toBe('dead');
        expect(await outbox.pendingCount()).toBe(before + 1);
        expect((await outbox.next(100)).map((e) => e.event)).toContain('message_dead');
        // Pushing it again (a stray redelivery) does not revive it.
        await messages.markDelivered('orders', m.id, 'bob', T2, NOW);
        expect((await messages.findById('orders', m.id))?.recipients[0].status).toBe('dead');
      });

      it('a broadcast with a dead recipient and the others acked reads dead', async () => {
        const { messages } = stores();
        const b = envelope({ recipientId: null });
        await messages.save(b, ['bob', 'carol'], undefined, null);
        await messages.ack('orders', b.id, 'carol', T1);
        await messages.markDelivered('orders', b.id, 'bob', T1, NOW);
        const seen = (await messages.deliveryState(slot(b.id)))!;
        await messages.recordFailure(seen, 'REFUSED', dead(b.id));
        expect((await messages.findById('orders', b.id))?.envelope.status).toBe('dead');
      });

      it('deliveryCounts counts each recipient’s copy by status, in its own mediator only', async () => {
        const { messages } = stores();
        expect(await messages.deliveryCounts('orders')).toEqual({
          pending: 0,
          delivered: 0,
          acked: 0,
          dead: 0,
        });
        const b = envelope({ recipientId: null });
        await messages.save(b, ['bob', 'carol', 'dave'], undefined, null);
        const [m1, m2] = [await sendTo('bob'), await sendTo('carol')];
        await sendTo('bob', { mediator: 'billing' });
        await messages.ack('orders', b.id, 'carol', T1);
        await messages.markDelivered('orders', m2.id, 'carol', T1, null);
        await messages.markDelivered('orders', m1.id, 'bob', T1, NOW);
        await messages.recordFailure(
          (await messages.deliveryState(slot(m1.id)))!,
          'X',
          dead(m1.id),
        );

        expect(await messages.deliveryCounts('orders')).toEqual({
          pending: 2,
          delivered: 1,
          acked: 1,
          dead: 1,
        });
        expect(await messages.deliveryCounts('billing')).toEqual({
          pending: 1,
          delivered: 0,
          acked: 0,
          dead: 0,
        });
        await messages.resetDeliveries('orders', m1.id, undefined);
        expect((await messages.deliveryCounts('orders')).dead).toBe(0);
      });

      it('reschedule claims a due retry for one instance only', async () => {
        const { messages } = stores();
        const m = await sendTo('bob');
        await messages.markDelivered('orders', m.id, 'bob', T1, NOW);
        const delivered = (await messages.deliveryState(slot(m.id)))!;
        await messages.recordFailure(delivered, 'BUSY', { status: 'pending', dueAt: NOW + 10 });
        const [due] = await messages.dueDeliveries(NOW + 10, 10);
        expect(due).toMatchObject({ status: 'pending', attempts: 1, dueAt: NOW + 10 });

        const claims = await Promise.all([
          messages.reschedule(due, NOW + 5000),
          messages.reschedule(due, NOW + 5000),
        ]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await messages.dueDeliveries(NOW + 10, 10)).toEqual([]);
        const claimed = (await messages.deliveryState(slot(m.id)))!;
        expect(await messages.reschedule(claimed, null)).toBe(true);
        expect(await messages.dueDeliveries(NOW + 60_000, 10)).toEqual([]);
      });

      it('resetDeliveries puts dead and unacked slots back to pending, never acked ones', async () => {
        const { messages } = stores();
        const b = envelope({ recipientId: null });
        await messages.save(b, ['bob', 'carol', 'dave'], undefined, null);
        await messages.ack('orders', b.id, 'carol', T1);
        await messages.markDelivered('orders', b.id, 'bob', T1, NOW);
        const seen = (await messages.deliveryState(slot(b.id)))!;
        await messages.recordFailure(seen, 'REFUSED', dead(b.id));

        expect(await messages.resetDeliveries('orders', b.id, ['carol'])).toEqual([]);
        expect((await messages.resetDeliveries('orders', b.id, undefined)).sort()).toEqual([
          'bob',
          'dave',
        ]);
        expect(await messages.deliveryState(slot(b.id))).toEqual({
          ...slot(b.id),
          status: 'pending',
          attempts: 0,
          dueAt: null,
        });
        const statuses = (await messages.findById('orders', b.id))?.recipients.map((r) => [
          r.recipientId,
          r.status,
        ]);
        expect(statuses).toEqual([
          ['bob', 'pending'],
          ['carol', 'acked'],
          ['dave', 'pending'],
        ]);
        expect(await messages.resetDeliveries('billing', b.id, undefined)).toEqual([]);
      });
    });
  });
}
