import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MediatorError } from '@mediator/core';
import { bodyFor, type ErrorBody, reasonPhrase } from './error-body';
import { RateLimitedError } from './http-errors';
import { asUnavailable } from './infrastructure-errors';

/** Fastify's own errors for bad requests, by their `code`. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_BODY' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_BODY' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
};

/** Told of every failed HTTP request (the audit trail records those it was asked to). */
export type HttpFailureListener = (request: FastifyRequest, exception: unknown) => void;

/**
 * The one HTTP exception filter: domain errors, Nest/Fastify errors and anything unexpected
 * become the error body of CONTRACT §3. Unexpected errors are logged, never shown. Every failure
 * passes `onFailure` first: the HTTP audit trail's one place for denials and errors.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(private readonly onFailure?: HttpFailureListener) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (request && host.getType() === 'http') this.onFailure?.(request, exception);
    const requestId = String(request?.id ?? '');
    const health = healthCheckResult(exception);
    if (health) {
      // CONTRACT §4: a failed health check answers 503 in the terminus format, naming the component.
      void reply.status(503).send(health);
      return;
    }
    const body = this.toBody(exception, requestId);
    if (exception instanceof RateLimitedError)
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof ThrottlerException)
      void reply.header('Retry-After', String(reply.getHeader('Retry-After') ?? 60));
    void reply
      .status(body.status_code)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof MediatorError) return bodyFor(exception, requestId);
    const unavailable = asUnavailable(exception);
    if (unavailable) {
      this.logger.warn({ err: exception, requestId }, 'dependency unavailable');
      return bodyFor(unavailable, requestId);
    }
    if (exception instanceof ThrottlerException) {
      return {
        status_code: 429,
        error: reasonPhrase(429),
        code: 'RATE_LIMITED',
        message: 'too many requests',
        request_id: requestId,
      };
    }
    const fastify = FASTIFY_CODES[fastifyCode(exception)];
    if (fastify) {
      return {
        status_code: fastify.status,
        error: reasonPhrase(fastify.status),
        code: fastify.code,
        message: (exception as Error).message,
        request_id: requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404 ? 'ROUTE_NOT_FOUND' : reasonPhrase(status).toUpperCase().replace(/ /g, '_');
      const message = status === 404 ? 'no such route' : exception.message;
      if (status >= 500) this.logger.error({ err: exception, requestId }, 'request failed');
      return {
        status_code: status,
        error: reasonPhrase(status),
        code,
        message,
        request_id: requestId,
      };
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        status_code: status,
        error: reasonPhrase(status),
        code: 'BAD_REQUEST',
        message: (exception as Error).message,
        request_id: requestId,
      };
    }
    this.logger.error({ err: exception, requestId }, 'unexpected error');
    return {
      status_code: 500,
      error: reasonPhrase(500),
      code: 'INTERNAL_ERROR',
      message: 'internal error',
      request_id: requestId,
    };
  }
}

/** The body of the 503 that terminus throws when a check fails: `{ status: 'error', details, … }`. */
function healthCheckResult(exception: unknown): object | undefined {
  if (!(exception instanceof HttpException) || exception.getStatus() !== 503) return undefined;
  const response = exception.getResponse();
  return typeof response === 'object' &&
    response !== null &&
    (response as { status?: unknown }).status === 'error' &&
    'details' in response
    ? response
    : undefined;
}

/** Fastify's error code, also when Nest has wrapped the Fastify error (as `cause`) or only kept its message. */
function fastifyCode(exception: unknown): string {
  const e = exception as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  if (e?.code) return e.code;
  if (e?.cause?.code) return e.cause.code;
  if (e?.message?.startsWith('Body is not valid JSON')) return 'FST_ERR_CTP_INVALID_JSON_BODY';
  if (e?.message?.startsWith('Object contains forbidden prototype property'))
    return 'FST_ERR_CTP_INVALID_JSON_BODY';
  return '';
}
