import 'reflect-metadata';
import * as classTransformer from 'class-transformer';
import { plainToInstance, Type } from 'class-transformer';
import * as classValidator from 'class-validator';
import {
  Allow,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { OpaqueJson } from './opaque-json';
import { quicklyBuilt, quicklyValid } from './quick-validation';
import { readDto } from './read-dto';

class SendDto {
  @IsString() @Matches(/^[a-z][a-z0-9-]{0,15}$/) to: string;
  @OpaqueJson({ required: true }) message: unknown;
  @IsOptional() @IsIn(['message', 'event']) kind?: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(4) type?: string;
  @IsOptional() @IsObject() @OpaqueJson({ nullable: false }) headers?: Record<string, string>;
}

class ConditionalDto {
  @IsDefined() @IsIn(['a', 'b']) mode: string;
  @ValidateIf((o: ConditionalDto) => o.mode === 'b') @IsString() detail?: string;
  @Allow() anything?: unknown;
}

class SubDto extends SendDto {
  @IsString() mediator: string;
}

class ItemDto {
  @IsString() name: string;
}
class NestedDto {
  @ValidateNested() @Type(() => ItemDto) item: ItemDto;
}
class TypedDto {
  @IsOptional() @Type(() => Number) count?: number;
  @IsOptional() @IsString() name?: string;
}
class EachDto {
  @IsString({ each: true }) tags: string[];
}

const OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

const CANDIDATES: unknown[] = [
  undefined,
  null,
  '',
  'a',
  'b',
  'bob',
  'message',
  'event',
  'Bob',
  'abcde',
  '😀😀😀😀😀',
  '😀😀',
  0,
  1,
  true,
  {},
  { a: 1 },
  [],
  ['x'],
];
const SEND_FIELDS = ['to', 'message', 'kind', 'type', 'headers'];
const FIELDS = new Map<new () => object, string[]>([
  [SendDto, SEND_FIELDS],
  [ConditionalDto, ['mode', 'detail', 'anything']],
  [SubDto, [...SEND_FIELDS, 'mediator']],
]);

/** A small deterministic generator (no flaky random inputs). */
function* payloads(fields: string[], count: number): Generator<Record<string, unknown>> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    const payload: Record<string, unknown> = {};
    for (const field of [...fields, 'extra']) {
      if (next() < (field === 'extra' ? 0.9 : 0.3)) continue;
      const value = CANDIDATES[Math.floor(next() * CANDIDATES.length)];
      if (value !== undefined) payload[field] = value;
    }
    yield payload;
  }
}

function instanceOf(type: new () => object, payload: Record<string, unknown>): object {
  const instance = plainToInstance(type, payload);
  for (const key of ['message', 'headers'])
    if (key in payload) (instance as Record<string, unknown>)[key] = payload[key];
  return instance;
}

describe('quicklyValid', () => {
  it.each([SendDto, ConditionalDto, SubDto])(
    'says valid exactly when class-validator finds no error (%p)',
    (type) => {
      let valid = 0;
      for (const payload of payloads(FIELDS.get(type)!, 20_000)) {
        const instance = instanceOf(type, payload);
        const expected = validateSync(instance, OPTIONS).length === 0;
        expect({ payload, quick: quicklyValid(type, instance) }).toEqual({
          payload,
          quick: expected,
        });
        if (expected) valid++;
      }
      expect(valid).toBeGreaterThan(20); // the generator reaches the valid case too
    },
  );

  it('leaves to class-validator what it does not model (nested DTOs, each)', () => {
    expect(quicklyValid(NestedDto, plainToInstance(NestedDto, { item: { name: 'x' } }))).toBe(
      false,
    );
    expect(quicklyValid(EachDto, plainToInstance(EachDto, { tags: ['x'] }))).toBe(false);
    expect(readDto(NestedDto, { item: { name: 'x' } }).item).toBeInstanceOf(ItemDto);
    expect(readDto(EachDto, { tags: ['x'] }).tags).toEqual(['x']);
  });

  it('spares readDto the class-validator and class-transformer passes for a valid body', () => {
    const spy = jest.spyOn(classValidator, 'validateSync');
    const transform = jest.spyOn(classTransformer, 'plainToInstance');
    try {
      expect(readDto(SendDto, { to: 'bob', message: { a: 1 }, kind: 'event' }).kind).toBe('event');
      expect(spy).not.toHaveBeenCalled();
      expect(transform).not.toHaveBeenCalled();
      expect(() => readDto(SendDto, { to: 'Bob', message: 1 })).toThrow();
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
      transform.mockRestore();
    }
  });
});

describe('quicklyBuilt', () => {
  const opaque = new Set(['message', 'headers']);

  it.each<new () => object>([SendDto, ConditionalDto, SubDto])(
    'builds what plainToInstance builds, or leaves it to plainToInstance (%p)',
    (type) => {
      let built = 0;
      for (const payload of payloads(FIELDS.get(type)!, 5_000)) {
        const fields = Object.entries(payload).filter(([key]) => !opaque.has(key));
        const quick = quicklyBuilt(type, fields);
        if (quick === undefined) continue;
        built++;
        expect(quick).toStrictEqual(plainToInstance(type, Object.fromEntries(fields)));
      }
      expect(built).toBeGreaterThan(100);
    },
  );

  it('leaves a class with transformations, or a field it does not know, to plainToInstance', () => {
    expect(quicklyBuilt(TypedDto, [['name', 'x']])).toBeUndefined();
    expect(quicklyBuilt(SendDto, [['constructor', 'x']])).toBeUndefined();
    expect(quicklyBuilt(SendDto, [['to', { a: 1 }]])).toBeUndefined();
    expect(readDto(TypedDto, { count: '3' }).count).toBe(3);
  });
});
