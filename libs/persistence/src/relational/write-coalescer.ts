interface Queued<Op, Result> {
  op: Op;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/** What a batch write answers for each of its operations, in order: a result or its own error. */
export type BatchOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Group commit: operations submitted while a batch is being written wait, and all of them are
 * written together in the next batch, so a busy store commits once for many operations instead
 * of once each. Nothing waits on a timer: an idle store starts writing in the same turn of the
 * event loop (setImmediate, right after the I/O callbacks of this turn), and no operation waits
 * longer than the batch in flight plus its own. Each promise settles only after its batch has
 * been written.
 *
 * Why setImmediate and not at once: with SQLite (better-sqlite3 is synchronous) a whole commit
 * runs in microtasks, so no request could ever arrive "while a commit is in flight"; writing
 * after the poll phase lets every request read in this turn of the loop join the same commit.
 */
export class WriteCoalescer<Op, Result> {
  private waiting: Queued<Op, Result>[] = [];
  private writing = false;

  constructor(
    private readonly writeBatch: (ops: Op[]) => Promise<BatchOutcome<Result>[]>,
    private readonly maxBatch: number,
  ) {}

  submit(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ op, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outcomes = await this.writeBatch(batch.map((q) => q.op));
        batch.forEach((queued, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) queued.resolve(outcome.value);
          else queued.reject(outcome.error);
        });
      } catch (error) {
        for (const queued of batch) queued.reject(error);
      }
    }
    this.writing = false;
  }
}
