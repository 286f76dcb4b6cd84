export { RedisModule } from './redis.module';
export { RedisConnections } from './redis-connections';
