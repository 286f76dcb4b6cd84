import { RateMeter } from './context';

describe('RateMeter', () => {
  it('counts the messages of the last minute per mediator', () => {
    const rates = new RateMeter();
    rates.count('shop', 0);
    rates.count('shop', 30_000);
    rates.count('back-office', 30_000);
    expect(rates.perMinute('shop', 59_999)).toBe(2);
    expect(rates.perMinute('shop', 60_000)).toBe(1);
    expect(rates.perMinute('back-office', 60_000)).toBe(1);
    expect(rates.perMinute('nobody', 60_000)).toBe(0);
  });
});
