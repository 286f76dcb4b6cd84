/**
 * Requests waiting for their reply, by correlation id: for a RequestPort whose replies arrive
 * apart from the request (a REST `POST messages/{id}/reply`, a Kafka response). The mediator
 * enforces the timeout and calls the port's `cancel`, which should call `forget` here.
 */
export class PendingReplies {
  private readonly waiting = new Map<
    string,
    { resolve: (reply: unknown) => void; reject: (error: unknown) => void }
  >();

  wait(correlationId: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.waiting.set(correlationId, { resolve, reject }));
  }

  /** Stops waiting (the mediator timed out); the promise of `wait` stays unsettled. */
  forget(correlationId: string): void {
    this.waiting.delete(correlationId);
  }

  /** Hands the reply to the waiting request; false when none waits (late or unknown). */
  resolve(correlationId: string, reply: unknown): boolean {
    return this.settle(correlationId, (w) => w.resolve(reply));
  }

  reject(correlationId: string, error: unknown): boolean {
    return this.settle(correlationId, (w) => w.reject(error));
  }

  get size(): number {
    return this.waiting.size;
  }

  private settle(
    correlationId: string,
    settle: (w: { resolve: (r: unknown) => void; reject: (e: unknown) => void }) => void,
  ): boolean {
    const waiter = this.waiting.get(correlationId);
    if (!waiter) return false;
    this.waiting.delete(correlationId);
    settle(waiter);
    return true;
  }
}
