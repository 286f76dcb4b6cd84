import { ForbiddenError } from '@mediator/core';

export const SCOPES = [
  'admin',
  'mediators:read',
  'mediators:write',
  'colleagues:write',
  'messages:send',
  'messages:read',
  'audit:read',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, from a verified token (CONTRACT §2). */
export class Principal {
  constructor(
    readonly sub: string,
    readonly scopes: ReadonlySet<string>,
    readonly mediator?: string,
    readonly colleague?: string,
    /** The token's `exp`: a Socket.IO connection ends there (none when security is off). */
    readonly expiresAt?: Date,
  ) {}

  static anonymousAdmin(): Principal {
    return new Principal('anonymous', new Set(['admin']));
  }

  get isAdmin(): boolean {
    return this.scopes.has('admin');
  }

  has(scope: Scope): boolean {
    return this.isAdmin || this.scopes.has(scope);
  }

  requireScope(...scopes: Scope[]): void {
    const missing = scopes.filter((s) => !this.has(s));
    if (missing.length)
      throw new ForbiddenError(
        `the token lacks the scope ${missing.join(', ')}`,
        'INSUFFICIENT_SCOPE',
      );
  }

  /** The colleague this caller acts as, or undefined when it may act as any (admin, unbound). */
  get boundColleague(): string | undefined {
    return this.isAdmin ? undefined : this.colleague;
  }

  /** The one mediator this caller may see, or undefined when it may see every one. */
  get boundMediator(): string | undefined {
    return this.isAdmin ? undefined : this.mediator;
  }

  /** Acts across mediators (creating one): only for a token bound to none. */
  requireUnbound(): void {
    if (this.boundMediator !== undefined)
      throw new ForbiddenError(
        `the token is bound to mediator '${this.mediator}'`,
        'MEDIATOR_FORBIDDEN',
      );
  }

  /**
   * Acts for the whole mediator rather than as one colleague (e.g. cancelling a workflow that
   * other colleagues run): not for a colleague-bound token.
   */
  requireNoColleague(mediator: string): void {
    this.requireMediator(mediator);
    if (!this.isAdmin && this.colleague !== undefined)
      throw new ForbiddenError(
        `the token is bound to colleague '${this.colleague}'`,
        'COLLEAGUE_FORBIDDEN',
      );
  }

  /** A token bound to one mediator may not touch another. */
  requireMediator(name: string): void {
    if (!this.isAdmin && this.mediator !== undefined && this.mediator !== name) {
      throw new ForbiddenError(
        `the token is bound to mediator '${this.mediator}'`,
        'MEDIATOR_FORBIDDEN',
      );
    }
  }

  /** A token bound to a colleague may act and read only as that colleague. */
  requireColleague(mediator: string, colleagueId: string): void {
    this.requireMediator(mediator);
    if (!this.isAdmin && this.colleague !== undefined && this.colleague !== colleagueId) {
      throw new ForbiddenError(
        `the token is bound to colleague '${this.colleague}'`,
        'COLLEAGUE_FORBIDDEN',
      );
    }
  }
}
