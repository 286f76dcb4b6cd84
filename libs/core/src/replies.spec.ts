import { PendingReplies } from './replies';

describe('PendingReplies', () => {
  it('hands a reply or an error to the request waiting under that correlation id, once', async () => {
    const pending = new PendingReplies();
    const ok = pending.wait('c1');
    const failed = pending.wait('c2');

    expect(pending.resolve('c1', { total: 3 })).toBe(true);
    expect(pending.reject('c2', new Error('no stock'))).toBe(true);
    expect(pending.resolve('c1', 'late')).toBe(false);

    await expect(ok).resolves.toEqual({ total: 3 });
    await expect(failed).rejects.toThrow('no stock');
    expect(pending.size).toBe(0);
  });

  it('drops a reply to a forgotten (timed out) or unknown request', () => {
    const pending = new PendingReplies();
    void pending.wait('c1');
    pending.forget('c1');
    expect(pending.resolve('c1', 1)).toBe(false);
    expect(pending.resolve('unknown', 1)).toBe(false);
    expect(pending.size).toBe(0);
  });
});
