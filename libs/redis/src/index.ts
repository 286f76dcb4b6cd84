export { RedisModule } from './redis.module';
export { RedisConnections } from './redis-connections';
export { TurnBatcher } from './turn-batcher';
