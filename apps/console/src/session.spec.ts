import { claimsOf } from './session';

const jwt = (claims: object) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('claimsOf', () => {
  it('reads the subject, scopes and binding the console decides its views by', () => {
    const claims = claimsOf(
      jwt({ sub: 'svc', scope: 'messages:read audit:read', mediator: 'shop', colleague: 'web' }),
    );
    expect({ ...claims, scopes: [...(claims?.scopes ?? [])] }).toEqual({
      sub: 'svc',
      scopes: ['messages:read', 'audit:read'],
      mediator: 'shop',
      colleague: 'web',
      exp: undefined,
    });
  });

  it('is undefined for something that is not a JWT', () => {
    expect(claimsOf('not a token')).toBeUndefined();
  });
});
