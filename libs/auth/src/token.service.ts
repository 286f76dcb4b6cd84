import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Jwt } from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { UnauthenticatedError } from '@mediator/http';
import { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

interface Claims {
  sub?: unknown;
  scope?: unknown;
  mediator?: unknown;
  colleague?: unknown;
  exp?: unknown;
  iat?: unknown;
}

/** How far ahead of this clock an issuer's clock may be. */
const CLOCK_SKEW_S = 60;

/** Verifies bearer tokens with the pinned algorithm and turns their claims into a Principal. */
@Injectable()
export class TokenService {
  /** Built once: given a string, jsonwebtoken would try (and fail) to parse it as a PEM key per call. */
  private readonly key: KeyObject;
  /** A client sends the same token on every request: its signature is verified once. */
  private readonly verified = new VerifiedTokenCache();
  private readonly logger = new Logger(TokenService.name);

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
    const token = bearerToken(authorization);
    if (!token) throw new UnauthenticatedError('missing bearer token');
    return this.verify(token);
  }

  /**
   * The principal of an `Authorization` value whose token was verified before and has not
   * expired, without waiting for anything; undefined when it must go through authenticate().
   */
  known(authorization: string | undefined): Principal | undefined {
    if (!this.enabled) return Principal.anonymousAdmin();
    const token = bearerToken(authorization);
    return token ? this.verified.get(token) : undefined;
  }

  /** Principal for a raw token (Socket.IO's `auth: { token }`). Throws UnauthenticatedError. */
  async verify(token: string | undefined): Promise<Principal> {
    if (!this.enabled) return Principal.anonymousAdmin();
    if (!token) throw new UnauthenticatedError('missing bearer token');
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const principal = this.toPrincipal(await this.verifySignature(token));
      this.verified.remember(token, principal);
      return principal;
    } catch (error) {
      // One answer for every bad token: the reason (jsonwebtoken's text, which claim) helps a
      // forger more than a client, so it goes to the debug log only.
      this.logger.debug(`token refused: ${(error as Error).message}`);
      throw new UnauthenticatedError('invalid token');
    }
  }

  private async verifySignature(token: string): Promise<Claims> {
    const s = this.config.security;
    const { header, payload } = await this.jwt.verifyAsync<Jwt & object>(token, {
      algorithms: [s.jwtAlgorithm],
      complete: true,
      // jsonwebtoken accepts a KeyObject; @nestjs/jwt's option types only name string | Buffer.
      ...(s.jwtAlgorithm.startsWith('HS')
        ? { secret: this.key as unknown as Buffer }
        : { publicKey: this.key as unknown as Buffer }),
      ...(s.jwtIssuer ? { issuer: s.jwtIssuer } : {}),
      ...(s.jwtAudience ? { audience: s.jwtAudience } : {}),
    });
    // RFC 7515 §4.1.11: a `crit` extension the verifier does not implement must be refused.
    if ((header as { crit?: unknown }).crit !== undefined) throw new Error('crit header');
    if (typeof payload !== 'object') throw new Error('payload is not a claims object');
    return payload as Claims;
  }

  private toPrincipal(claims: Claims): Principal {
    if (typeof claims.exp !== 'number') throw new Error('exp is required');
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('sub is required');
    this.checkLifetime(claims.exp, claims.iat);
    const mediator = optionalName(claims.mediator, 'mediator');
    const colleague = optionalName(claims.colleague, 'colleague');
    // A colleague id means something only inside its mediator: unbound, it would name that
    // colleague in every mediator.
    if (colleague !== undefined && mediator === undefined)
      throw new Error('colleague requires mediator');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    return new Principal(
      claims.sub,
      new Set(scopes),
      mediator,
      colleague,
      new Date(claims.exp * 1000),
    );
  }

  /** A stolen token is useful until its exp: at most security.token_expiry after it was issued. */
  private checkLifetime(exp: number, iat: unknown): void {
    const now = Date.now() / 1000;
    if (iat !== undefined && typeof iat !== 'number') throw new Error('iat is not a number');
    if (iat !== undefined && iat > now + CLOCK_SKEW_S) throw new Error('iat is in the future');
    const lifetime = exp - (iat ?? now);
    if (lifetime > this.config.security.tokenExpiryMs / 1000)
      throw new Error(`lifetime ${lifetime} s exceeds security.token_expiry`);
  }
}

/** The token of a `Bearer` authorization value (the scheme is case-insensitive), if it is one. */
function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
}

/** A binding claim: absent, or a non-empty string. Anything else must not silently unbind. */
function optionalName(value: unknown, claim: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`${claim} is not a name`);
  return value;
}
