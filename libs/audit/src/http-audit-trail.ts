import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { type AuditedCall, AuditService } from './audit.service';

/**
 * What the HTTP audit trail knows of a request. The auth guard marks it (`auditAction`,
 * `auditAnonymous`); the trail keeps the route's result for the success record.
 */
export interface AuditedRequest {
  id?: string;
  ip?: string;
  params?: Record<string, string>;
  body?: Record<string, unknown>;
  principal?: { sub: string };
  /** Set: the request's outcome is audited under this action, whatever it turns out to be. */
  auditAction?: string;
  /** Refused for want of a valid token: counted per IP rather than written one row each. */
  auditAnonymous?: boolean;
  auditResult?: unknown;
}

/**
 * An HTTP request as an audited call: the one place HTTP records are built, for refusals and
 * outcomes alike. What was created or changed names the target when it has an id (a message, a
 * task, …); else the route's message id, id or mediator name does.
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

/** The auth guard's mark: audit this request's outcome under `action` (undefined: don't). */
export function auditRequestAs(
  request: AuditedRequest,
  action: string | undefined,
  anonymous = false,
): void {
  request.auditAction = action;
  request.auditAnonymous = anonymous;
}

/**
 * The HTTP audit trail: every HTTP audit record is written here, a failure by `failed` (called
 * by the one exception filter, for the guards' refusals and the routes' errors alike) and a
 * success by the response hook. Which requests are audited the auth guard decides, from the
 * route's @Audited action: an audited route's every outcome; on any other route, the guard's own
 * refusals. No RxJS interceptor: one around each audited route cost ≈ 4 % of a send's CPU.
 */
@Injectable()
export class HttpAuditTrail implements OnApplicationBootstrap {
  constructor(
    private readonly audit: AuditService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Callback hooks: an async one costs a promise on every response.
    fastify?.addHook('preSerialization', (request, reply, payload, done) => {
      const audited = request as AuditedRequest;
      if (audited.auditAction !== undefined) audited.auditResult = payload;
      done(null, payload);
    });
    fastify?.addHook('onSend', (request, reply, payload, done) => {
      const audited = request as AuditedRequest;
      const action = audited.auditAction;
      if (action !== undefined && reply.statusCode < 400)
        this.audit.succeeded(httpAuditedCall(audited, action, audited.auditResult));
      done(null, payload);
    });
  }

  /** The request failed with `error` (a refusal, a validation error, the route's own error). */
  failed(request: object, error: unknown): void {
    const audited = request as AuditedRequest;
    const action = audited.auditAction;
    if (action === undefined) return;
    if (audited.auditAnonymous)
      this.audit.failed({ transport: 'http', action, ip: audited.ip }, error);
    else this.audit.failed(httpAuditedCall(audited, action), error);
  }
}
