import type { Principal } from './principal';

/** Tokens remembered at most; a token string is a few hundred bytes, so a few MB at most. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Tokens whose signature and claims were verified, by their exact string, until their `exp`.
 * Verifying a JWT (HMAC or RSA, JSON decoding, claim checks) is the largest part of an
 * authenticated request after the handler; clients send the same token on every request.
 *
 * Only a token that passed every check is remembered, so a caller without a valid token cannot
 * fill the cache. Every other check of TokenService stays true while a token lives (a lifetime
 * within security.token_expiry, an `iat` not in the future), so `exp` is the one checked again,
 * on every hit, and an entry is never served at or after it. Least recently used entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Principal>();

  constructor(
    private readonly maxEntries = VERIFIED_TOKEN_CACHE_SIZE,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The principal of a verified, unexpired token, or undefined (verify it then). */
  get(token: string): Principal | undefined {
    const principal = this.entries.get(token);
    if (!principal) return undefined;
    this.entries.delete(token);
    if (!this.unexpired(principal)) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(token, principal);
    return principal;
  }

  /** Remembers a token that passed verification; one without an expiry is not remembered. */
  remember(token: string, principal: Principal): void {
    if (!this.unexpired(principal)) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, principal);
  }

  private unexpired(principal: Principal): boolean {
    return principal.expiresAt !== undefined && this.now() < principal.expiresAt.getTime();
  }
}
