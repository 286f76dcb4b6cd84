import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis-connections';

/** Redis for every module that needs it (cache, rate limits, presence, Socket.IO fan-out). */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
