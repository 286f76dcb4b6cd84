import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { DtoValidationPipe } from './validation.pipe';

describe('DtoValidationPipe', () => {
  const pipe = new DtoValidationPipe();
  const nest = new ValidationPipe({ transform: true });

  it('hands back path parameters and custom decorator values at once, as Nest’s pipe would', async () => {
    const principal = { sub: 'alice' };
    const cases = [
      ['orders', { type: 'param', metatype: String, data: 'name' }],
      [principal, { type: 'custom', metatype: Object, data: undefined }],
    ] as const;
    for (const [value, metadata] of cases) {
      const mine = pipe.transform(value, metadata);
      expect(mine).not.toBeInstanceOf(Promise);
      expect(mine).toBe(await nest.transform(value, metadata));
    }
  });

  it('still converts the primitives Nest converts', async () => {
    expect(await pipe.transform('42', { type: 'param', metatype: Number, data: 'n' })).toBe(42);
    expect(await pipe.transform('true', { type: 'query', metatype: Boolean, data: 'b' })).toBe(
      true,
    );
  });
});
