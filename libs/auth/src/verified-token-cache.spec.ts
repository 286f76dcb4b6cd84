import { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  let now = 1_000_000;
  const clock = () => now;
  const principal = (sub: string, expiresAtMs?: number) =>
    new Principal(
      sub,
      new Set(['mediators:read']),
      undefined,
      undefined,
      expiresAtMs === undefined ? undefined : new Date(expiresAtMs),
    );

  beforeEach(() => (now = 1_000_000));

  it('serves a verified token until its exp, never at or after it', () => {
    const cache = new VerifiedTokenCache(10, clock);
    const alice = principal('alice', now + 5_000);
    cache.remember('token-a', alice);
    expect(cache.get('token-a')).toBe(alice);
    now += 4_999;
    expect(cache.get('token-a')).toBe(alice);
    now += 1;
    expect(cache.get('token-a')).toBeUndefined();
    // An expired entry is dropped on the hit that finds it expired.
    expect(cache.size).toBe(0);
  });

  it('knows only the exact token strings it was given', () => {
    const cache = new VerifiedTokenCache(10, clock);
    cache.remember('token-a', principal('alice', now + 5_000));
    expect(cache.get('token-a ')).toBeUndefined();
    expect(cache.get('token-A')).toBeUndefined();
  });

  it('does not remember a token without an expiry or already expired', () => {
    const cache = new VerifiedTokenCache(10, clock);
    cache.remember('no-exp', principal('alice'));
    cache.remember('expired', principal('bob', now));
    expect(cache.get('no-exp')).toBeUndefined();
    expect(cache.get('expired')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most its size, dropping the least recently used token', () => {
    const cache = new VerifiedTokenCache(2, clock);
    cache.remember('a', principal('a', now + 5_000));
    cache.remember('b', principal('b', now + 5_000));
    cache.get('a'); // b is now the least recently used
    cache.remember('c', principal('c', now + 5_000));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.sub).toBe('a');
    expect(cache.get('c')?.sub).toBe('c');
  });

  it('replaces the entry of a token remembered again without growing', () => {
    const cache = new VerifiedTokenCache(2, clock);
    cache.remember('a', principal('a', now + 5_000));
    cache.remember('b', principal('b', now + 5_000));
    cache.remember('a', principal('a2', now + 5_000));
    expect(cache.size).toBe(2);
    expect(cache.get('a')?.sub).toBe('a2');
    expect(cache.get('b')?.sub).toBe('b');
  });
});
