import {
  ColleagueExistsError,
  ColleagueInactiveError,
  ColleagueNotFoundError,
  ForbiddenError,
  MaxColleaguesReachedError,
  MaxMediatorsReachedError,
  MediatorError,
  MediatorExistsError,
  MediatorNotFoundError,
  MessageNotFoundError,
  NoHandlerError,
  RequestTimeoutError,
  ValidationError,
} from './errors';

describe('domain errors', () => {
  it.each([
    [new ValidationError('bad'), 'ValidationError', 'VALIDATION_FAILED', 'validation', 'bad'],
    [new ForbiddenError('no'), 'ForbiddenError', 'FORBIDDEN', 'forbidden', 'no'],
    [
      new MediatorNotFoundError('m'),
      'MediatorNotFoundError',
      'MEDIATOR_NOT_FOUND',
      'not_found',
      "mediator 'm' does not exist",
    ],
    [
      new MediatorExistsError('m'),
      'MediatorExistsError',
      'MEDIATOR_EXISTS',
      'conflict',
      "mediator 'm' already exists",
    ],
    [
      new MaxMediatorsReachedError(3),
      'MaxMediatorsReachedError',
      'MAX_MEDIATORS_REACHED',
      'unprocessable',
      'the limit of 3 mediators is reached',
    ],
    [
      new ColleagueNotFoundError('m', 'c'),
      'ColleagueNotFoundError',
      'COLLEAGUE_NOT_FOUND',
      'not_found',
      "colleague 'c' is not registered with mediator 'm'",
    ],
    [
      new ColleagueExistsError('m', 'c'),
      'ColleagueExistsError',
      'COLLEAGUE_EXISTS',
      'conflict',
      "colleague 'c' is already registered with mediator 'm'",
    ],
    [
      new MaxColleaguesReachedError('m', 2),
      'MaxColleaguesReachedError',
      'MAX_COLLEAGUES_REACHED',
      'unprocessable',
      "mediator 'm' already has its maximum of 2 colleagues",
    ],
    [
      new ColleagueInactiveError('m', 'c'),
      'ColleagueInactiveError',
      'COLLEAGUE_INACTIVE',
      'conflict',
      "colleague 'c' of mediator 'm' is inactive",
    ],
    [
      new MessageNotFoundError('m', 'x'),
      'MessageNotFoundError',
      'MESSAGE_NOT_FOUND',
      'not_found',
      "message 'x' does not exist in mediator 'm'",
    ],
    [
      new NoHandlerError('m', 'create_user'),
      'NoHandlerError',
      'NO_HANDLER',
      'not_found',
      "no colleague of mediator 'm' handles 'create_user'",
    ],
    [
      new RequestTimeoutError('get_user', 500),
      'RequestTimeoutError',
      'REQUEST_TIMEOUT',
      'timeout',
      "no reply to 'get_user' within 500 ms",
    ],
  ])(
    '%s has name %s, code %s, category %s and a message',
    (error, name, code, category, message) => {
      expect(error).toBeInstanceOf(MediatorError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.category).toBe(category);
      expect(error.message).toBe(message);
      expect(error.stack).toContain(name);
    },
  );

  it('lets a caller tell error kinds apart with instanceof', () => {
    const error: unknown = new ColleagueExistsError('m', 'c');
    expect(error instanceof ColleagueExistsError).toBe(true);
    expect(error instanceof ColleagueNotFoundError).toBe(false);
  });

  it('names the role of a missing colleague', () => {
    expect(new ColleagueNotFoundError('m', 'c', 'sender').message).toBe(
      "sender 'c' is not registered with mediator 'm'",
    );
  });

  it('carries validation details', () => {
    const details = [{ field: 'id', problem: 'must not be empty' }];
    expect(new ValidationError('invalid', details).details).toEqual(details);
    expect(new ValidationError('invalid').details).toBeUndefined();
  });

  it('lets ForbiddenError carry a more precise code', () => {
    const error = new ForbiddenError('not your mediator', 'MEDIATOR_FORBIDDEN');
    expect(error.code).toBe('MEDIATOR_FORBIDDEN');
    expect(error.category).toBe('forbidden');
  });
});
