/**
 * Domain errors of the mediator. Each carries a stable UPPER_SNAKE `code` and a `category`
 * that every transport maps to its own status (HTTP status, Socket.IO ack, Kafka reply).
 */
export type ErrorCategory =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'timeout'
  | 'unavailable'
  | 'rate_limited';

export interface ErrorDetail {
  field: string;
  problem: string;
}

export class MediatorError extends Error {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends MediatorError {
  constructor(message: string, details?: ErrorDetail[]) {
    super('VALIDATION_FAILED', 'validation', message, details);
  }
}

export class ForbiddenError extends MediatorError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(code, 'forbidden', message);
  }
}

export class MediatorNotFoundError extends MediatorError {
  constructor(name: string) {
    super('MEDIATOR_NOT_FOUND', 'not_found', `mediator '${name}' does not exist`);
  }
}

export class MediatorExistsError extends MediatorError {
  constructor(name: string) {
    super('MEDIATOR_EXISTS', 'conflict', `mediator '${name}' already exists`);
  }
}

export class MaxMediatorsReachedError extends MediatorError {
  constructor(max: number) {
    super('MAX_MEDIATORS_REACHED', 'unprocessable', `the limit of ${max} mediators is reached`);
  }
}

export class ColleagueNotFoundError extends MediatorError {
  constructor(mediator: string, id: string, role = 'colleague') {
    super(
      'COLLEAGUE_NOT_FOUND',
      'not_found',
      `${role} '${id}' is not registered with mediator '${mediator}'`,
    );
  }
}

export class ColleagueExistsError extends MediatorError {
  constructor(mediator: string, id: string) {
    super(
      'COLLEAGUE_EXISTS',
      'conflict',
      `colleague '${id}' is already registered with mediator '${mediator}'`,
    );
  }
}

export class MaxColleaguesReachedError extends MediatorError {
  constructor(mediator: string, max: number) {
    super(
      'MAX_COLLEAGUES_REACHED',
      'unprocessable',
      `mediator '${mediator}' already has its maximum of ${max} colleagues`,
    );
  }
}

export class ColleagueInactiveError extends MediatorError {
  constructor(mediator: string, id: string) {
    super(
      'COLLEAGUE_INACTIVE',
      'conflict',
      `colleague '${id}' of mediator '${mediator}' is inactive`,
    );
  }
}

export class MessageNotFoundError extends MediatorError {
  constructor(mediator: string, id: string) {
    super(
      'MESSAGE_NOT_FOUND',
      'not_found',
      `message '${id}' does not exist in mediator '${mediator}'`,
    );
  }
}

export class NoHandlerError extends MediatorError {
  constructor(mediator: string, type: string) {
    super('NO_HANDLER', 'not_found', `no colleague of mediator '${mediator}' handles '${type}'`);
  }
}

export class RequestTimeoutError extends MediatorError {
  constructor(type: string, timeoutMs: number) {
    super('REQUEST_TIMEOUT', 'timeout', `no reply to '${type}' within ${timeoutMs} ms`);
  }
}

/** A handler failed with something other than a MediatorError; its message is kept. */
export class HandlerFailedError extends MediatorError {
  constructor(type: string, reason: string) {
    super('HANDLER_FAILED', 'unprocessable', `the handler of '${type}' failed: ${reason}`);
  }
}

export class InsufficientCapacityError extends MediatorError {
  /** `detail` says what did not fit, e.g. `2 free, 3 requested`. */
  constructor(resource: string, detail: string) {
    super('INSUFFICIENT_CAPACITY', 'conflict', `resource '${resource}': ${detail}`);
  }
}

/** An operation that the current state of a workflow, task, job, … does not allow. */
export class InvalidStateError extends MediatorError {
  constructor(message: string) {
    super('INVALID_STATE', 'conflict', message);
  }
}

export class InvalidScheduleError extends MediatorError {
  constructor(schedule: string, problem: string) {
    super('INVALID_SCHEDULE', 'validation', `invalid schedule '${schedule}': ${problem}`, [
      { field: 'schedule', problem },
    ]);
  }
}

/** One not-found error per stateful kind, so each has its stable code. */
function notFound(code: string, what: string) {
  return class extends MediatorError {
    constructor(mediator: string, id: string) {
      super(code, 'not_found', `${what} '${id}' does not exist in mediator '${mediator}'`);
    }
  };
}

export class TaskNotFoundError extends notFound('TASK_NOT_FOUND', 'task') {}
export class WorkflowNotFoundError extends notFound('WORKFLOW_NOT_FOUND', 'workflow') {}
export class LeaseNotFoundError extends notFound('LEASE_NOT_FOUND', 'lease') {}
export class ResourceNotFoundError extends notFound('RESOURCE_NOT_FOUND', 'resource') {}
export class JobNotFoundError extends notFound('JOB_NOT_FOUND', 'job') {}
export class ServiceNotFoundError extends notFound('SERVICE_NOT_FOUND', 'service') {}
export class NotificationNotFoundError extends notFound('NOTIFICATION_NOT_FOUND', 'notification') {}
