import {
  type Harness,
  type Stores,
  colleague,
  envelope,
  event,
  mediator,
  useHarness,
} from './harness';

/**
 * Deleting a mediator deletes its data wherever it is kept (messages in SQL or MongoDB), keeps its
 * unrelayed events, and a mediator created again under the same name starts empty.
 */
export function mediatorRemovalContract(harness: Harness<Stores>): void {
  describe('mediator removal', () => {
    const stores = useHarness(harness);

    async function populate(name: string) {
      const { mediators, colleagues, messages } = stores();
      await mediators.create(mediator(name), event('mediator_created', name));
      await colleagues.add(colleague(name, 'bob'), event('colleague_registered', name));
      const direct = envelope({ mediator: name, recipientId: 'bob' });
      await messages.save(direct, ['bob'], undefined, event('message_sent', name));
      const broadcast = envelope({ mediator: name, recipientId: null });
      await messages.save(broadcast, ['bob', 'carol'], undefined, null);
      await messages.markDelivered(name, direct.id, 'bob', new Date(), null);
      return { direct, broadcast };
    }

    it('deletes messages and colleagues; a re-created mediator starts empty', async () => {
      const { mediators, colleagues, messages } = stores();
      const { direct, broadcast } = await populate('orders');
      await populate('billing');

      expect(await mediators.remove('orders', event('mediator_deleted', 'orders'))).toBe(true);
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await colleagues.add(colleague('orders', 'bob'), event('colleague_registered', 'orders'));

      expect(await messages.findById('orders', direct.id)).toBeNull();
      expect(await messages.findById('orders', broadcast.id)).toBeNull();
      const inbox = await messages.inbox('orders', 'bob', undefined, { limit: 10 });
      expect(inbox.items).toEqual([]);
      expect(await messages.unacked('orders', 'bob', 10)).toEqual([]);
      expect((await mediators.find('orders'))?.colleagueCount).toBe(1);
      // Another mediator's data is untouched.
      expect((await messages.inbox('billing', 'bob', undefined, { limit: 10 })).items).toHaveLength(
        2,
      );
    });

    it('keeps the unrelayed events, mediator_deleted last', async () => {
      const { mediators, outbox } = stores();
      await populate('orders');
      await mediators.remove('orders', event('mediator_deleted', 'orders'));
      const events = (await outbox.next(100)).filter((e) => e.mediator === 'orders');
      expect(events.map((e) => e.event)).toEqual([
        'mediator_created',
        'colleague_registered',
        'message_sent',
        'mediator_deleted',
      ]);
    });

    it('answers false for an unknown mediator and deletes nothing', async () => {
      const { mediators, messages } = stores();
      const { direct } = await populate('billing');
      expect(await mediators.remove('orders', event('mediator_deleted', 'orders'))).toBe(false);
      expect(await messages.findById('billing', direct.id)).not.toBeNull();
    });
  });
}
