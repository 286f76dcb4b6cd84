import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

/** The record @nestjs/throttler expects back (its ThrottlerStorageRecord; times in seconds). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically: while the block key lives the request is refused and not counted;
 * otherwise the window counter is incremented (expiring after the window), and the hit past the
 * limit starts a block of `blockDuration` and resets the window — the semantics of the
 * in-memory ThrottlerStorageService, so behaviour does not change when Redis is switched on.
 * KEYS: hits, block. ARGV: ttl ms, limit, block ms. Returns hits, ms to window end, blocked, ms
 * to block end.
 */
const INCREMENT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { tonumber(redis.call('GET', KEYS[2]) or '0'), blockLeft, 1, blockLeft }
end
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], hits, 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return { hits, tonumber(ARGV[3]), 1, tonumber(ARGV[3]) }
end
return { hits, left, 0, 0 }
`;

type IncrementReply = [number, number, number, number];

interface ThrottleCommands {
  mediatorThrottle(
    hitsKey: string,
    blockKey: string,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<IncrementReply>;
}

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Rate-limit counters in Redis, so a limit holds across every instance (CONTRACT §2, DESIGN
 * rule 8).
 *
 * Hand-written because the published adapter, @nest-lab/throttler-storage-redis, declares NestJS
 * ≤ 11 peer ranges, which NestJS 12 does not satisfy (INFRA.md), and every dependency here is
 * installed with its peer ranges holding. The whole ThrottlerStorage contract of
 * @nestjs/throttler 6 is one `increment`, kept atomic by a Lua script.
 *
 * When Redis cannot be reached the counters of this instance take over (`fallback`, logged): an
 * outage of the shared counters must not turn into an outage of the API, nor into no limit at
 * all; each instance then allows the budget on its own until Redis answers again. The health
 * probe `redis` reports the outage.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly redis: Redis & ThrottleCommands;
  private lastErrorLog = 0;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly fallback: ThrottlerStorage,
  ) {
    redis.defineCommand('mediatorThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = redis as Redis & ThrottleCommands;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // A hash tag keeps both keys of one counter in one Redis Cluster slot.
    const base = `${this.prefix}{${throttlerName}:${key}}`;
    try {
      if (this.redis.status !== 'ready') throw new Error(`connection ${this.redis.status}`);
      const [totalHits, msToExpire, blocked, msToBlockExpire] = await this.redis.mediatorThrottle(
        `${base}:hits`,
        `${base}:block`,
        ttl,
        limit,
        blockDuration > 0 ? blockDuration : ttl,
      );
      return {
        totalHits,
        timeToExpire: Math.ceil(msToExpire / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(msToBlockExpire / 1000),
      };
    } catch (error) {
      this.logUnavailable(error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private logUnavailable(error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'rate-limit counters unavailable (Redis); counting per instance meanwhile',
    );
  }
}
