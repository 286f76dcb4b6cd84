import { randomUUID } from 'node:crypto';
import type { Cache } from 'cache-manager';
import type { ColleagueInfo, LifecycleEvent, MediatorInfo } from '@mediator/core';
import { TurnBatcher } from '@mediator/redis';
import type { Page, PageRequest } from './pagination';
import { ColleagueRepository, MediatorRepository } from './ports';

/** The cache key of a mediator's entry: its record with its colleague count. */
const mediatorKey = (name: string) => `mediator:${name}`;
/**
 * A mediator's active colleagues (every broadcast, publish and handler choice reads them) are
 * cached under a version: every change of one of its colleagues, and the mediator's creation and
 * removal, sets a new version after it is committed, so a list read from the database before that
 * commit is stored under a version nobody asks for any more — on this instance or on another one
 * sharing the cache (Redis). The version outlives the lists it names; a missing version is set
 * anew before the database is read.
 */
const listVersionKey = (mediator: string) => `colleagues:active-version:${mediator}`;
const activeColleaguesKey = (mediator: string, version: string) =>
  `colleagues:active:${mediator}:${version}`;

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
    await this.cache.del(mediatorKey(m.name));
    await newListVersion(this.cache, m.name, this.ttlMs);
    return created;
  }
  async update(m: MediatorInfo, e: LifecycleEvent) {
    const updated = await this.inner.update(m, e);
    await this.cache.del(mediatorKey(m.name));
    return updated;
  }
  async remove(name: string, e: LifecycleEvent) {
    const removed = await this.inner.remove(name, e);
    await this.cache.del(mediatorKey(name));
    await newListVersion(this.cache, name, this.ttlMs);
    return removed;
  }
}

export class CachedColleagueRepository extends ColleagueRepository {
  private readonly reads: CacheReads;

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
    let version = await this.reads.get<string>(listVersionKey(mediator));
    if (version) {
      const cached = await this.reads.get<ColleagueInfo[]>(activeColleaguesKey(mediator, version));
      if (cached) return cached.map((c) => ({ ...c, registeredAt: new Date(c.registeredAt) }));
    } else version = await newListVersion(this.cache, mediator, this.ttlMs);
    const found = await this.inner.listActive(mediator);
    await this.cache.set(
      activeColleaguesKey(mediator, version),
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
    const added = await this.inner.add(c, e, limit);
    await this.cache.mdel([this.key(c.mediator, c.id), mediatorKey(c.mediator)]);
    await newListVersion(this.cache, c.mediator, this.ttlMs);
    return added;
  }
  async update(c: ColleagueInfo, e: LifecycleEvent) {
    const updated = await this.inner.update(c, e);
    await this.cache.del(this.key(c.mediator, c.id));
    await newListVersion(this.cache, c.mediator, this.ttlMs);
    return updated;
  }
  async remove(mediator: string, id: string, e: LifecycleEvent) {
    const removed = await this.inner.remove(mediator, id, e);
    await this.cache.mdel([this.key(mediator, id), mediatorKey(mediator)]);
    await newListVersion(this.cache, mediator, this.ttlMs);
    return removed;
  }
  /** Drops every cached colleague of a removed mediator that this instance may hold. */
  async forgetMediator(mediator: string, ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.cache.del(this.key(mediator, id))));
  }
}

/** Sets (and answers) a new version of a mediator's active colleague list; see listVersionKey. */
async function newListVersion(cache: Cache, mediator: string, ttlMs: number): Promise<string> {
  const version = randomUUID();
  await cache.set(listVersionKey(mediator), version, 2 * ttlMs);
  return version;
}
