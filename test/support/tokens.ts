// Tokens as a client would mint them: HS256 with the service's secret (CONTRACT §2).
import { sign } from 'jsonwebtoken';
import { JWT_SECRET } from './service';

export interface Claims {
  sub: string;
  scope: string;
  mediator?: string;
  colleague?: string;
}

export function token(claims: Claims, expiresIn: number = 3600, secret = JWT_SECRET): string {
  return sign(claims, secret, { algorithm: 'HS256', expiresIn });
}

export const adminToken = (sub = 'e2e-admin') => token({ sub, scope: 'admin' });

/** Every scope but admin: the kind of token an operator gives a service. */
export const ALL_SCOPES =
  'mediators:read mediators:write colleagues:write messages:send messages:read audit:read';

/** A token bound to one colleague of one mediator (sends as it, reads its inbox, Socket.IO deliveries). */
export const colleagueToken = (
  mediator: string,
  colleague: string,
  scope = 'messages:send messages:read mediators:read',
) => token({ sub: `colleague:${mediator}:${colleague}`, scope, mediator, colleague });
