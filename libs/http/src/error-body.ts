import { type ErrorCategory, type ErrorDetail, MediatorError } from '@mediator/core';

/** The error body of CONTRACT §3. */
export interface ErrorBody {
  status_code: number;
  error: string;
  code: string;
  message: string;
  request_id: string;
  details?: ErrorDetail[];
}

export const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  timeout: 504,
  unavailable: 503,
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

export function bodyFor(error: MediatorError, requestId: string): ErrorBody {
  const status = STATUS_BY_CATEGORY[error.category];
  const body: ErrorBody = {
    status_code: status,
    error: reasonPhrase(status),
    code: error.code,
    message: error.message,
    request_id: requestId,
  };
  if (error.details?.length) body.details = error.details;
  return body;
}
