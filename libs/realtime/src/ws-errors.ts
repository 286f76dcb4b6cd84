import { MediatorError } from '@mediator/core';

/** Each subscription holds a room and its events on this instance: a socket gets a bounded number. */
export class TooManySubscriptionsError extends MediatorError {
  constructor(max: number) {
    super(
      'TOO_MANY_SUBSCRIPTIONS',
      'unprocessable',
      `a socket may subscribe to at most ${max} mediators; unsubscribe from one first`,
    );
  }
}

/** `authenticate` may extend a connection's life, never change who or what it is bound to. */
export class TokenMismatchError extends MediatorError {
  constructor(what: string) {
    super(
      'TOKEN_MISMATCH',
      'forbidden',
      `the new token must have the same ${what} as the connection's token; reconnect to change it`,
    );
  }
}
