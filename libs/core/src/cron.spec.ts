import { CronSchedule } from './cron';
import { MediatorError } from './errors';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) =>
  CronSchedule.parse(expr).next(at(after))?.toISOString();

describe('CronSchedule', () => {
  it('with 6 fields fires every second', () => {
    const times = CronSchedule.parse('* * * * * *').between(
      at('2024-01-01T00:00:00.500Z'),
      at('2024-01-01T00:00:03Z'),
    );
    expect(times.map((t) => t.toISOString())).toEqual([
      '2024-01-01T00:00:01.000Z',
      '2024-01-01T00:00:02.000Z',
      '2024-01-01T00:00:03.000Z',
    ]);
  });

  it.each([
    ['*/5 * * * *', '2024-01-01T00:07:00Z', '2024-01-01T00:10:00.000Z'],
    ['0 9 * * MON-FRI', '2024-01-05T10:00:00Z', '2024-01-08T09:00:00.000Z'], // Fri → Mon
    ['30 2 1 * *', '2024-01-01T02:30:00Z', '2024-02-01T02:30:00.000Z'],
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'], // leap day
    ['*/15 30 * * * *', '2024-01-01T00:30:59Z', '2024-01-01T01:30:00.000Z'],
    ['0 12 * JAN,jul 0', '2024-01-01T00:00:00Z', '2024-01-07T12:00:00.000Z'], // first Sunday
    ['0 0 13 * 5', '2024-01-01T00:00:00Z', '2024-01-05T00:00:00.000Z'], // dom OR dow: Friday 5th
    ['0 0 * * 7', '2024-01-01T00:00:00Z', '2024-01-07T00:00:00.000Z'], // 7 is Sunday
    ['10-20/5 * * * * *', '2024-01-01T00:00:12Z', '2024-01-01T00:00:15.000Z'],
  ])('%s after %s is %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it('returns null for a date that never comes', () => {
    expect(CronSchedule.parse('0 0 31 2 *').next(at('2024-01-01T00:00:00Z'))).toBeNull();
  });

  it('matches only whole seconds on the schedule', () => {
    const cron = CronSchedule.parse('0 */2 * * * *');
    expect(cron.matches(at('2024-01-01T00:02:00Z'))).toBe(true);
    expect(cron.matches(at('2024-01-01T00:03:00Z'))).toBe(false);
    expect(cron.matches(at('2024-01-01T00:02:00.001Z'))).toBe(false);
  });

  it.each([
    '',
    '* * * *',
    '* * * * * * *',
    '60 * * * *',
    '* 24 * * *',
    '*/0 * * * *',
    '5-1 * * * *',
    'a * * * *',
    '* * * 13 *',
    '1/2/3 * * * *',
  ])('rejects %j with INVALID_SCHEDULE', (expr) => {
    let error: unknown;
    try {
      CronSchedule.parse(expr);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MediatorError);
    expect(error).toMatchObject({ code: 'INVALID_SCHEDULE', category: 'validation' });
  });
});
