import { MediatorError } from '@mediator/core';

/** Errors of the Kafka edge itself: the record could not be read as a command. */
export class InvalidJsonError extends MediatorError {
  constructor() {
    super('INVALID_JSON', 'validation', 'the record value is not JSON');
  }
}

export class UnknownOperationError extends MediatorError {
  constructor(type: string) {
    super('UNKNOWN_OPERATION', 'validation', `'${type}' is not an operation of mediator-commands`);
  }
}
