import {
  ColleagueExistsError,
  MaxColleaguesReachedError,
  MediatorNotFoundError,
} from '@mediator/core';
import { decodeCursor } from '@mediator/persistence/pagination';
import { type Harness, type Stores, colleague, event, mediator, useHarness } from './harness';

/** ColleagueRepository: the colleagues of each mediator, in the relational store. */
export function colleagueRepositoryContract(harness: Harness<Stores>): void {
  describe('ColleagueRepository', () => {
    const stores = useHarness(harness);
    const registered = (m: string) => event('colleague_registered', m);

    beforeEach(async () => {
      const { mediators } = stores();
      await mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await mediators.create(mediator('billing'), event('mediator_created', 'billing'));
    });

    it('adds a colleague and finds it with every field intact', async () => {
      const { colleagues } = stores();
      const added = colleague('orders', 'svc-1', { active: false });
      await colleagues.add(added, registered('orders'));

      expect(await colleagues.find('orders', 'svc-1')).toEqual(added);
      expect(await colleagues.find('billing', 'svc-1')).toBeNull();
      expect(await colleagues.count('orders')).toBe(1);
      expect(await colleagues.count('billing')).toBe(0);
    });

    it('keeps NUL, accents, CJK and emoji in names and metadata (4-byte UTF-8 included)', async () => {
      const { colleagues } = stores();
      const added = colleague('orders', 'svc-utf8', {
        name: 'Zoë 🚀 \u0000 名前',
        handles: ['order_📦'],
        metadata: { 'k\u0000': 'v\u0000🚀', ключ: ['名前', '😀'] },
      });
      await colleagues.add(added, registered('orders'));
      expect(await colleagues.find('orders', 'svc-utf8')).toEqual(added);
    });

    it('refuses a duplicate id in one mediator with ColleagueExistsError', async () => {
      const { colleagues } = stores();
      await colleagues.add(colleague('orders', 'svc-1'), registered('orders'));
      await expect(
        colleagues.add(colleague('orders', 'svc-1', { name: 'again' }), registered('orders')),
      ).rejects.toBeInstanceOf(ColleagueExistsError);
      expect((await colleagues.find('orders', 'svc-1'))?.name).toBe('colleague svc-1');
      // The same id in another mediator is another colleague.
      await colleagues.add(colleague('billing', 'svc-1'), registered('billing'));
      expect(await colleagues.count('billing')).toBe(1);
    });

    it('never exceeds the limit, even with concurrent registrations', async () => {
      const { colleagues } = stores();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          colleagues.add(colleague('orders', `svc-${i}`), registered('orders'), 5),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(MaxColleaguesReachedError);
      }
      expect(await colleagues.count('orders')).toBe(5);
      // A duplicate id is reported as such, also at the limit.
      await expect(
        colleagues.add(colleague('orders', 'svc-0'), registered('orders'), 5),
      ).rejects.toBeInstanceOf(ColleagueExistsError);
    });

    it('refuses a colleague of a missing mediator with MediatorNotFoundError', async () => {
      const { colleagues } = stores();
      await expect(
        colleagues.add(colleague('nowhere', 'svc-1'), registered('nowhere')),
      ).rejects.toBeInstanceOf(MediatorNotFoundError);
      expect(await colleagues.count('nowhere')).toBe(0);
    });

    it('lists by id in pages, optionally of one type', async () => {
      const { colleagues } = stores();
      for (const [id, type] of [
        ['e', 'task'],
        ['a', 'task'],
        ['d', 'event'],
        ['b', 'task'],
        ['c', 'event'],
      ] as const)
        await colleagues.add(colleague('orders', id, { type }), registered('orders'));
      await colleagues.add(colleague('billing', 'z'), registered('billing'));

      const first = await colleagues.list('orders', { limit: 2 });
      expect(first.items.map((c) => c.id)).toEqual(['a', 'b']);
      const second = await colleagues.list('orders', {
        limit: 2,
        after: decodeCursor(first.nextCursor!),
      });
      expect(second.items.map((c) => c.id)).toEqual(['c', 'd']);
      const third = await colleagues.list('orders', {
        limit: 2,
        after: decodeCursor(second.nextCursor!),
      });
      expect(third.items.map((c) => c.id)).toEqual(['e']);
      expect(third.nextCursor).toBeNull();

      const tasks = await colleagues.list('orders', { limit: 2 }, 'task');
      expect(tasks.items.map((c) => c.id)).toEqual(['a', 'b']);
      const moreTasks = await colleagues.list(
        'orders',
        { limit: 2, after: decodeCursor(tasks.nextCursor!) },
        'task',
      );
      expect(moreTasks.items.map((c) => c.id)).toEqual(['e']);
      expect(moreTasks.nextCursor).toBeNull();
    });

    it('lists only the active colleagues for routing', async () => {
      const { colleagues } = stores();
      await colleagues.add(colleague('orders', 'b'), registered('orders'));
      await colleagues.add(colleague('orders', 'a'), registered('orders'));
      await colleagues.add(colleague('orders', 'off', { active: false }), registered('orders'));
      expect((await colleagues.listActive('orders')).map((c) => c.id)).toEqual(['a', 'b']);
    });

    it('updates a colleague', async () => {
      const { colleagues } = stores();
      await colleagues.add(colleague('orders', 'svc-1'), registered('orders'));
      const changed = colleague('orders', 'svc-1', {
        name: 'renamed',
        active: false,
        handles: [],
        subscriptions: ['a', 'b'],
        metadata: {},
      });
      await colleagues.update(changed, event('colleague_updated', 'orders'));
      expect(await colleagues.find('orders', 'svc-1')).toEqual(changed);
    });

    it('removes a colleague; removing it again is false', async () => {
      const { colleagues } = stores();
      await colleagues.add(colleague('orders', 'svc-1'), registered('orders'));
      const removed = event('colleague_unregistered', 'orders');
      expect(await colleagues.remove('orders', 'svc-1', removed)).toBe(true);
      expect(await colleagues.find('orders', 'svc-1')).toBeNull();
      expect(await colleagues.remove('orders', 'svc-1', removed)).toBe(false);
    });
  });
}
