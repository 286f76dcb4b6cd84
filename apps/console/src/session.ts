import { createRestApi, MediatorApiError, type MediatorApi } from '@mediator/client';

const STORAGE_KEY = 'mediator-console-token';
/** A 429 without a usable Retry-After pauses the polling this long. */
const DEFAULT_RETRY_S = 5;

/** What the console reads from the token to decide what to show; the service still decides. */
export interface Claims {
  sub: string;
  scopes: ReadonlySet<string>;
  mediator?: string;
  colleague?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

/**
 * The token's claims, read without verifying (the service does that on every call): a console
 * that shows only what the token allows does not show buttons that would be answered with 403.
 */
export function claimsOf(token: string): Claims | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const raw = JSON.parse(json) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return {
      sub: text(raw.sub) ?? '?',
      scopes: new Set((text(raw.scope) ?? '').split(' ').filter(Boolean)),
      mediator: text(raw.mediator),
      colleague: text(raw.colleague),
      exp: typeof raw.exp === 'number' ? raw.exp : undefined,
    };
  } catch {
    return undefined;
  }
}

export type Scope =
  | 'mediators:read'
  | 'mediators:write'
  | 'colleagues:write'
  | 'messages:send'
  | 'messages:read'
  | 'audit:read';

/** The signed-in user: the token (kept in sessionStorage, gone with the tab) and the API. */
export class Session {
  readonly api: MediatorApi;
  private pausedUntil = 0;

  private constructor(
    readonly token: string,
    readonly claims: Claims,
  ) {
    this.api = createRestApi(location.origin, token, {
      fetch: (...args) => this.fetch(...args),
    }).api;
  }

  /**
   * How long the views should wait before polling again: the console's calls count against the
   * token's rate limit like any other, and a 429 says for how long to stop (Retry-After).
   */
  backoffMs(now = Date.now()): number {
    return Math.max(0, this.pausedUntil - now);
  }

  private async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const response = await fetch(input, init);
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after')) || DEFAULT_RETRY_S;
      this.pausedUntil = Date.now() + seconds * 1000;
    }
    return response;
  }

  static restore(): Session | undefined {
    const token = sessionStorage.getItem(STORAGE_KEY);
    return token ? Session.from(token) : undefined;
  }

  /** Undefined for something that is not a JWT. */
  static from(token: string): Session | undefined {
    const claims = claimsOf(token);
    return claims ? new Session(token, claims) : undefined;
  }

  save(): void {
    sessionStorage.setItem(STORAGE_KEY, this.token);
  }

  static clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  }

  get isAdmin(): boolean {
    return this.claims.scopes.has('admin');
  }

  can(scope: Scope): boolean {
    return this.isAdmin || this.claims.scopes.has(scope);
  }

  /** The one mediator this token may see (admin: none, it sees all). */
  get mediator(): string | undefined {
    return this.isAdmin ? undefined : this.claims.mediator;
  }

  get colleague(): string | undefined {
    return this.isAdmin ? undefined : this.claims.colleague;
  }

  mayOpenMediator(name: string): boolean {
    return this.mediator === undefined || this.mediator === name;
  }

  mayOpenColleague(mediator: string, id: string): boolean {
    return (
      this.mayOpenMediator(mediator) && (this.colleague === undefined || this.colleague === id)
    );
  }
}

/** One line for an error of any call: the service's code and message when it has them. */
export function describeError(error: unknown): string {
  if (error instanceof MediatorApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
