import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { MediatorError } from '@mediator/core';
import { auditRequestAs } from '@mediator/audit';
import type { RequestWithPrincipal } from './auth.decorators';
import type { Principal } from './principal';
import { RateLimiter } from './rate-limiter';
import { type RouteAuth, RouteAuthMetadata } from './route-auth';
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
 * decides what the HTTP audit trail records (HttpAuditTrail, @mediator/audit): an @Audited
 * route's every outcome, and on every route its own refusals. Colleague bindings are checked
 * where the colleague is known (services). A token verified before is admitted without a
 * promise: most requests carry one.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly routes: RouteAuthMetadata,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routes.of(context);
    const request = context.switchToHttp().getRequest<HttpRequest>();
    auditRequestAs(request, route.auditAction);
    if (route.isPublic) return true;
    const header = request.headers.authorization;
    const authorization = Array.isArray(header) ? header[0] : header;
    try {
      const known = this.tokens.known(authorization);
      if (known) return this.admit(request, route, known);
    } catch (error) {
      return this.refuse(request, route, error);
    }
    return this.tokens
      .authenticate(authorization)
      .then((principal) => this.admit(request, route, principal))
      .catch((error: unknown) => this.refuse(request, route, error));
  }

  /** Throws the ForbiddenError of a missing scope or a token bound to another mediator. */
  private admit(request: HttpRequest, route: RouteAuth, principal: Principal): true {
    request.principal = principal;
    const { scopes } = route;
    if (scopes.length > 0 && !scopes.some((s) => principal.has(s)))
      principal.requireScope(scopes[0]);
    if (request.params?.name !== undefined) principal.requireMediator(request.params.name);
    return true;
  }

  /** A refusal is audited on every route: under the route's action, else its method and path. */
  private refuse(request: HttpRequest, route: RouteAuth, error: unknown): Promise<never> {
    const action = route.auditAction ?? `${request.method} ${request.routeOptions?.url ?? ''}`;
    if (error instanceof MediatorError && error.category === 'unauthenticated')
      return this.refuseAnonymous(request, action, error);
    // Anything but a refusal (a bug, say) is not audited, as a refusal is.
    auditRequestAs(request, error instanceof MediatorError ? action : undefined);
    throw error;
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
    auditRequestAs(request, action, true);
    let refusal = error;
    try {
      await this.limiter.consume(RateLimiter.ip(request.ip));
    } catch (limited) {
      if (!(limited instanceof MediatorError)) {
        auditRequestAs(request, undefined);
        throw limited;
      }
      refusal = limited;
    }
    throw refusal;
  }
}
