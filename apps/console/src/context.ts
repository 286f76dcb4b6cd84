import type { Live } from './live';
import type { Session } from './session';

/** What every view gets: the signed-in session, the live events, and where to draw. */
export interface ViewContext {
  session: Session;
  live: Live;
  main: HTMLElement;
  /** Recent message rate per mediator, from the lifecycle events seen since the page opened. */
  rates: RateMeter;
}

/**
 * A view draws into `main` from the route's parameters and query (`#/audit?actor=x`) and
 * returns what stops its timers and listeners.
 */
export type View = (
  ctx: ViewContext,
  params: string[],
  query: URLSearchParams,
) => Promise<() => void>;

const WINDOW_MS = 60_000;

/** Messages per minute per mediator over the last minute, counted from `message_*` events. */
export class RateMeter {
  private readonly seen = new Map<string, number[]>();

  count(mediator: string, at = Date.now()): void {
    const times = this.seen.get(mediator) ?? [];
    times.push(at);
    this.seen.set(mediator, times);
  }

  perMinute(mediator: string, now = Date.now()): number {
    const recent = (this.seen.get(mediator) ?? []).filter((t) => now - t < WINDOW_MS);
    this.seen.set(mediator, recent);
    return recent.length;
  }
}

/**
 * Calls `fn` now and every `ms` (longer while `backoffMs` says so: rate limited) until the
 * returned function is called.
 */
export function every(
  ms: number,
  fn: () => Promise<void> | void,
  backoffMs: () => number = () => 0,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      await fn();
    } catch {
      // A failed refresh shows its error in the view; the next tick tries again.
    }
    if (!stopped) timer = setTimeout(() => void tick(), Math.max(ms, backoffMs()));
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
