import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ValidationError } from '@mediator/core';
import { configureJsonLimits, DEFAULT_MAX_JSON_DEPTH } from './json-shape';
import { Nullable, OpaqueJson } from './opaque-json';
import { readDto } from './read-dto';

class ItemDto {
  @IsString() name: string;
}

class SendDto {
  @IsString() to: string;
  @OpaqueJson({ required: true }) message: unknown;
  @IsOptional() @IsObject() @OpaqueJson({ nullable: false }) headers?: Record<string, string>;
  @IsOptional() @IsInt() @Type(() => Number) count?: number;
  @IsOptional() @Nullable() @IsString() endpoint?: string | null;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => ItemDto) items?: ItemDto[];
}

class SendCommandDto extends SendDto {
  @IsString() mediator: string;
}

const PROTOTYPE_NAMED = { constructor: 1, toString: 'x', valueOf: [1], hasOwnProperty: null };

function nested(levels: number): unknown {
  return JSON.parse('['.repeat(levels) + '1' + ']'.repeat(levels));
}

function problems(run: () => unknown): { field: string; problem: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details ?? [];
  }
  throw new Error('no validation error');
}

afterEach(() => configureJsonLimits({ maxJsonDepth: DEFAULT_MAX_JSON_DEPTH }));

describe('readDto', () => {
  it('keeps opaque fields exactly as received, keys named like prototype members included', () => {
    const dto = readDto(SendDto, {
      to: 'bob',
      message: PROTOTYPE_NAMED,
      headers: { valueOf: 'v' },
    });
    expect(dto).toBeInstanceOf(SendDto);
    expect(dto.message).toEqual(PROTOTYPE_NAMED);
    expect(dto.headers).toEqual({ valueOf: 'v' });
  });

  it('keeps them in subclasses (the Kafka command DTOs)', () => {
    const dto = readDto(SendCommandDto, { mediator: 'm', to: 'bob', message: PROTOTYPE_NAMED });
    expect(dto.message).toEqual(PROTOTYPE_NAMED);
  });

  it('accepts null as a required opaque value, not its absence', () => {
    expect(readDto(SendDto, { to: 'bob', message: null }).message).toBeNull();
    expect(problems(() => readDto(SendDto, { to: 'bob' }))).toEqual([
      { field: 'message', problem: 'message is required' },
    ]);
  });

  it('refuses null in a field unless it takes null (read as absent it would hide a mistake)', () => {
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, count: null }))).toEqual([
      { field: 'count', problem: 'count must not be null' },
    ]);
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, headers: null }))).toEqual([
      { field: 'headers', problem: 'headers must not be null' },
    ]);
    expect(readDto(SendDto, { to: 'b', message: 1, endpoint: null }).endpoint).toBeNull();
  });

  it('still applies the rules of an opaque field', () => {
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, headers: 'x' }))).toEqual([
      { field: 'headers', problem: expect.stringContaining('object') },
    ]);
  });

  it('transforms and validates the other fields, nested ones named by path', () => {
    expect(readDto(SendDto, { to: 'b', message: 1, count: '3' }).count).toBe(3);
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, items: [{ name: 2 }] }))).toEqual(
      [{ field: 'items.0.name', problem: expect.any(String) }],
    );
  });

  it('rejects unknown fields, prototype-named ones included', () => {
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, extra: 1 }))).toEqual([
      { field: 'extra', problem: 'property extra should not exist' },
    ]);
    expect(problems(() => readDto(SendDto, { to: 'b', message: 1, constructor: 1 }))).toEqual([
      { field: 'constructor', problem: 'property constructor should not exist' },
    ]);
  });

  it('rejects a __proto__ key anywhere, as the REST parser does', () => {
    const payload = JSON.parse('{"to":"b","message":{"a":[{"__proto__":{"admin":true}}]}}');
    expect(problems(() => readDto(SendDto, payload))).toEqual([
      { field: 'message', problem: 'must not contain a __proto__ key' },
    ]);
  });

  it('rejects nesting deeper than the limit before any transformation, without recursion', () => {
    expect(readDto(SendDto, { to: 'b', message: nested(DEFAULT_MAX_JSON_DEPTH - 1) })).toBeTruthy();
    for (const levels of [DEFAULT_MAX_JSON_DEPTH, 100_000])
      expect(problems(() => readDto(SendDto, { to: 'b', message: nested(levels) }))).toEqual([
        { field: 'message', problem: 'nests objects and arrays deeper than 64 levels' },
      ]);
  });

  it('uses the configured limit (server.max_json_depth)', () => {
    configureJsonLimits({ maxJsonDepth: 3 });
    expect(readDto(SendDto, { to: 'b', message: { a: { b: 1 } } })).toBeTruthy();
    expect(problems(() => readDto(SendDto, { to: 'b', message: { a: { b: {} } } }))).toEqual([
      { field: 'message', problem: 'nests objects and arrays deeper than 3 levels' },
    ]);
  });

  it('wants a JSON object', () => {
    for (const payload of [null, 'x', [1]])
      expect(problems(() => readDto(SendDto, payload))).toEqual([
        { field: '', problem: 'must be a JSON object' },
      ]);
  });
});
