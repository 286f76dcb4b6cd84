import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy } from 'class-validator';

/** `90s`, `1m`, `1h30m`, `500ms`: what the config file and the original's examples write. */
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export interface DurationFieldOptions {
  /** The integer's unit: seconds, or milliseconds for a field named `…_ms`. */
  unit: 'seconds' | 'ms';
  min: number;
  max: number;
  example: number | string;
  description: string;
  required?: boolean;
}

/** A duration string in the field's unit (a fraction when it does not divide), else the value. */
export function durationIn(unit: DurationFieldOptions['unit'], value: unknown): unknown {
  if (typeof value !== 'string' || !DURATION_PATTERN.test(value)) return value;
  const ms = [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)].reduce(
    (total, [, n, u]) => total + Number(n) * UNIT_MS[u],
    0,
  );
  return unit === 'ms' ? ms : ms / 1000;
}

/**
 * The validation half of DurationField, free of Nest (so unit tests can load it): reads a
 * duration string into the field's unit before validation, then requires an integer in range.
 */
export function DurationValue(options: DurationFieldOptions): PropertyDecorator {
  const { unit, min, max, required } = options;
  const unitName = unitNameOf(unit);
  const decorators = [
    Transform(({ value }: { value: unknown }) => durationIn(unit, value)),
    ...(required ? [] : [IsOptional()]),
    ValidateBy({
      name: 'isDuration',
      constraints: [min, max],
      validator: {
        validate: (value) =>
          typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
        defaultMessage: (args) =>
          `${args?.property ?? 'the field'} must be a whole number of ${unitName} from ${min} to ${max}, ` +
          'or a duration such as "90s" or "1m" within that range',
      },
    }),
  ];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

export function unitNameOf(unit: DurationFieldOptions['unit']): string {
  return unit === 'ms' ? 'milliseconds' : 'seconds';
}
