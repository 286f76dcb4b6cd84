// The registry behind the cache, as the service wires it when `cache.enabled`: two "instances"
// (their own cached repositories) share one cache, as instances share Redis.
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { DataSource } from 'typeorm';
import type { ColleagueInfo } from '@mediator/core';
import { BoundedMap } from '@mediator/persistence/bounded-map';
import type { ColleagueRepository } from '@mediator/persistence/ports';
import {
  CachedColleagueRepository,
  CachedMediatorRepository,
} from '@mediator/persistence/cached-repositories';
import { TypeOrmColleagueRepository } from '@mediator/persistence/relational/typeorm-colleague.repository';
import { TypeOrmMediatorRepository } from '@mediator/persistence/relational/typeorm-mediator.repository';
import { colleague, event, mediator, useHarness } from './harness';
import { SQLITE_IN_MEMORY, sqlOptions, sqlStores } from './stores';

const TTL_MS = 60_000;

// Batched reads: the look-ups of one turn as one read, as the service does with the Redis cache.
describe.each([false, true])(
  'registry behind a shared cache (SQLite, batched reads: %s)',
  (batched) => {
    const sql = sqlStores(sqlOptions(SQLITE_IN_MEMORY));
    const stores = useHarness(sql);
    const cache = createCache({ stores: [new Keyv({ store: new BoundedMap(100) })] });
    const instance = (ds: DataSource) => ({
      mediators: new CachedMediatorRepository(
        new TypeOrmMediatorRepository(ds),
        cache,
        TTL_MS,
        batched,
      ),
      colleagues: new CachedColleagueRepository(
        new TypeOrmColleagueRepository(ds),
        cache,
        TTL_MS,
        batched,
      ),
    });

    beforeEach(() => cache.clear());

    it('serves a cached mediator with the colleague count of the latest (un)registration', async () => {
      stores();
      const a = instance(sql.dataSource());
      const b = instance(sql.dataSource());
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      // Both instances have the entry cached before the registration.
      expect((await a.mediators.find('orders'))?.colleagueCount).toBe(0);
      expect((await b.mediators.find('orders'))?.colleagueCount).toBe(0);

      await b.colleagues.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      expect((await a.mediators.find('orders'))?.colleagueCount).toBe(1);
      await a.colleagues.add(colleague('orders', 'y'), event('colleague_registered', 'orders'));
      expect((await b.mediators.find('orders'))?.colleagueCount).toBe(2);

      await a.colleagues.remove('orders', 'x', event('colleague_unregistered', 'orders'));
      expect((await b.mediators.find('orders'))?.colleagueCount).toBe(1);
      expect((await a.mediators.find('orders'))?.colleagueCount).toBe(1);
    });

    it('answers a cached entry without asking the database again', async () => {
      stores();
      const a = instance(sql.dataSource());
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      const first = await a.mediators.find('orders');
      await sql.dataSource().query(`UPDATE mediators SET description = 'changed behind the cache'`);
      // Dates are revived from the store's copy: the entry equals the first answer.
      expect(await a.mediators.find('orders')).toEqual(first);
    });

    it('answers look-ups made together each with its own entry, cached or not', async () => {
      stores();
      const a = instance(sql.dataSource());
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await a.colleagues.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      await a.colleagues.add(colleague('orders', 'y'), event('colleague_registered', 'orders'));
      await a.colleagues.find('orders', 'x');
      const [orders, again, none, x, y, missing] = await Promise.all([
        a.mediators.find('orders'),
        a.mediators.find('orders'),
        a.mediators.find('billing'),
        a.colleagues.find('orders', 'x'),
        a.colleagues.find('orders', 'y'),
        a.colleagues.find('orders', 'z'),
      ]);
      expect([orders?.name, again?.name, none]).toEqual(['orders', 'orders', null]);
      expect(orders).not.toBe(again);
      expect([x?.id, y?.id, missing]).toEqual(['x', 'y', null]);
      expect(y?.registeredAt).toBeInstanceOf(Date);
    });

    it("serves a mediator's active colleagues from the cache, fresh after every change on any instance", async () => {
      stores();
      const a = instance(sql.dataSource());
      const b = instance(sql.dataSource());
      const active = async (repos: ReturnType<typeof instance>) =>
        (await repos.colleagues.listActive('orders')).map((c) => c.id);
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await a.colleagues.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      expect(await active(a)).toEqual(['x']);
      expect(await active(b)).toEqual(['x']);

      await b.colleagues.add(colleague('orders', 'y'), event('colleague_registered', 'orders'));
      expect(await active(a)).toEqual(['x', 'y']);
      await a.colleagues.update(
        colleague('orders', 'x', { active: false }),
        event('colleague_updated', 'orders'),
      );
      expect(await active(b)).toEqual(['y']);
      await b.colleagues.remove('orders', 'y', event('colleague_unregistered', 'orders'));
      expect(await active(a)).toEqual([]);

      // Cached: a change behind the repositories is not seen, dates are revived, copies handed out.
      await a.colleagues.add(colleague('orders', 'z'), event('colleague_registered', 'orders'));
      const first = await a.colleagues.listActive('orders');
      await sql.dataSource().query(`UPDATE colleagues SET active = 0`);
      const again = await a.colleagues.listActive('orders');
      expect(again).toEqual(first);
      expect(again[0]).not.toBe(first[0]);
      expect(again[0].registeredAt).toBeInstanceOf(Date);
    });

    it("drops a removed mediator's active colleagues, so one created again under its name has none", async () => {
      stores();
      const a = instance(sql.dataSource());
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      await a.colleagues.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      expect((await a.colleagues.listActive('orders')).map((c) => c.id)).toEqual(['x']);

      await a.mediators.remove('orders', event('mediator_deleted', 'orders'));
      await a.mediators.create(mediator('orders'), event('mediator_created', 'orders'));
      expect(await a.colleagues.listActive('orders')).toEqual([]);
    });

    it('does not cache a list read while a registration was being committed', async () => {
      // The database's answer is held until the registration has committed: it misses the new
      // colleague, and caching it would hide that colleague for the ttl.
      let answer!: (list: ColleagueInfo[]) => void;
      const inner = {
        listActive: jest
          .fn()
          .mockReturnValueOnce(new Promise<ColleagueInfo[]>((resolve) => (answer = resolve)))
          .mockResolvedValue([colleague('orders', 'x')]),
        add: jest.fn().mockResolvedValue(colleague('orders', 'x')),
      };
      const colleagues = new CachedColleagueRepository(
        inner as unknown as ColleagueRepository,
        cache,
        TTL_MS,
        batched,
      );
      const stale = colleagues.listActive('orders');
      await new Promise((resolve) => setImmediate(resolve));
      await colleagues.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      answer([]);
      expect(await stale).toEqual([]);

      expect((await colleagues.listActive('orders')).map((c) => c.id)).toEqual(['x']);
      expect((await colleagues.listActive('orders')).map((c) => c.id)).toEqual(['x']);
      expect(inner.listActive).toHaveBeenCalledTimes(2);
    });

    it('does not serve a list read before another instance committed a change', async () => {
      let answer!: (list: ColleagueInfo[]) => void;
      const reader = {
        listActive: jest
          .fn()
          .mockReturnValueOnce(new Promise<ColleagueInfo[]>((resolve) => (answer = resolve)))
          .mockResolvedValue([colleague('orders', 'x')]),
      };
      const writer = { add: jest.fn().mockResolvedValue(colleague('orders', 'x')) };
      const a = new CachedColleagueRepository(
        reader as unknown as ColleagueRepository,
        cache,
        TTL_MS,
        batched,
      );
      const b = new CachedColleagueRepository(
        writer as unknown as ColleagueRepository,
        cache,
        TTL_MS,
        batched,
      );
      const stale = a.listActive('orders');
      await new Promise((resolve) => setImmediate(resolve));
      // Instance b registers x and commits while a's database read is still out.
      await b.add(colleague('orders', 'x'), event('colleague_registered', 'orders'));
      answer([]);
      expect(await stale).toEqual([]);

      expect((await a.listActive('orders')).map((c) => c.id)).toEqual(['x']);
      expect((await a.listActive('orders')).map((c) => c.id)).toEqual(['x']);
      expect(reader.listActive).toHaveBeenCalledTimes(2);
    });
  },
);
