import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Scope } from './principal';

export const PUBLIC_ROUTE = 'mediator:public';
export const REQUIRED_SCOPES = 'mediator:scopes';

/** Open route: no token needed (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Scopes the token must carry (any one of them suffices when several are listed). */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

export interface RequestWithPrincipal {
  principal?: Principal;
  id?: string;
}

/** The authenticated caller of this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    return ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal!;
  },
);
