import { Principal } from '@mediator/auth/principal';
import { SocketSession } from './socket-session';

const inOneHour = () => new Date(Date.now() + 3_600_000);

function principal(
  scopes: string,
  binding: { mediator?: string; colleague?: string } = {},
  expiresAt: Date | undefined = inOneHour(),
  sub = 'someone',
): Principal {
  return new Principal(
    sub,
    new Set(scopes.split(' ')),
    binding.mediator,
    binding.colleague,
    expiresAt,
  );
}

const codeOf = (work: () => unknown) => {
  try {
    work();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('SocketSession.requireWatch', () => {
  it.each([
    ['admin', {}, '*', 'ok'],
    ['mediators:read', {}, '*', 'ok'],
    ['mediators:read', { mediator: 'alpha' }, '*', 'MEDIATOR_FORBIDDEN'],
    ['mediators:read', { mediator: 'alpha', colleague: 'x' }, '*', 'MEDIATOR_FORBIDDEN'],
    ['mediators:read', { colleague: 'x' }, '*', 'MEDIATOR_FORBIDDEN'],
    ['messages:send', {}, '*', 'INSUFFICIENT_SCOPE'],
    ['mediators:read', { mediator: 'alpha' }, 'alpha', 'ok'],
    ['messages:send', { mediator: 'alpha', colleague: 'x' }, 'alpha', 'ok'],
    ['mediators:read', { mediator: 'alpha' }, 'beta', 'MEDIATOR_FORBIDDEN'],
    ['mediators:read', {}, 'beta', 'ok'],
    ['messages:send', {}, 'beta', 'INSUFFICIENT_SCOPE'],
  ])('%s bound to %j watching %s: %s', (scopes, binding, mediator, expected) => {
    const session = new SocketSession(principal(scopes, binding), '127.0.0.1');
    expect(codeOf(() => session.requireWatch(mediator))).toBe(expected);
  });
});

describe('SocketSession.watch', () => {
  it('refuses a subscription past the cap, but not one it already holds', () => {
    const session = new SocketSession(principal('admin'), undefined);
    session.watch('a', 2);
    session.watch('b', 2);
    expect(codeOf(() => session.watch('a', 2))).toBe('ok');
    expect(codeOf(() => session.watch('c', 2))).toBe('TOO_MANY_SUBSCRIPTIONS');
    session.unwatch('a');
    expect(codeOf(() => session.watch('c', 2))).toBe('ok');
  });
});

describe('SocketSession.renew', () => {
  it('refuses another subject or another binding, and keeps the old token', () => {
    const old = principal('mediators:read', { mediator: 'alpha', colleague: 'x' });
    const session = new SocketSession(old, undefined);
    const other = (binding: { mediator?: string; colleague?: string }, sub = 'someone') =>
      principal('mediators:read', binding, inOneHour(), sub);
    expect(
      codeOf(() => session.renew(other({ mediator: 'alpha', colleague: 'x' }, 'intruder'))),
    ).toBe('TOKEN_MISMATCH');
    expect(codeOf(() => session.renew(other({ mediator: 'alpha', colleague: 'y' })))).toBe(
      'TOKEN_MISMATCH',
    );
    expect(codeOf(() => session.renew(other({ mediator: 'alpha' })))).toBe('TOKEN_MISMATCH');
    expect(codeOf(() => session.renew(other({})))).toBe('TOKEN_MISMATCH');
    expect(session.principal).toBe(old);
  });

  it('drops the subscriptions the new scopes no longer allow', () => {
    const session = new SocketSession(principal('mediators:read'), undefined);
    session.watch('*', 10);
    session.watch('beta', 10);
    expect(session.renew(principal('messages:read'))).toEqual(['*', 'beta']);
    expect(session.renew(principal('mediators:read'))).toEqual([]);
  });
});

describe('SocketSession expiry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('expires at the token exp, and at the new exp after a renewal', () => {
    const expire = jest.fn();
    const session = new SocketSession(principal('admin', {}, new Date(Date.now() + 5_000)), '');
    session.onExpiry(expire);
    jest.advanceTimersByTime(4_000);
    session.renew(principal('admin', {}, new Date(Date.now() + 5_000)));
    jest.advanceTimersByTime(4_000);
    expect(expire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('waits in steps for an exp beyond what one timer can hold', () => {
    const expire = jest.fn();
    const days = (n: number) => n * 86_400_000;
    const session = new SocketSession(principal('admin', {}, new Date(Date.now() + days(40))), '');
    session.onExpiry(expire);
    jest.advanceTimersByTime(days(39));
    expect(expire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(days(1));
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('never expires after close, nor without an exp', () => {
    const expire = jest.fn();
    const closed = new SocketSession(principal('admin', {}, new Date(Date.now() + 1_000)), '');
    closed.onExpiry(expire);
    closed.close();
    new SocketSession(principal('admin', {}, undefined), '').onExpiry(expire);
    jest.advanceTimersByTime(10_000);
    expect(expire).not.toHaveBeenCalled();
  });
});
