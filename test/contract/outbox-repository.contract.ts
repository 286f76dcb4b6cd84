import {
  type Harness,
  type Stores,
  colleague,
  envelope,
  event,
  mediator,
  useHarness,
} from './harness';

/** OutboxRepository: lifecycle events waiting for the relay, in commit order. */
export function outboxRepositoryContract(harness: Harness<Stores>): void {
  describe('OutboxRepository', () => {
    const stores = useHarness(harness);

    it('appends events and hands them out in order with their fields', async () => {
      const { outbox } = stores();
      const events = [
        event('message_sent', 'orders', { id: 'm1', nested: { n: 1 } }),
        event('message_sent', 'billing', null),
        event('message_broadcasted', 'orders', { recipients: 3 }),
      ];
      for (const e of events) await outbox.append(e);

      const records = await outbox.next(10);
      expect(records.map(({ seq: _seq, ...rest }) => rest)).toEqual(events);
      expect(records.every((r) => typeof r.seq === 'string')).toBe(true);
      const seqs = records.map((r) => BigInt(r.seq));
      expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
      expect(await outbox.pendingCount()).toBe(3);
      expect((await outbox.next(2)).map((r) => r.id)).toEqual([events[0].id, events[1].id]);
    });

    it('removes published events by seq and keeps the rest in order', async () => {
      const { outbox } = stores();
      for (let i = 0; i < 4; i++) await outbox.append(event(`e${i}`, 'orders'));
      const [a, b, c] = await outbox.next(3);
      await outbox.remove([a.seq, c.seq]);
      await outbox.remove([]);

      expect((await outbox.next(10)).map((r) => r.event)).toEqual([b.event, 'e3']);
      expect(await outbox.pendingCount()).toBe(2);
    });

    it('receives the event of a change with the change itself', async () => {
      const { outbox, mediators, colleagues } = stores();
      const created = event('mediator_created', 'orders', { name: 'orders' });
      await mediators.create(mediator('orders'), created);
      const registered = event('colleague_registered', 'orders', { id: 'a' });
      await colleagues.add(colleague('orders', 'a'), registered);
      // A failed change writes no event.
      await expect(
        mediators.create(mediator('orders'), event('mediator_created', 'orders')),
      ).rejects.toThrow();
      await expect(
        colleagues.add(colleague('orders', 'a'), event('colleague_registered', 'orders')),
      ).rejects.toThrow();
      await colleagues.remove('orders', 'nobody', event('colleague_unregistered', 'orders'));

      expect((await outbox.next(10)).map((r) => r.id)).toEqual([created.id, registered.id]);
    });

    it('tells its listeners after each commit that wrote events, whoever wrote them', async () => {
      const { outbox, mediators, colleagues, messages } = stores();
      let commits = 0;
      const unsubscribe = outbox.onCommitted(() => commits++);

      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      expect(commits).toBe(1);
      await colleagues.add(colleague('orders', 'a'), event('colleague_registered', 'orders'));
      expect(commits).toBe(2);
      // The send path's group commit (a message with its event), and an event appended alone.
      await messages.save(envelope(), ['a'], undefined, event('message_sent', 'orders'));
      expect(commits).toBe(3);
      await outbox.append(event('message_dead', 'orders'));
      expect(commits).toBe(4);

      // Nothing to publish: a rolled-back change, a change without an event, a removal.
      await expect(
        mediators.create(mediator('orders'), event('mediator_created', 'orders')),
      ).rejects.toThrow();
      await colleagues.remove('orders', 'nobody', event('colleague_unregistered', 'orders'));
      await outbox.remove((await outbox.next(10)).map((r) => r.seq));
      expect(commits).toBe(4);

      unsubscribe();
      await outbox.append(event('message_dead', 'orders'));
      expect(commits).toBe(4);
    });
  });
}
