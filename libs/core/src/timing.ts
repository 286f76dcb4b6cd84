import type { Clock } from './ports';

/**
 * Timers behind an interface, so timeouts, retry backoff and heartbeats can be driven by a
 * virtual clock in tests instead of real waiting.
 */
export interface Scheduler {
  /** Calls `callback` after `delayMs`; the returned function cancels it. */
  after(delayMs: number, callback: () => void): () => void;
  /** Resolves after `delayMs`. */
  sleep(delayMs: number): Promise<void>;
}

export const systemScheduler: Scheduler = {
  after(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
  sleep: (delayMs) => new Promise((resolve) => setTimeout(resolve, delayMs)),
};

/**
 * A clock that only moves when told to: `advance(ms)` runs the timers that fall due, and `sleep`
 * moves time forward at once (recording the delay), so backoff can be asserted without waiting.
 */
export class ManualClock implements Clock, Scheduler {
  private current: number;
  private timers: { due: number; seq: number; callback: () => void }[] = [];
  private seq = 0;
  readonly slept: number[] = [];

  constructor(start: Date | string | number = '2024-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  after(delayMs: number, callback: () => void): () => void {
    const timer = { due: this.current + delayMs, seq: this.seq++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  async sleep(delayMs: number): Promise<void> {
    this.slept.push(delayMs);
    this.advance(delayMs);
  }

  /** Moves time forward by `ms` and runs, in order, the timers that fall due. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  set(time: Date | string | number): void {
    this.current = new Date(time).getTime();
    const due = this.timers
      .filter((t) => t.due <= this.current)
      .sort((a, b) => a.due - b.due || a.seq - b.seq);
    this.timers = this.timers.filter((t) => t.due > this.current);
    for (const timer of due) timer.callback();
  }
}
