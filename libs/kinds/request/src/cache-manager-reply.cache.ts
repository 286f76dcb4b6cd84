import type { Cache } from 'cache-manager';
import { ReplyCache } from '@mediator/core';

const KEY_PREFIX = 'query-reply:';

/**
 * The core's ReplyCache on cache-manager (CACHE_MANAGER): in memory by default, in Redis when
 * configured, so every instance answers a repeated query from the same entry. A reply is wrapped
 * because a handler may reply `null`, which cache-manager could not tell from a miss.
 */
export class CacheManagerReplyCache extends ReplyCache {
  constructor(private readonly cache: Cache) {
    super();
  }

  async get(key: string): Promise<{ reply: unknown } | null> {
    const entry = await this.cache.get<{ reply: unknown }>(KEY_PREFIX + key);
    return entry ?? null;
  }

  async set(key: string, reply: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.cache.set(KEY_PREFIX + key, { reply }, ttlMs);
  }
}
