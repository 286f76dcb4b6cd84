import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ValidationError } from '@mediator/core';

/** Validates a payload that did not come through HTTP (Socket.IO, Kafka) with the same DTO rules. */
export function validateDto<T extends object>(type: new () => T, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ValidationError('the payload must be a JSON object', [
      { field: '', problem: 'must be an object' },
    ]);
  }
  const instance = plainToInstance(type, payload);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new ValidationError(
      'the request is not valid',
      errors.flatMap((e) =>
        Object.values(e.constraints ?? {}).map((problem) => ({ field: e.property, problem })),
      ),
    );
  }
  return instance;
}
