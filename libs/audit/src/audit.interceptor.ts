import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Observable, tap } from 'rxjs';
import { MediatorError } from '@mediator/core';
import type { AuditOutcome } from '@mediator/persistence';
import { AUDIT_ACTION } from './audit-action';
import { AuditService } from './audit.service';

interface AuditedRequest {
  id?: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  principal?: { sub: string };
}

export function outcomeOf(error: unknown): AuditOutcome {
  return error instanceof MediatorError &&
    ['forbidden', 'unauthenticated', 'rate_limited'].includes(error.category)
    ? 'denied'
    : 'error';
}

/** What an HTTP request is about, for its audit record. */
export function auditContext(request: AuditedRequest) {
  const params = request.params ?? {};
  const body = request.body && typeof request.body === 'object' ? request.body : {};
  const target =
    params.message_id ??
    params.id ??
    (body.id as string | undefined) ??
    params.name ??
    (body.name as string | undefined);
  return {
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
        // What was created or changed names the target when it has an id (a message, a task, …).
        next: (result: unknown) => {
          const context = auditContext(request);
          const id = (result as { id?: unknown } | null | undefined)?.id;
          const target = typeof id === 'string' ? id : context.target;
          this.audit.record({ ...context, target, transport: 'http', action, outcome: 'ok' });
        },
        error: (error: unknown) =>
          this.audit.record({
            ...auditContext(request),
            transport: 'http',
            action,
            outcome: outcomeOf(error),
            details: { code: error instanceof MediatorError ? error.code : 'INTERNAL_ERROR' },
          }),
      }),
    );
  }
}
