import { MediatorError } from '@mediator/core';

/** A store or broker that does not answer: 503, so clients retry instead of seeing a 500. */
export class DependencyUnavailableError extends MediatorError {
  constructor(message: string) {
    super('SERVICE_UNAVAILABLE', 'unavailable', message);
  }
}

const UNAVAILABLE_NAMES = new Set([
  'CannotExecuteNotConnectedError',
  'EntityMetadataNotFoundError',
  'ConnectionIsNotSetError',
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
]);
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'SQLITE_BUSY',
]);

/** Recognises "the dependency is down" errors of TypeORM, mysql2, Mongoose and kafkajs. */
export function asUnavailable(error: unknown): DependencyUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (
    UNAVAILABLE_NAMES.has(error.name) ||
    (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
    /buffering timed out|not connected|Connection is closed/i.test(error.message)
  ) {
    return new DependencyUnavailableError(
      'a storage or messaging dependency is not reachable; retry later',
    );
  }
  return undefined;
}
