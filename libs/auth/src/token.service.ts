import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { UnauthenticatedError } from '@mediator/http';
import { Principal } from './principal';

interface Claims {
  sub?: unknown;
  scope?: unknown;
  mediator?: unknown;
  colleague?: unknown;
  exp?: unknown;
}

/** Verifies bearer tokens with the pinned algorithm and turns their claims into a Principal. */
@Injectable()
export class TokenService {
  /** Built once: given a string, jsonwebtoken would try (and fail) to parse it as a PEM key per call. */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const s = config.security;
    this.key = s.jwtAlgorithm.startsWith('HS')
      ? createSecretKey(Buffer.from(s.jwtSecret, 'utf8'))
      : createPublicKey(s.jwtPublicKey);
  }

  get enabled(): boolean {
    return this.config.security.enabled;
  }

  /**
   * Principal for an `Authorization` header value (HTTP, the Socket.IO handshake header, the
   * Kafka `authorization` record header): the `Bearer` scheme is required. Throws UnauthenticatedError.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!this.enabled) return Principal.anonymousAdmin();
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError('missing bearer token');
    return this.verify(match[1]);
  }

  /** Principal for a raw token (Socket.IO's `auth: { token }`). Throws UnauthenticatedError. */
  async verify(token: string | undefined): Promise<Principal> {
    if (!this.enabled) return Principal.anonymousAdmin();
    if (!token) throw new UnauthenticatedError('missing bearer token');
    const s = this.config.security;
    let claims: Claims;
    try {
      claims = await this.jwt.verifyAsync<Claims & object>(token, {
        algorithms: [s.jwtAlgorithm],
        // jsonwebtoken accepts a KeyObject; @nestjs/jwt's option types only name string | Buffer.
        ...(s.jwtAlgorithm.startsWith('HS')
          ? { secret: this.key as unknown as Buffer }
          : { publicKey: this.key as unknown as Buffer }),
        ...(s.jwtIssuer ? { issuer: s.jwtIssuer } : {}),
        ...(s.jwtAudience ? { audience: s.jwtAudience } : {}),
      });
    } catch (error) {
      throw new UnauthenticatedError(`invalid token: ${(error as Error).message}`);
    }
    if (typeof claims.exp !== 'number')
      throw new UnauthenticatedError('invalid token: exp is required');
    if (typeof claims.sub !== 'string' || claims.sub === '')
      throw new UnauthenticatedError('invalid token: sub is required');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    return new Principal(
      claims.sub,
      new Set(scopes),
      typeof claims.mediator === 'string' ? claims.mediator : undefined,
      typeof claims.colleague === 'string' ? claims.colleague : undefined,
      new Date(claims.exp * 1000),
    );
  }
}
