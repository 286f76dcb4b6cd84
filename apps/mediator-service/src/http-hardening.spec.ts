import { corsOptions, requestIdOf } from './http-hardening';

describe('corsOptions', () => {
  it('never pairs * with credentials', () => {
    expect(corsOptions(['*'])).toEqual({ origin: '*', credentials: false });
    expect(corsOptions(['https://a.example', '*'])).toEqual({ origin: '*', credentials: false });
  });

  it('lists the configured origins, with credentials', () => {
    expect(corsOptions(['https://a.example'])).toEqual({
      origin: ['https://a.example'],
      credentials: true,
    });
  });
});

describe('requestIdOf', () => {
  const of = (id?: string | string[]) => requestIdOf({ headers: { 'x-request-id': id } });

  it('keeps a short id of safe characters', () =>
    expect(of('trace-1.a:b_c')).toBe('trace-1.a:b_c'));

  it.each([['r'.repeat(129)], ['a b'], ['<x>'], [''], [['a', 'b']], [undefined]])(
    'generates one instead of %j',
    (id) => expect(of(id)).toMatch(/^[0-9a-f-]{36}$/),
  );
});
