import type { Cache } from 'cache-manager';
import type { ColleagueInfo, LifecycleEvent, MediatorInfo } from '@mediator/core';
import { TurnBatcher } from '@mediator/redis';
import type { Page, PageRequest } from './pagination';
import { ColleagueRepository, MediatorRepository } from './ports';

/** The cache key of a mediator's entry: its record with its colleague count. */
const mediatorKey = (name: string) => `mediator:${name}`;
/**
 * The cache key of a mediator's active colleagues (every broadcast, publish and handler choice
 * reads them). Dropped by each change of one of its colleagues, and with the mediator's own entry
 * when the mediator is created or removed (its colleagues go with it).
 */
const activeColleaguesKey = (mediator: string) => `colleagues:active:${mediator}`;

/**
 * Reads of the cache. With a remote store (Redis) the reads of one turn of the event loop go as
 * one MGET: a busy instance looks the same mediator and colleagues up for many sends at once,
 * and a send looks its sender and recipient up together. A key asked for twice is read once.
 */
class CacheReads {
  private readonly batch?: TurnBatcher<string, unknown>;

  constructor(
    private readonly cache: Cache,
    batched: boolean,
  ) {
    if (batched) this.batch = new TurnBatcher((keys) => this.readMany(keys));
  }

  get<T>(key: string): Promise<T | undefined> {
    if (!this.batch) return this.cache.get<T>(key);
    return this.batch.submit(key) as Promise<T | undefined>;
  }

  private async readMany(keys: string[]): Promise<unknown[]> {
    const unique = [...new Set(keys)];
    const values = await this.cache.mget<unknown>(unique);
    const byKey = new Map(unique.map((key, i) => [key, values[i]]));
    return keys.map((key) => byKey.get(key));
  }
}

/**
 * Registry look-ups (the send path, `GET /mediators/{name}`) come from the cache; every change
 * through this instance invalidates the entry (with Redis configured, the cache is shared by all
 * instances, so the invalidation reaches them all). A registration or unregistration invalidates
 * its mediator's entry too (CachedColleagueRepository), so the cached colleague count is the live
 * one. Dates do not survive a JSON cache store (Redis), so entries are revived on the way out,
 * as copies: the in-memory store keeps entries as objects, which callers must not change.
 * `batchReads`: gather the look-ups of one turn into one read (for a remote store, see CacheReads).
 */
export class CachedMediatorRepository extends MediatorRepository {
  private readonly reads: CacheReads;

  constructor(
    private readonly inner: MediatorRepository,
    private readonly cache: Cache,
    private readonly ttlMs: number,
    batchReads = false,
  ) {
    super();
    this.reads = new CacheReads(cache, batchReads);
  }
  count() {
    return this.inner.count();
  }
  list(page: PageRequest): Promise<Page<MediatorInfo>> {
    return this.inner.list(page);
  }
  async find(name: string): Promise<MediatorInfo | null> {
    const cached = await this.reads.get<MediatorInfo>(mediatorKey(name));
    if (cached)
      return {
        ...cached,
        createdAt: new Date(cached.createdAt),
        updatedAt: new Date(cached.updatedAt),
      };
    const found = await this.inner.find(name);
    // A copy: an in-memory store keeps the object itself, and the caller owns `found`.
    if (found) await this.cache.set(mediatorKey(name), { ...found }, this.ttlMs);
    return found;
  }
  async create(m: MediatorInfo, e: LifecycleEvent) {
    const created = await this.inner.create(m, e);
    await this.cache.mdel([mediatorKey(m.name), activeColleaguesKey(m.name)]);
    return created;
  }
  async update(m: MediatorInfo, e: LifecycleEvent) {
    const updated = await this.inner.update(m, e);
    await this.cache.del(mediatorKey(m.name));
    return updated;
  }
  async remove(name: string, e: LifecycleEvent) {
    const removed = await this.inner.remove(name, e);
    await this.cache.mdel([mediatorKey(name), activeColleaguesKey(name)]);
    return removed;
  }
}

export class CachedColleagueRepository extends ColleagueRepository {
  private readonly reads: CacheReads;
  /**
   * Changes of each mediator's colleagues made here: a list read from the database while one of
   * them was committed is not cached (it may miss the change, and would stay for the ttl).
   */
  private readonly changes = new Map<string, number>();

  constructor(
    private readonly inner: ColleagueRepository,
    private readonly cache: Cache,
    private readonly ttlMs: number,
    batchReads = false,
  ) {
    super();
    this.reads = new CacheReads(cache, batchReads);
  }
  private key(mediator: string, id: string) {
    return `colleague:${mediator}:${id}`;
  }
  async find(mediator: string, id: string): Promise<ColleagueInfo | null> {
    const cached = await this.reads.get<ColleagueInfo | { missing: true }>(this.key(mediator, id));
    if (cached && !('missing' in cached))
      return { ...cached, registeredAt: new Date(cached.registeredAt) };
    const found = await this.inner.find(mediator, id);
    if (found) await this.cache.set(this.key(mediator, id), { ...found }, this.ttlMs);
    return found;
  }
  async listActive(mediator: string): Promise<ColleagueInfo[]> {
    const key = activeColleaguesKey(mediator);
    const cached = await this.reads.get<ColleagueInfo[]>(key);
    if (cached) return cached.map((c) => ({ ...c, registeredAt: new Date(c.registeredAt) }));
    const before = this.changes.get(mediator);
    const found = await this.inner.listActive(mediator);
    if (this.changes.get(mediator) === before)
      await this.cache.set(
        key,
        found.map((c) => ({ ...c })),
        this.ttlMs,
      );
    return found;
  }
  count(mediator: string) {
    return this.inner.count(mediator);
  }
  list(mediator: string, page: PageRequest, type?: string) {
    return this.inner.list(mediator, page, type);
  }
  async add(c: ColleagueInfo, e: LifecycleEvent, limit?: number) {
    const added = await this.changing(c.mediator, () => this.inner.add(c, e, limit));
    await this.cache.mdel([
      this.key(c.mediator, c.id),
      mediatorKey(c.mediator),
      activeColleaguesKey(c.mediator),
    ]);
    return added;
  }
  async update(c: ColleagueInfo, e: LifecycleEvent) {
    const updated = await this.changing(c.mediator, () => this.inner.update(c, e));
    await this.cache.mdel([this.key(c.mediator, c.id), activeColleaguesKey(c.mediator)]);
    return updated;
  }
  async remove(mediator: string, id: string, e: LifecycleEvent) {
    const removed = await this.changing(mediator, () => this.inner.remove(mediator, id, e));
    await this.cache.mdel([
      this.key(mediator, id),
      mediatorKey(mediator),
      activeColleaguesKey(mediator),
    ]);
    return removed;
  }
  /** Drops every cached colleague of a removed mediator that this instance may hold. */
  async forgetMediator(mediator: string, ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.cache.del(this.key(mediator, id))));
  }

  /**
   * Counts a change before and after it is committed (a list read started before the commit and
   * finished after it is not cached); the callers then drop the cached entries it changed.
   */
  private async changing<T>(mediator: string, change: () => Promise<T>): Promise<T> {
    this.changed(mediator);
    try {
      return await change();
    } finally {
      this.changed(mediator);
    }
  }

  private changed(mediator: string): void {
    // One number per mediator ever changed through this instance.
    this.changes.set(mediator, (this.changes.get(mediator) ?? 0) + 1);
  }
}
