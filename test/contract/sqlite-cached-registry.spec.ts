// The registry behind the cache, as the service wires it when `cache.enabled`: two "instances"
// (their own cached repositories) share one cache, as instances share Redis.
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { DataSource } from 'typeorm';
import { BoundedMap } from '@mediator/persistence/bounded-map';
import {
  CachedColleagueRepository,
  CachedMediatorRepository,
} from '@mediator/persistence/cached-repositories';
import { TypeOrmColleagueRepository } from '@mediator/persistence/relational/typeorm-colleague.repository';
import { TypeOrmMediatorRepository } from '@mediator/persistence/relational/typeorm-mediator.repository';
import { colleague, event, mediator, useHarness } from './harness';
import { SQLITE_IN_MEMORY, sqlOptions, sqlStores } from './stores';

const TTL_MS = 60_000;

describe('registry behind a shared cache (SQLite)', () => {
  const sql = sqlStores(sqlOptions(SQLITE_IN_MEMORY));
  const stores = useHarness(sql);
  const cache = createCache({ stores: [new Keyv({ store: new BoundedMap(100) })] });
  const instance = (ds: DataSource) => ({
    mediators: new CachedMediatorRepository(new TypeOrmMediatorRepository(ds), cache, TTL_MS),
    colleagues: new CachedColleagueRepository(new TypeOrmColleagueRepository(ds), cache, TTL_MS),
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
});
