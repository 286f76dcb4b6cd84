import { DeliveryLog } from './delivery-log';
import type { Answer } from './wire';

const ok = (result: unknown): Promise<Answer> => Promise.resolve({ ok: true, result });
const failed: () => Promise<Answer> = () =>
  Promise.resolve({ ok: false, error: { code: 'BOOM', message: 'boom' } });

describe('DeliveryLog', () => {
  let now = 0;
  const log = (windowMs = 1000, maxEntries = 100) =>
    new DeliveryLog({ windowMs, maxEntries, now: () => now });
  beforeEach(() => (now = 0));

  it('runs the handler once per id and answers a repeat with the first answer', async () => {
    const l = log();
    const handle = jest.fn(() => ok('first'));
    expect(await l.answer('m1', handle)).toEqual({ ok: true, result: 'first' });
    expect(await l.answer('m1', () => ok('second'))).toEqual({ ok: true, result: 'first' });
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('answers a repeat that arrives while the handler still runs with the same answer', async () => {
    const l = log();
    let finish!: (a: Answer) => void;
    const first = l.answer('m1', () => new Promise<Answer>((r) => (finish = r)));
    const repeat = l.answer('m1', () => ok('never'));
    finish({ ok: true, result: 1 });
    expect(await Promise.all([first, repeat])).toEqual([
      { ok: true, result: 1 },
      { ok: true, result: 1 },
    ]);
  });

  it('forgets a failed delivery: its redelivery is a retry and reaches the handler', async () => {
    const l = log();
    await l.answer('m1', failed);
    const retry = jest.fn(() => ok('done'));
    expect(await l.answer('m1', retry)).toEqual({ ok: true, result: 'done' });
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('forgets ids after the window', async () => {
    const l = log(1000);
    await l.answer('m1', () => ok(1));
    now = 1001;
    const again = jest.fn(() => ok(2));
    await l.answer('m1', again);
    expect(again).toHaveBeenCalledTimes(1);
  });

  it('remembers at most maxEntries ids, forgetting the oldest', async () => {
    const l = log(60_000, 2);
    for (const id of ['a', 'b', 'c']) await l.answer(id, () => ok(id));
    expect(l.has('a')).toBe(false);
    expect(l.has('b') && l.has('c')).toBe(true);
  });
});
