import { Module } from '@nestjs/common';
import { RedisConnections } from '@mediator/redis';
import { LocalPresence, Presence, RedisPresence } from './presence';
import { RealtimeHub } from './realtime.hub';

@Module({
  providers: [
    RealtimeHub,
    {
      provide: Presence,
      inject: [RedisConnections],
      useFactory: (redis: RedisConnections): Presence =>
        redis.enabled ? new RedisPresence(redis.commands, redis.prefix) : new LocalPresence(),
    },
  ],
  exports: [RealtimeHub],
})
export class RealtimeModule {}
