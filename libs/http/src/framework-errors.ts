import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorBody, reasonPhrase } from './error-body';

const CODES: Record<string, string> = {
  FST_ERR_BAD_URL: 'BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

/**
 * Errors Fastify raises while routing, before Nest sees the request (a badly encoded path, a
 * path parameter over `maxParamLength`): answered with the same error body as every other error.
 */
export function frameworkErrorHandler(
  error: Error & { code?: string; statusCode?: number },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  const body: ErrorBody = {
    status_code: status,
    error: reasonPhrase(status),
    code: CODES[error.code ?? ''] ?? 'BAD_REQUEST',
    message: error.message,
    request_id: String(request.id ?? ''),
  };
  void reply.status(status).header('x-request-id', request.id).send(body);
}
