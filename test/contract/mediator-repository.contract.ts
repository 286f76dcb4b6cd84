import { MediatorExistsError } from '@mediator/core';
import { decodeCursor } from '@mediator/persistence/pagination';
import { type Harness, type Stores, event, mediator, colleague, useHarness } from './harness';

/** MediatorRepository: the named mediators of the relational store. */
export function mediatorRepositoryContract(harness: Harness<Stores>): void {
  describe('MediatorRepository', () => {
    const stores = useHarness(harness);

    it('creates a mediator and finds it with every field intact', async () => {
      const { mediators } = stores();
      const created = mediator('orders', { maxColleagues: 7 });
      await mediators.create(created, event('mediator_created', 'orders'));

      expect(await mediators.find('orders')).toEqual(created);
      expect(await mediators.find('missing')).toBeNull();
      expect(await mediators.count()).toBe(1);
    });

    it('refuses a duplicate name with MediatorExistsError and keeps the first', async () => {
      const { mediators } = stores();
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await expect(
        mediators.create(
          mediator('orders', { description: 'second' }),
          event('mediator_created', 'orders'),
        ),
      ).rejects.toBeInstanceOf(MediatorExistsError);
      expect((await mediators.find('orders'))?.description).toBe('the orders mediator');
    });

    it('counts the colleagues of a mediator', async () => {
      const { mediators, colleagues } = stores();
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await colleagues.add(colleague('orders', 'a'), event('colleague_registered', 'orders'));
      await colleagues.add(colleague('orders', 'b'), event('colleague_registered', 'orders'));
      expect((await mediators.find('orders'))?.colleagueCount).toBe(2);
      const page = await mediators.list({ limit: 10 });
      expect(page.items.map((m) => [m.name, m.colleagueCount])).toEqual([['orders', 2]]);
    });

    it('lists by name in pages', async () => {
      const { mediators } = stores();
      for (const name of ['c', 'a', 'e', 'b', 'd'])
        await mediators.create(mediator(name), event('mediator_created', name));

      const first = await mediators.list({ limit: 2 });
      expect(first.items.map((m) => m.name)).toEqual(['a', 'b']);
      expect(first.nextCursor).not.toBeNull();
      const second = await mediators.list({ limit: 2, after: decodeCursor(first.nextCursor!) });
      expect(second.items.map((m) => m.name)).toEqual(['c', 'd']);
      const last = await mediators.list({ limit: 2, after: decodeCursor(second.nextCursor!) });
      expect(last.items.map((m) => m.name)).toEqual(['e']);
      expect(last.nextCursor).toBeNull();
    });

    it('updates description, limit and update time', async () => {
      const { mediators } = stores();
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      const changed = mediator('orders', {
        description: 'changed',
        maxColleagues: 3,
        updatedAt: new Date('2026-02-03T04:05:06.789Z'),
      });
      await mediators.update(changed, event('mediator_updated', 'orders'));
      expect(await mediators.find('orders')).toEqual(changed);
    });

    it('removes a mediator with its colleagues; removing it again is false', async () => {
      const { mediators, colleagues } = stores();
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await colleagues.add(colleague('orders', 'a'), event('colleague_registered', 'orders'));

      expect(await mediators.remove('orders', event('mediator_deleted', 'orders'))).toBe(true);
      expect(await mediators.find('orders')).toBeNull();
      expect(await colleagues.find('orders', 'a')).toBeNull();
      expect(await mediators.remove('orders', event('mediator_deleted', 'orders'))).toBe(false);
      expect(await mediators.count()).toBe(0);
    });
  });
}
