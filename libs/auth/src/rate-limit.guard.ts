import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUDIT_ACTION } from '@mediator/audit/audit.decorator';
import { auditContext } from '@mediator/audit/audit.interceptor';
import { AuditService } from '@mediator/audit/audit.service';
import { PUBLIC_ROUTE, type RequestWithPrincipal } from './auth.decorators';
import { RateLimiter } from './rate-limiter';

/**
 * Rate limits every authenticated HTTP request per token subject (CONTRACT §2), on the budget the
 * Socket.IO gateway and the Kafka handler share. Open routes (health, docs) are not limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal & { ip?: string }>();
    const principal = request.principal;
    const tracker =
      principal && principal.sub !== 'anonymous'
        ? RateLimiter.subject(principal.sub)
        : RateLimiter.ip(request.ip);
    try {
      await this.limiter.consume(tracker);
      return true;
    } catch (error) {
      // A throttled state change is a denial, and every denial is audited.
      const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
      if (action)
        this.audit.record({
          ...auditContext(request as Parameters<typeof auditContext>[0]),
          transport: 'http',
          action,
          outcome: 'denied',
          details: { code: 'RATE_LIMITED' },
        });
      throw error;
    }
  }
}
