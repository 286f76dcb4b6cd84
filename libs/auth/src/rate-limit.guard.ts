import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuditService, httpAuditedCall } from '@mediator/audit';
import type { RequestWithPrincipal } from './auth.decorators';
import { RateLimiter } from './rate-limiter';
import { type RouteAuth, RouteAuthMetadata } from './route-auth';

type HttpRequest = RequestWithPrincipal & { ip?: string };

/**
 * Rate limits every authenticated HTTP request per token subject (CONTRACT §2), on the budget the
 * Socket.IO gateway and the Kafka handler share. Open routes (health, docs) are not limited.
 * With the counters in this process, a request under the limit passes without a promise.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly routes: RouteAuthMetadata,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routes.of(context);
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const principal = request.principal;
    const tracker =
      principal && principal.sub !== 'anonymous'
        ? RateLimiter.subject(principal.sub)
        : RateLimiter.ip(request.ip);
    try {
      const pending = this.limiter.charge(tracker);
      if (!pending) return true;
      return pending.then(
        () => true,
        (error: unknown) => this.refuse(request, route, error),
      );
    } catch (error) {
      return this.refuse(request, route, error);
    }
  }

  /** A throttled state change is a denial, and every denial is audited. */
  private refuse(request: HttpRequest, route: RouteAuth, error: unknown): never {
    if (route.auditAction)
      this.audit.failed(
        httpAuditedCall(request as Parameters<typeof httpAuditedCall>[0], route.auditAction),
        error,
      );
    throw error;
  }
}
