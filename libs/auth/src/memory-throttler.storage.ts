import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Rate-limit counters in this process when Redis is off: a counter per window, the semantics of
 * RedisThrottlerStorage (the hit past the limit starts a block and ends the window), so behaviour
 * is the same with and without Redis.
 *
 * Replaces @nestjs/throttler's ThrottlerStorageService, which keeps one timestamp per hit and
 * filters them all on every request: its cost grows with the requests in the window, so a busy
 * caller (or a high limit) made every request slower the longer the window ran.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private sweeper?: NodeJS.Timeout;

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    return this.incrementNow(key, ttl, limit, blockDuration, throttlerName);
  }

  /** increment() without the promise: the counters are in this process, nothing to wait for. */
  incrementNow(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ThrottlerStorageRecord {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (window && window.blockedUntil > now) {
      const left = window.blockedUntil - now;
      return {
        totalHits: window.hits,
        timeToExpire: seconds(left),
        isBlocked: true,
        timeToBlockExpire: seconds(left),
      };
    }
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
      this.sweepEvery(ttl);
    }
    window.hits += 1;
    if (window.hits > limit) {
      const block = blockDuration > 0 ? blockDuration : ttl;
      window.blockedUntil = now + block;
      window.endsAt = now;
      return {
        totalHits: window.hits,
        timeToExpire: seconds(block),
        isBlocked: true,
        timeToBlockExpire: seconds(block),
      };
    }
    return {
      totalHits: window.hits,
      timeToExpire: seconds(window.endsAt - now),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /** Forgets the callers whose window and block are over, so idle callers do not pile up. */
  private sweepEvery(ms: number): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, window] of this.windows)
        if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(id);
    }, ms);
    this.sweeper.unref();
  }
}
