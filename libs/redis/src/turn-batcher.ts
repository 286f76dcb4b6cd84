/** Inputs per `run`: bounds the arguments of one Redis command. */
const MAX_BATCH = 500;

interface Queued<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the calls made in one turn of the event loop into one `run`: under load many requests
 * reach the same Redis look-up in the same turn (their sockets were read in one poll phase, or
 * one reply resumed them all), and one round trip for all of them costs the process and Redis
 * far less than one each. The batch runs in setImmediate, after the turn's I/O callbacks and
 * their promise continuations: a call waits for the work already queued, never for a timer.
 * `run` answers every input, in order; when it rejects, every call of the batch rejects.
 */
export class TurnBatcher<I, O> {
  private queued: Queued<I, O>[] = [];

  constructor(private readonly run: (inputs: I[]) => Promise<O[]>) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.queued.push({ input, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = [];
    for (let i = 0; i < queued.length; i += MAX_BATCH) this.settle(queued.slice(i, i + MAX_BATCH));
  }

  private settle(batch: Queued<I, O>[]): void {
    let answered: Promise<O[]>;
    try {
      answered = this.run(batch.map((q) => q.input));
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered.then(
      (outputs) => batch.forEach((q, i) => q.resolve(outputs[i])),
      (error: unknown) => batch.forEach((q) => q.reject(error)),
    );
  }
}
