import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { RedisConnections } from '@mediator/redis';
import { AuthGuard } from './auth.guard';
import { RateLimitGuard } from './rate-limit.guard';
import { MemoryThrottlerStorage } from './memory-throttler.storage';
import { RateLimiter } from './rate-limiter';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { RouteAuthMetadata } from './route-auth';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [
    JwtModule.register({}),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, RedisConnections],
      useFactory: (config: AppConfig, redis: RedisConnections) => ({
        // With Redis configured the counters are shared, so a limit holds across instances;
        // while Redis is away each instance counts on its own.
        storage: redis.enabled
          ? new RedisThrottlerStorage(
              redis.commands,
              `${redis.prefix}throttle:`,
              new MemoryThrottlerStorage(),
            )
          : new MemoryThrottlerStorage(),
        throttlers: [
          {
            name: 'default',
            ttl: config.security.rateLimitWindowMs,
            limit: config.security.rateLimitRequests,
          },
        ],
      }),
    }),
  ],
  providers: [
    TokenService,
    RateLimiter,
    RouteAuthMetadata,
    // Order matters: authenticate first, so the rate limit counts per token subject.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [TokenService, RateLimiter],
})
export class AuthModule {}
