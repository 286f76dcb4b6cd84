import { ManualClock } from './timing';

describe('ManualClock', () => {
  it('runs timers in due order when time is advanced, and not before', () => {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const fired: string[] = [];
    clock.after(200, () => fired.push('b'));
    clock.after(100, () => fired.push('a'));
    const cancel = clock.after(150, () => fired.push('cancelled'));
    cancel();

    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(101);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.200Z');
  });

  it('moves time at once on sleep and records the delay', async () => {
    const clock = new ManualClock(0);
    await clock.sleep(1000);
    await clock.sleep(2000);
    expect(clock.slept).toEqual([1000, 2000]);
    expect(clock.now().getTime()).toBe(3000);
  });
});
