import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { RequestWithPrincipal } from './auth.decorators';

/** Rate limits per token subject, or per client IP when there is no token (CONTRACT §2). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as RequestWithPrincipal).principal;
    if (principal && principal.sub !== 'anonymous') return `sub:${principal.sub}`;
    return `ip:${String(req.ip ?? 'unknown')}`;
  }
}
