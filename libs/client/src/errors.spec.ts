import {
  errorFromAnswer,
  errorFromResponse,
  HandlerFailedError,
  MediatorApiError,
  MediatorNotFoundError,
  NoHandlerError,
  NotFoundError,
  RateLimitedError,
  ValidationFailedError,
} from './errors';

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });

describe('errors', () => {
  it('maps the contract error body to the class of its code, with status and request id', () => {
    const error = errorFromResponse(
      {
        status_code: 404,
        error: 'Not Found',
        code: 'MEDIATOR_NOT_FOUND',
        message: "mediator 'x' does not exist",
        request_id: 'r-1',
      },
      response(404),
    );
    expect(error).toBeInstanceOf(MediatorNotFoundError);
    expect(error).toBeInstanceOf(MediatorApiError);
    expect(error).toMatchObject({ status: 404, code: 'MEDIATOR_NOT_FOUND', requestId: 'r-1' });
    expect(error.name).toBe('MediatorNotFoundError');
  });

  it('keeps validation details and the Retry-After seconds', () => {
    const details = [{ field: 'name', problem: 'must not be empty' }];
    const invalid = errorFromResponse(
      { code: 'VALIDATION_FAILED', message: 'bad', request_id: 'r', details },
      response(400),
    );
    expect(invalid).toBeInstanceOf(ValidationFailedError);
    expect((invalid as ValidationFailedError).details).toEqual(details);
    const limited = errorFromResponse(
      { code: 'RATE_LIMITED', message: 'slow down', request_id: 'r' },
      response(429, { 'retry-after': '7' }),
    );
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfter).toBe(7);
  });

  it('maps unknown *_NOT_FOUND codes, handler codes on 422 and bodies without a code', () => {
    expect(
      errorFromResponse({ code: 'TASK_NOT_FOUND', message: 'm' }, response(404)),
    ).toBeInstanceOf(NotFoundError);
    expect(
      errorFromResponse({ code: 'CARD_DECLINED', message: 'm' }, response(422)),
    ).toBeInstanceOf(HandlerFailedError);
    expect(errorFromResponse('<html>', response(502))).toMatchObject({
      code: 'HTTP_502',
      status: 502,
    });
  });

  it('maps a Socket.IO or Kafka answer error', () => {
    expect(errorFromAnswer({ code: 'NO_HANDLER', message: 'none' })).toBeInstanceOf(NoHandlerError);
    expect(errorFromAnswer(undefined)).toMatchObject({ code: 'INTERNAL_ERROR', status: 0 });
  });
});
