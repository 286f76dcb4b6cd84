import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { TurnBatcher } from '@mediator/redis';

/** The record @nestjs/throttler expects back (its ThrottlerStorageRecord; times in seconds). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Hits, in order and atomically, each as one call would be: while the block key lives the request
 * is refused and not counted; otherwise the window counter is incremented (expiring after the
 * window), and the hit past the limit starts a block of `blockDuration` and resets the window —
 * the semantics of the in-memory ThrottlerStorageService, so behaviour does not change when
 * Redis is switched on. Per hit, KEYS: hits, block; ARGV: ttl ms, limit, block ms. Returns per
 * hit: hits, ms to window end, blocked, ms to block end.
 */
const INCREMENT_SCRIPT = `
local out = {}
for i = 1, #KEYS / 2 do
  local hitsKey, blockKey = KEYS[2 * i - 1], KEYS[2 * i]
  local ttl = tonumber(ARGV[3 * i - 2])
  local limit = tonumber(ARGV[3 * i - 1])
  local block = tonumber(ARGV[3 * i])
  local n = #out
  local blockLeft = redis.call('PTTL', blockKey)
  if blockLeft > 0 then
    out[n + 1] = tonumber(redis.call('GET', blockKey) or '0')
    out[n + 2] = blockLeft
    out[n + 3] = 1
    out[n + 4] = blockLeft
  else
    local hits = redis.call('INCR', hitsKey)
    local left = redis.call('PTTL', hitsKey)
    if left < 0 then
      redis.call('PEXPIRE', hitsKey, ttl)
      left = ttl
    end
    if hits > limit then
      redis.call('SET', blockKey, hits, 'PX', block)
      redis.call('DEL', hitsKey)
      out[n + 1], out[n + 2], out[n + 3], out[n + 4] = hits, block, 1, block
    else
      out[n + 1], out[n + 2], out[n + 3], out[n + 4] = hits, left, 0, 0
    end
  end
end
return out
`;

interface Hit {
  base: string;
  ttl: number;
  limit: number;
  blockMs: number;
}

interface ThrottleCommands {
  /** numberOfKeys, then the keys of every hit, then the arguments of every hit. */
  mediatorThrottle(...args: Array<string | number>): Promise<number[]>;
}

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Rate-limit counters in Redis, so a limit holds across every instance (CONTRACT §2, DESIGN
 * rule 8).
 *
 * Hand-written because the published adapter, @nest-lab/throttler-storage-redis, declares NestJS
 * ≤ 11 peer ranges, which NestJS 12 does not satisfy (INFRA.md), and every dependency here is
 * installed with its peer ranges holding. The whole ThrottlerStorage contract of
 * @nestjs/throttler 6 is one `increment`, kept atomic by a Lua script. The hits of one turn of
 * the event loop (every transport's) go to Redis together, in one script call.
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
  private readonly hits = new TurnBatcher<Hit, ThrottlerStorageRecord>((hits) => this.count(hits));

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly fallback: ThrottlerStorage,
  ) {
    // No numberOfKeys: a call passes it, two keys per hit.
    redis.defineCommand('mediatorThrottle', { lua: INCREMENT_SCRIPT });
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
      return await this.hits.submit({
        base,
        ttl,
        limit,
        blockMs: blockDuration > 0 ? blockDuration : ttl,
      });
    } catch (error) {
      this.logUnavailable(error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private async count(hits: Hit[]): Promise<ThrottlerStorageRecord[]> {
    if (this.redis.status !== 'ready') throw new Error(`connection ${this.redis.status}`);
    const reply = await this.redis.mediatorThrottle(
      hits.length * 2,
      ...hits.flatMap((h) => [`${h.base}:hits`, `${h.base}:block`]),
      ...hits.flatMap((h) => [h.ttl, h.limit, h.blockMs]),
    );
    return hits.map((_, i) => ({
      totalHits: reply[4 * i],
      timeToExpire: Math.ceil(reply[4 * i + 1] / 1000),
      isBlocked: reply[4 * i + 2] === 1,
      timeToBlockExpire: Math.ceil(reply[4 * i + 3] / 1000),
    }));
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
