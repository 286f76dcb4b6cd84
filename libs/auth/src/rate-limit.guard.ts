import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { RequestWithPrincipal } from './auth.decorators';

/** Rate limits per token subject, or per client IP when there is no token (CONTRACT §2). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
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
}
