import { TurnBatcher } from './turn-batcher';

describe('TurnBatcher', () => {
  it('runs the calls of one turn together, answering each in order', async () => {
    const runs: number[][] = [];
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      runs.push(inputs);
      return inputs.map((n) => n * 10);
    });
    // Calls from promise continuations of the same turn join the batch too.
    const answers = await Promise.all([
      batcher.submit(1),
      Promise.resolve().then(() => batcher.submit(2)),
      batcher.submit(3),
    ]);
    expect(answers).toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 3, 2]]);
    expect(await batcher.submit(4)).toBe(40);
    expect(runs).toHaveLength(2);
  });

  it('rejects every call of a batch that failed, and runs the next one afresh', async () => {
    let fail = true;
    const batcher = new TurnBatcher<string, string>(async (inputs) => {
      if (fail) throw new Error('down');
      return inputs;
    });
    const failed = [batcher.submit('a'), batcher.submit('b')];
    await expect(failed[0]).rejects.toThrow('down');
    await expect(failed[1]).rejects.toThrow('down');
    fail = false;
    await expect(batcher.submit('c')).resolves.toBe('c');
  });

  it('rejects the calls when run throws instead of rejecting', async () => {
    const batcher = new TurnBatcher<number, number>(() => {
      throw new Error('sync');
    });
    await expect(batcher.submit(1)).rejects.toThrow('sync');
  });

  it('splits a large turn into bounded runs', async () => {
    const sizes: number[] = [];
    const batcher = new TurnBatcher<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      return inputs;
    });
    const answers = await Promise.all(Array.from({ length: 1200 }, (_, i) => batcher.submit(i)));
    expect(answers[1199]).toBe(1199);
    expect(sizes).toEqual([500, 500, 200]);
  });
});
