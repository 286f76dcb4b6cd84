import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { RateLimitedError } from '@mediator/http';
import { MemoryThrottlerStorage } from './memory-throttler.storage';

/**
 * One budget per caller for every transport (CONTRACT §2): HTTP requests, Socket.IO events and
 * Kafka commands of the same token subject count against the same `security.rate_limit_*` window.
 * The counters live in the throttler storage (Redis when configured), so the budget holds across
 * instances too.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The tracker of a token subject. */
  static subject(sub: string): string {
    return `sub:${sub}`;
  }

  /** The tracker of a caller without a (valid) token. */
  static ip(ip: string | undefined): string {
    return `ip:${ip ?? 'unknown'}`;
  }

  /** Counts one call of `tracker` (unless rate limiting is off); past the limit: RateLimitedError. */
  async consume(tracker: string): Promise<void> {
    await this.charge(tracker);
  }

  /**
   * consume() that settles at once (returns nothing, or throws RateLimitedError) when the counters
   * are in this process, and returns a promise only when they are in Redis: the HTTP guard runs
   * on every request, and a promise per request is measurable there.
   */
  charge(tracker: string): void | Promise<void> {
    // security.rate_limit_enabled: false switches every transport off here, in one place.
    if (!this.config.security.rateLimitEnabled) return;
    const { rateLimitRequests: limit, rateLimitWindowMs: windowMs } = this.config.security;
    const key = `rate:${tracker}`;
    if (this.storage instanceof MemoryThrottlerStorage)
      return refuseIfBlocked(this.storage.incrementNow(key, windowMs, limit, windowMs, 'default'));
    return this.storage.increment(key, windowMs, limit, windowMs, 'default').then(refuseIfBlocked);
  }
}

function refuseIfBlocked(record: { isBlocked: boolean; timeToBlockExpire: number }): void {
  if (record.isBlocked) throw new RateLimitedError(Math.max(1, record.timeToBlockExpire));
}
