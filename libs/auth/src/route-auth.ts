import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUDIT_ACTION } from '@mediator/audit';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from './auth.decorators';
import type { Scope } from './principal';

type Controller = ReturnType<ExecutionContext['getClass']>;
type Handler = ReturnType<ExecutionContext['getHandler']>;

/** What the auth guards need to know about a route, fixed by its decorators. */
export interface RouteAuth {
  /** @Public(): no token, no rate limit. */
  readonly isPublic: boolean;
  /** @RequireScopes(): any one of them suffices; none listed, any token does. */
  readonly scopes: readonly Scope[];
  /** @Audited(): the action its denials are audited under. */
  readonly auditAction?: string;
}

/**
 * The RouteAuth of each handler, read with the Reflector once and kept: decorators cannot change
 * after start-up, and both guards ask on every request. Keyed by class and handler, since a
 * handler inherited by two controllers may carry different class-level metadata in each.
 */
@Injectable()
export class RouteAuthMetadata {
  private readonly byClass = new WeakMap<Controller, WeakMap<Handler, RouteAuth>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RouteAuth {
    const controller = context.getClass();
    const handler = context.getHandler();
    let handlers = this.byClass.get(controller);
    if (!handlers) {
      handlers = new WeakMap();
      this.byClass.set(controller, handlers);
    }
    let route = handlers.get(handler);
    if (!route) {
      route = this.read(controller, handler);
      handlers.set(handler, route);
    }
    return route;
  }

  private read(controller: Controller, handler: Handler): RouteAuth {
    const targets = [handler, controller];
    return {
      isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
      scopes: this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
      auditAction: this.reflector.get<string | undefined>(AUDIT_ACTION, handler),
    };
  }
}
