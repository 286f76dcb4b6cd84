import { type BatchOutcome, WriteCoalescer } from './write-coalescer';

/** A batch writer that records its batches and finishes each one when the test says so. */
function recordingWriter() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const write = (ops: number[]) => {
    batches.push(ops);
    return new Promise<BatchOutcome<string>[]>((done) =>
      finish.push(() =>
        done(
          ops.map((op) =>
            op < 0 ? { ok: false, error: new Error(`bad ${op}`) } : { ok: true, value: `#${op}` },
          ),
        ),
      ),
    );
  };
  return { batches, finish, write };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('WriteCoalescer', () => {
  it('writes a write submitted while idle in the same turn of the event loop, alone', async () => {
    const writer = recordingWriter();
    const coalescer = new WriteCoalescer(writer.write, 100);
    const result = coalescer.submit(1);
    await nextTurn();
    expect(writer.batches).toEqual([[1]]);
    writer.finish[0]();
    await expect(result).resolves.toBe('#1');
  });

  it('puts the writes submitted while a batch is written into the next batch, together', async () => {
    const writer = recordingWriter();
    const coalescer = new WriteCoalescer(writer.write, 100);
    const first = coalescer.submit(1);
    await nextTurn();
    const queued = [2, 3, 4].map((op) => coalescer.submit(op));
    await nextTurn();
    expect(writer.batches).toEqual([[1]]);

    writer.finish[0]();
    await first;
    await nextTurn();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    let settled = false;
    void Promise.all(queued).then(() => (settled = true));
    await nextTurn();
    expect(settled).toBe(false); // nothing resolves before its own batch is written

    writer.finish[1]();
    await expect(Promise.all(queued)).resolves.toEqual(['#2', '#3', '#4']);
  });

  it('caps a batch and writes the rest in the next one', async () => {
    const writer = recordingWriter();
    const coalescer = new WriteCoalescer(writer.write, 2);
    const all = [1, 2, 3].map((op) => coalescer.submit(op));
    await nextTurn();
    writer.finish[0]();
    await nextTurn();
    writer.finish[1]();
    await Promise.all(all);
    expect(writer.batches).toEqual([[1, 2], [3]]);
  });

  it('fails only the writes the batch reports as failed, and all of them when it throws', async () => {
    const writer = recordingWriter();
    const coalescer = new WriteCoalescer(writer.write, 100);
    const [good, bad] = [coalescer.submit(1), coalescer.submit(-1)];
    await nextTurn();
    writer.finish[0]();
    await expect(good).resolves.toBe('#1');
    await expect(bad).rejects.toThrow('bad -1');

    const broken = new WriteCoalescer<number, string>(() => Promise.reject(new Error('down')), 9);
    await expect(Promise.all([broken.submit(1), broken.submit(2)])).rejects.toThrow('down');
    // and it keeps going afterwards
    await expect(broken.submit(3)).rejects.toThrow('down');
  });
});
