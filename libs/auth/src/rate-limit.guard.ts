import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { AUDIT_ACTION } from '@mediator/audit/audit.decorator';
import { auditContext } from '@mediator/audit/audit.interceptor';
import { AuditService } from '@mediator/audit/audit.service';
import type { RequestWithPrincipal } from './auth.decorators';

/** Rate limits per token subject, or per client IP when there is no token (CONTRACT §2). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super(options, storage, reflector);
  }

  // HTTP only: Kafka commands carry no token or IP (the broker's quotas limit them), and the
  // Socket.IO gateway is not throttled here either.
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    return context.getType() === 'http' ? super.canActivate(context) : true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as RequestWithPrincipal).principal;
    if (principal && principal.sub !== 'anonymous') return `sub:${principal.sub}`;
    return `ip:${String(req.ip ?? 'unknown')}`;
  }

  /** A throttled state change is a denial, and every denial is audited. */
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    if (action) {
      const request = context.switchToHttp().getRequest<Parameters<typeof auditContext>[0]>();
      this.audit.record({
        ...auditContext(request),
        transport: 'http',
        action,
        outcome: 'denied',
        details: { code: 'RATE_LIMITED' },
      });
    }
    return super.throwThrottlingException(context, detail);
  }
}
