import { ForbiddenError } from '@mediator/core';
import type { Principal } from '@mediator/auth';
import { TokenMismatchError, TooManySubscriptionsError } from './ws-errors';

/** setTimeout waits at most 2^31-1 ms (about 24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One Socket.IO connection: whose token it holds, which mediators it watches, and the timer that
 * ends it at the token's `exp` (a connection never outlives its token).
 */
export class SocketSession {
  private readonly watched = new Set<string>();
  private expiryTimer?: NodeJS.Timeout;
  private expire?: () => void;

  constructor(
    private current: Principal,
    private readonly address: string | undefined,
  ) {}

  get principal(): Principal {
    return this.current;
  }

  /** Where the connection came from: its budget when security is off (no subject to count). */
  get remoteAddress(): string | undefined {
    return this.address;
  }

  /** The colleague whose deliveries this socket receives, when the token is bound to one. */
  get colleague(): { mediator: string; id: string } | undefined {
    const { mediator, colleague } = this.current;
    return mediator && colleague ? { mediator, id: colleague } : undefined;
  }

  /**
   * A token may watch its own mediator; another one needs `mediators:read` and no binding to a
   * different mediator. `*` carries every mediator's events (colleague ids, message ids), so it
   * needs a token bound to no mediator and no colleague.
   */
  requireWatch(mediator: string, principal = this.current): void {
    if (mediator !== '*') {
      if (principal.mediator === mediator) return;
      principal.requireMediator(mediator);
      principal.requireScope('mediators:read');
      return;
    }
    principal.requireScope('mediators:read');
    const bound = principal.mediator !== undefined || principal.colleague !== undefined;
    if (bound && !principal.isAdmin)
      throw new ForbiddenError(
        "the token is bound to a mediator or colleague; '*' needs an unbound token",
        'MEDIATOR_FORBIDDEN',
      );
  }

  /** Records a subscription (again is a no-op); past `max` distinct ones it is refused. */
  watch(mediator: string, max: number): void {
    if (this.watched.has(mediator)) return;
    if (this.watched.size >= max) throw new TooManySubscriptionsError(max);
    this.watched.add(mediator);
  }

  unwatch(mediator: string): void {
    this.watched.delete(mediator);
  }

  /**
   * Takes a fresh token of the same subject and binding (its scopes may differ), moves the expiry
   * to its `exp`, and returns the subscriptions the new token may no longer hold (already dropped).
   */
  renew(next: Principal): string[] {
    if (next.sub !== this.current.sub) throw new TokenMismatchError('sub');
    if (next.mediator !== this.current.mediator || next.colleague !== this.current.colleague)
      throw new TokenMismatchError('mediator and colleague binding');
    this.current = next;
    const lost = [...this.watched].filter((mediator) => !this.mayWatch(mediator));
    lost.forEach((mediator) => this.watched.delete(mediator));
    this.armExpiry();
    return lost;
  }

  /** Calls `expire` once, when the token's `exp` passes (never for a principal without expiry). */
  onExpiry(expire: () => void): void {
    this.expire = expire;
    this.armExpiry();
  }

  close(): void {
    clearTimeout(this.expiryTimer);
    this.expire = undefined;
  }

  private mayWatch(mediator: string): boolean {
    try {
      this.requireWatch(mediator);
      return true;
    } catch {
      return false;
    }
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    const expire = this.expire;
    const expiresAt = this.current.expiresAt;
    if (!expire || !expiresAt) return;
    const wait = expiresAt.getTime() - Date.now();
    this.expiryTimer =
      wait > MAX_TIMER_MS
        ? setTimeout(() => this.armExpiry(), MAX_TIMER_MS)
        : setTimeout(() => {
            this.close();
            expire();
          }, wait);
    // A pending expiry must not hold the process open on shutdown.
    this.expiryTimer.unref();
  }
}
