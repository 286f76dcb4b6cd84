import type { Answer } from './wire';

export interface DeliveryLogOptions {
  /** How long a handled delivery's id is remembered. */
  windowMs?: number;
  /** At most this many ids are remembered (the oldest are forgotten first). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  answer: Promise<Answer>;
  /** When the handler finished; undefined while it runs. */
  settledAt?: number;
}

/**
 * At-least-once delivery means a message can arrive again: after a reconnect (the inbox is
 * redelivered), or when an ack was lost. The log runs the handler once per message id within a
 * window and answers a repeat with the first answer, so the service records the ack and the
 * handler never sees the duplicate. A failed answer is not remembered: a redelivery after a nack
 * is a retry and reaches the handler again.
 */
export class DeliveryLog {
  private readonly entries = new Map<string, Entry>();
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DeliveryLogOptions = {}) {
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Runs `handle` for a new id; for an id seen within the window, its (pending) first answer. */
  answer(id: string, handle: () => Promise<Answer>): Promise<Answer> {
    this.forgetExpired();
    const seen = this.entries.get(id);
    if (seen) return seen.answer;
    const entry: Entry = { answer: handle() };
    this.entries.set(id, entry);
    void entry.answer.then((answer) => {
      if (answer.ok) entry.settledAt = this.now();
      else if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    return entry.answer;
  }

  has(id: string): boolean {
    this.forgetExpired();
    return this.entries.has(id);
  }

  private forgetExpired(): void {
    const oldest = this.now() - this.windowMs;
    // Insertion order: the first entries are the oldest, so pruning stops at the first keeper.
    for (const [id, entry] of this.entries) {
      const full = this.entries.size > this.maxEntries;
      const expired = entry.settledAt !== undefined && entry.settledAt < oldest;
      if (!full && !expired) break;
      this.entries.delete(id);
    }
  }
}
