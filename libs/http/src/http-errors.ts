import { MediatorError } from '@mediator/core';

/** Errors raised by the HTTP edge itself (not by the domain). */
export class UnauthenticatedError extends MediatorError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHORIZED', 'unauthenticated', message);
  }
}

export class RateLimitedError extends MediatorError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'rate_limited', `too many requests; retry after ${retryAfterSeconds} s`);
  }
}
