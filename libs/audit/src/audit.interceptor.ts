import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Observable, tap } from 'rxjs';
import { AUDIT_ACTION } from './audit-action';
import { type AuditedCall, AuditService } from './audit.service';

interface AuditedRequest {
  id?: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  principal?: { sub: string };
}

/**
 * An HTTP request as an audited call: the one place HTTP records are built, for the guards'
 * refusals and the routes' outcomes alike. What was created or changed names the target when it
 * has an id (a message, a task, …); else the route's message id, id or mediator name does.
 */
export function httpAuditedCall(
  request: AuditedRequest,
  action: string,
  result?: unknown,
): AuditedCall {
  const params = request.params ?? {};
  const body = request.body && typeof request.body === 'object' ? request.body : {};
  const id = (result as { id?: unknown } | null | undefined)?.id;
  const target =
    (typeof id === 'string' ? id : undefined) ??
    params.message_id ??
    params.id ??
    (body.id as string | undefined) ??
    params.name ??
    (body.name as string | undefined);
  return {
    transport: 'http',
    action,
    actor: request.principal?.sub ?? 'anonymous',
    mediator: params.name ?? (typeof body.name === 'string' ? body.name : undefined),
    target: typeof target === 'string' ? target : undefined,
    requestId: request.id,
  };
}

/** Audits a route marked @Audited (it attaches this interceptor), whether it succeeds, is denied, or fails. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDIT_ACTION, context.getHandler());
    if (!action || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    return next.handle().pipe(
      tap({
        next: (result: unknown) => this.audit.succeeded(httpAuditedCall(request, action, result)),
        error: (error: unknown) => this.audit.failed(httpAuditedCall(request, action), error),
      }),
    );
  }
}
