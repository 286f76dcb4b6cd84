import { plainToInstance } from 'class-transformer';
import { type ValidationError as ClassValidatorError, validateSync } from 'class-validator';
import { type ErrorDetail, ValidationError } from '@mediator/core';
import { jsonShapeProblem, maxJsonDepth } from './json-shape';
import { nullableFieldsOf, opaqueFieldsOf } from './opaque-json';
import { quicklyBuilt, quicklyValid } from './quick-validation';

function flatten(errors: ClassValidatorError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function invalid(details: ErrorDetail[]): ValidationError {
  return new ValidationError('the request is not valid', details);
}

/**
 * Builds and validates a DTO from a parsed JSON object, the same way on every transport: the
 * shape is checked first (depth, prototype keys) so nothing deep or hostile reaches
 * class-transformer; `null` only where a field takes it (a field is left out to get its default);
 * opaque fields skip class-transformer and are set as received; unknown fields are rejected and
 * every problem is listed per field.
 */
export function readDto<T extends object>(type: new () => T, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw invalid([{ field: '', problem: 'must be a JSON object' }]);
  const opaque = opaqueFieldsOf(type);
  const problem = jsonShapeProblem(payload, opaque, maxJsonDepth());
  if (problem) throw invalid([problem]);
  const entries = Object.entries(payload);
  const nullable = nullableFieldsOf(type);
  const nulls = entries.filter(([key, value]) => value === null && !nullable.has(key));
  if (nulls.length > 0)
    throw invalid(nulls.map(([field]) => ({ field, problem: `${field} must not be null` })));
  const fields = entries.filter(([key]) => !opaque.has(key));
  const instance = quicklyBuilt(type, fields) ?? plainToInstance(type, Object.fromEntries(fields));
  for (const [key, value] of entries)
    if (opaque.has(key)) (instance as Record<string, unknown>)[key] = value;
  if (quicklyValid(type, instance)) return instance;
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw invalid(flatten(errors));
  return instance;
}
