import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { RequestWithPrincipal } from './auth.decorators';
import { RateLimiter } from './rate-limiter';
import { RouteAuthMetadata } from './route-auth';

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
    // A refusal of an @Audited route is audited by the HTTP audit trail, as the AuthGuard marked it.
    const pending = this.limiter.charge(tracker);
    return pending ? pending.then(() => true) : true;
  }
}
