// The Redis look-ups that a busy instance gathers into one round trip per turn of the event loop
// (rate-limit hits, presence) answer each call as if it had gone alone.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryThrottlerStorage } from '../../libs/auth/src/memory-throttler.storage';
import { RedisThrottlerStorage } from '../../libs/auth/src/redis-throttler.storage';
import { RedisPresence } from '../../libs/realtime/src/presence';
import { redisServer } from './support/servers';

describe('Redis look-ups of one turn, in one round trip', () => {
  const prefix = `batching-${randomUUID()}:`;
  let redis: Redis;

  beforeAll(async () => {
    const server = await redisServer();
    redis = new Redis({ host: server.host, port: server.port, lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('rate-limit hits of one turn count in order: the hit past the limit and every later one are refused', async () => {
    const storage = new RedisThrottlerStorage(redis, prefix, new MemoryThrottlerStorage());
    const hit = (key: string) => storage.increment(key, 60_000, 3, 30_000, 'default');
    const records = await Promise.all([hit('a'), hit('a'), hit('b'), hit('a'), hit('a'), hit('a')]);
    expect(records.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [1, false],
      [3, false],
      [4, true],
      [4, true],
    ]);
    expect(records[0].timeToExpire).toBe(60);
    expect(records[4].timeToBlockExpire).toBe(30);
    // The window's counter shows in Redis as one counter per tracker, shared by every instance.
    expect(await redis.get(`${prefix}{default:b}:hits`)).toBe('1');
    expect(await hit('a')).toMatchObject({ isBlocked: true });
    expect(await hit('b')).toMatchObject({ totalHits: 2, isBlocked: false });
  });

  it('presence look-ups of one turn answer each for its own colleagues, across instances', async () => {
    const [one, two] = [new RedisPresence(redis, prefix), new RedisPresence(redis, prefix)];
    await one.track('m1', 'alice', 1);
    await two.track('m1', 'bob', 1);
    await two.track('m2', 'alice', 1);
    const [m1, m2, none, single] = await Promise.all([
      one.onlineAmong('m1', ['alice', 'bob', 'carol']),
      two.onlineAmong('m2', ['alice', 'bob']),
      one.onlineAmong('m3', ['alice']),
      two.isOnline('m1', 'bob'),
    ]);
    expect([...m1].sort()).toEqual(['alice', 'bob']);
    expect([...m2]).toEqual(['alice']);
    expect(none.size).toBe(0);
    expect(single).toBe(true);
    await two.track('m1', 'bob', -1);
    expect(await one.isOnline('m1', 'bob')).toBe(false);
    await Promise.all([one.onApplicationShutdown(), two.onApplicationShutdown()]);
  });
});
