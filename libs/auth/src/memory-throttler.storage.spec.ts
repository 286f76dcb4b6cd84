import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const hit = (storage: MemoryThrottlerStorage, key = 'sub:a') =>
    storage.increment(key, 60_000, 3, 60_000, 'default');

  it('counts the hits of a window and blocks the one past the limit for the block duration', async () => {
    const storage = new MemoryThrottlerStorage();
    for (let i = 1; i <= 3; i++)
      expect(await hit(storage)).toEqual(
        expect.objectContaining({ totalHits: i, isBlocked: false }),
      );
    expect(await hit(storage)).toEqual(
      expect.objectContaining({ isBlocked: true, timeToBlockExpire: 60 }),
    );
    jest.advanceTimersByTime(30_000);
    expect(await hit(storage)).toEqual(
      expect.objectContaining({ isBlocked: true, timeToBlockExpire: 30 }),
    );
  });

  it('starts a new window once the block is over', async () => {
    const storage = new MemoryThrottlerStorage();
    for (let i = 0; i < 4; i++) await hit(storage);
    jest.advanceTimersByTime(60_001);
    expect(await hit(storage)).toEqual(expect.objectContaining({ totalHits: 1, isBlocked: false }));
  });

  it('starts a new window when the last one ended under the limit', async () => {
    const storage = new MemoryThrottlerStorage();
    await hit(storage);
    await hit(storage);
    jest.advanceTimersByTime(60_000);
    expect(await hit(storage)).toEqual(
      expect.objectContaining({ totalHits: 1, isBlocked: false, timeToExpire: 60 }),
    );
  });

  it('keeps one counter per key', async () => {
    const storage = new MemoryThrottlerStorage();
    for (let i = 0; i < 4; i++) await hit(storage, 'sub:a');
    expect(await hit(storage, 'sub:b')).toEqual(
      expect.objectContaining({ totalHits: 1, isBlocked: false }),
    );
  });
});
