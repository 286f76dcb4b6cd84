import { Module } from '@nestjs/common';
import { RedisConnections } from '@mediator/redis';
import { HubRequestPort } from './hub-request.port';
import { LocalPresence, Presence, RedisPresence } from './presence';
import { RealtimeHub } from './realtime.hub';
import { LocalRequestReplies, RedisRequestReplies, RequestReplies } from './request-replies';

@Module({
  providers: [
    RealtimeHub,
    HubRequestPort,
    {
      provide: Presence,
      inject: [RedisConnections],
      useFactory: (redis: RedisConnections): Presence =>
        redis.enabled ? new RedisPresence(redis.commands, redis.prefix) : new LocalPresence(),
    },
    {
      provide: RequestReplies,
      inject: [RedisConnections],
      useFactory: (redis: RedisConnections): RequestReplies =>
        redis.enabled
          ? new RedisRequestReplies(
              redis.commands,
              redis.openPubSub('request-answers'),
              redis.prefix,
            )
          : new LocalRequestReplies(),
    },
  ],
  exports: [RealtimeHub, HubRequestPort, RequestReplies],
})
export class RealtimeModule {}
