/** One field's problem in a VALIDATION_FAILED error (CONTRACT §3). */
export interface ErrorDetail {
  field: string;
  problem: string;
}

export interface MediatorApiErrorInit {
  code: string;
  message: string;
  /** The HTTP status; 0 for an error that came over Socket.IO or Kafka (no status there). */
  status?: number;
  requestId?: string;
  details?: ErrorDetail[];
  retryAfter?: number;
}

/**
 * Every error the service answers with, on every transport: the contract's stable `code` and its
 * message, plus the HTTP status and request id when it came over REST. Catch a subclass for the
 * codes a caller can act on, or compare `code` for the rest.
 */
export class MediatorApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId?: string;

  constructor(init: MediatorApiErrorInit) {
    super(init.message);
    this.name = new.target.name;
    this.code = init.code;
    this.status = init.status ?? 0;
    this.requestId = init.requestId;
  }
}

export class ValidationFailedError extends MediatorApiError {
  readonly details: ErrorDetail[];
  constructor(init: MediatorApiErrorInit) {
    super(init);
    this.details = init.details ?? [];
  }
}

export class UnauthorizedError extends MediatorApiError {}
/** INSUFFICIENT_SCOPE, MEDIATOR_FORBIDDEN, COLLEAGUE_FORBIDDEN, FORBIDDEN. */
export class ForbiddenError extends MediatorApiError {}
export class MediatorNotFoundError extends MediatorApiError {}
export class ColleagueNotFoundError extends MediatorApiError {}
export class MessageNotFoundError extends MediatorApiError {}
/** Any other `*_NOT_FOUND` (task, workflow, job, route, …). */
export class NotFoundError extends MediatorApiError {}
export class MediatorExistsError extends MediatorApiError {}
export class ColleagueExistsError extends MediatorApiError {}
export class ColleagueInactiveError extends MediatorApiError {}
/** MAX_MEDIATORS_REACHED, MAX_COLLEAGUES_REACHED. */
export class LimitReachedError extends MediatorApiError {}
export class InsufficientCapacityError extends MediatorApiError {}
/** No online colleague handles the command or query type. */
export class NoHandlerError extends MediatorApiError {}
/** The handler did not answer within the request's timeout (504). */
export class RequestTimeoutError extends MediatorApiError {}
/** The handler answered `{ ok: false, error }`: `code` is the handler's own code. */
export class HandlerFailedError extends MediatorApiError {}
export class PayloadTooLargeError extends MediatorApiError {}
export class ServiceUnavailableError extends MediatorApiError {}

/** Over the rate limit: `retryAfter` is the server's Retry-After, in seconds. */
export class RateLimitedError extends MediatorApiError {
  readonly retryAfter?: number;
  constructor(init: MediatorApiErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

type ErrorClass = new (init: MediatorApiErrorInit) => MediatorApiError;

const BY_CODE: Record<string, ErrorClass> = {
  VALIDATION_FAILED: ValidationFailedError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  INSUFFICIENT_SCOPE: ForbiddenError,
  MEDIATOR_FORBIDDEN: ForbiddenError,
  COLLEAGUE_FORBIDDEN: ForbiddenError,
  MEDIATOR_NOT_FOUND: MediatorNotFoundError,
  COLLEAGUE_NOT_FOUND: ColleagueNotFoundError,
  MESSAGE_NOT_FOUND: MessageNotFoundError,
  MEDIATOR_EXISTS: MediatorExistsError,
  COLLEAGUE_EXISTS: ColleagueExistsError,
  COLLEAGUE_INACTIVE: ColleagueInactiveError,
  MAX_MEDIATORS_REACHED: LimitReachedError,
  MAX_COLLEAGUES_REACHED: LimitReachedError,
  INSUFFICIENT_CAPACITY: InsufficientCapacityError,
  NO_HANDLER: NoHandlerError,
  REQUEST_TIMEOUT: RequestTimeoutError,
  HANDLER_FAILED: HandlerFailedError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  RATE_LIMITED: RateLimitedError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
};

/** The class for a code; a handler's own code on a 422 is a HandlerFailedError. */
function classOf(code: string, status: number): ErrorClass {
  const known = BY_CODE[code];
  if (known) return known;
  if (code.endsWith('_NOT_FOUND')) return NotFoundError;
  // A request whose handler answered { ok: false, error: { code } } fails with that code (422).
  if (status === 422) return HandlerFailedError;
  return MediatorApiError;
}

export function apiError(init: MediatorApiErrorInit): MediatorApiError {
  return new (classOf(init.code, init.status ?? 0))(init);
}

interface ErrorBody {
  status_code?: unknown;
  code?: unknown;
  message?: unknown;
  request_id?: unknown;
  details?: unknown;
}

/** The error of a REST response: the contract's body, or what can be said without one. */
export function errorFromResponse(body: unknown, response: Response): MediatorApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const retryAfter = Number(response.headers.get('retry-after'));
  return apiError({
    status: response.status,
    code: typeof b.code === 'string' ? b.code : `HTTP_${response.status}`,
    message:
      typeof b.message === 'string'
        ? b.message
        : `${response.status} ${response.statusText}`.trim(),
    requestId:
      typeof b.request_id === 'string'
        ? b.request_id
        : (response.headers.get('x-request-id') ?? undefined),
    details: Array.isArray(b.details) ? (b.details as ErrorDetail[]) : undefined,
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  });
}

/** The `error` of a Socket.IO ack or a Kafka reply: `{ code, message }`. */
export function errorFromAnswer(error: unknown): MediatorApiError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorBody;
  return apiError({
    code: typeof e.code === 'string' ? e.code : 'INTERNAL_ERROR',
    message: typeof e.message === 'string' ? e.message : 'the service answered without a message',
    details: Array.isArray(e.details) ? (e.details as ErrorDetail[]) : undefined,
  });
}
