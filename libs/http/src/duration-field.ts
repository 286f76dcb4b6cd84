import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DURATION_PATTERN,
  type DurationFieldOptions,
  DurationValue,
  unitNameOf,
} from './duration-value';

/**
 * A duration field of the API: an integer in the field's unit (seconds, or milliseconds for a
 * `…_ms` field), or a duration string such as `"90s"` or `"1m"`, read into that integer before
 * validation, so services see one number. The OpenAPI schema says so: `oneOf` an integer with its
 * range, or a string with the pattern.
 */
export function DurationField(options: DurationFieldOptions): PropertyDecorator {
  const { min, max, required } = options;
  const Property = required ? ApiProperty : ApiPropertyOptional;
  return applyDecorators(
    Property({
      oneOf: [
        { type: 'integer', minimum: min, maximum: max },
        { type: 'string', pattern: DURATION_PATTERN.source },
      ],
      example: options.example,
      description:
        `${options.description}; an integer of ${unitNameOf(options.unit)} or a duration ` +
        'such as "90s", "1m", "1h30m"',
    }),
    DurationValue(options),
  );
}
