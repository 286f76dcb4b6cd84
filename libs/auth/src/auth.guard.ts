import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MediatorError } from '@mediator/core';
import { AUDIT_ACTION } from '@mediator/audit/audit.decorator';
import { auditContext, outcomeOf } from '@mediator/audit/audit.interceptor';
import { AuditService } from '@mediator/audit/audit.service';
import { PUBLIC_ROUTE, REQUIRED_SCOPES, type RequestWithPrincipal } from './auth.decorators';
import type { Scope } from './principal';
import { RateLimiter } from './rate-limiter';
import { TokenService } from './token.service';

interface HttpRequest extends RequestWithPrincipal {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  method: string;
  routeOptions?: { url?: string };
}

/**
 * Authenticates every non-public route, checks its scopes and the token's mediator binding, and
 * audits each denial. Colleague bindings are checked where the colleague is known (services).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    try {
      const header = request.headers.authorization;
      const principal = await this.tokens.authenticate(Array.isArray(header) ? header[0] : header);
      request.principal = principal;
      const scopes =
        this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
      if (scopes.length > 0 && !scopes.some((s) => principal.has(s)))
        principal.requireScope(scopes[0]);
      if (request.params?.name !== undefined) principal.requireMediator(request.params.name);
      return true;
    } catch (error) {
      const action =
        this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler()) ??
        `${request.method} ${request.routeOptions?.url ?? ''}`;
      if (error instanceof MediatorError && error.category === 'unauthenticated')
        return this.refuseAnonymous(request, action, error);
      if (error instanceof MediatorError) {
        this.audit.record({
          ...auditContext(request),
          transport: 'http',
          action,
          outcome: outcomeOf(error),
          details: { code: error.code },
        });
      }
      throw error;
    }
  }

  /**
   * A caller without a valid token is limited per IP before anything else (429 once over the
   * budget), and its denials are counted per IP and minute instead of one audit row each.
   */
  private async refuseAnonymous(
    request: HttpRequest,
    action: string,
    error: MediatorError,
  ): Promise<never> {
    let refusal = error;
    try {
      await this.limiter.consume(RateLimiter.ip(request.ip));
    } catch (limited) {
      if (!(limited instanceof MediatorError)) throw limited;
      refusal = limited;
    }
    this.audit.recordAnonymousDenial({
      transport: 'http',
      action,
      ip: request.ip,
      code: refusal.code,
    });
    throw refusal;
  }
}
