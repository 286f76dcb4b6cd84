import 'reflect-metadata';
import { ValidationError } from '@mediator/core';
import { durationIn, DurationValue } from './duration-value';
import { readDto } from './read-dto';

class LeaseDto {
  @DurationValue({ unit: 'seconds', min: 1, max: 3600, example: 60, description: 'x' })
  ttl?: number;

  @DurationValue({ unit: 'ms', min: 1, max: 600_000, example: 5000, description: 'x' })
  timeout_ms?: number;
}

function problem(payload: object): string {
  try {
    readDto(LeaseDto, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details!.map((d) => d.problem).join('; ');
  }
  throw new Error('accepted');
}

describe('duration fields (integer of the unit, or "90s", "1m")', () => {
  it('reads duration strings into the field unit', () => {
    expect(durationIn('seconds', '90s')).toBe(90);
    expect(durationIn('seconds', '1m')).toBe(60);
    expect(durationIn('seconds', '1h30m')).toBe(5400);
    expect(durationIn('ms', '90s')).toBe(90_000);
    expect(durationIn('ms', '250ms')).toBe(250);
    expect(durationIn('seconds', 60)).toBe(60);
    expect(durationIn('seconds', 'soon')).toBe('soon');
  });

  it('accepts an integer, "90s" and "1m" through readDto', () => {
    expect(readDto(LeaseDto, { ttl: 60 }).ttl).toBe(60);
    expect(readDto(LeaseDto, { ttl: '90s' }).ttl).toBe(90);
    expect(readDto(LeaseDto, { ttl: '1m', timeout_ms: '2s' })).toEqual({
      ttl: 60,
      timeout_ms: 2000,
    });
    expect(readDto(LeaseDto, {}).ttl).toBeUndefined();
  });

  it('refuses other strings, fractions of the unit and values out of range, naming the field', () => {
    for (const ttl of ['90', 'soon', '1500ms', 1.5, '2h', 0, true]) {
      expect(problem({ ttl })).toMatch(/^ttl must be a whole number of seconds from 1 to 3600/);
    }
    expect(problem({ timeout_ms: '11m' })).toMatch(
      /^timeout_ms must be a whole number of milliseconds/,
    );
  });
});
