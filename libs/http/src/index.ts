export { AllExceptionsFilter } from './all-exceptions.filter';
export { createValidationPipe } from './validation.pipe';
export { type ErrorBody, STATUS_BY_CATEGORY, bodyFor, reasonPhrase } from './error-body';
export { UnauthenticatedError, RateLimitedError } from './http-errors';
export { PageQueryDto, toPageRequest } from './page-query.dto';
export { ErrorResponseDto, ApiErrors, correctReflectedTypes } from './openapi';
export { acceptEmptyJsonBodies } from './json-body.parser';
export { frameworkErrorHandler } from './framework-errors';
export { asUnavailable, DependencyUnavailableError } from './infrastructure-errors';
