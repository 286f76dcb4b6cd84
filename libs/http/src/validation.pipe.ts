import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  ValidationPipe,
} from '@nestjs/common';
import { readDto } from './read-dto';

const NOT_DTOS: unknown[] = [String, Boolean, Number, Array, Object, Buffer];

/**
 * The global pipe: request bodies and query strings typed with a DTO class go through readDto;
 * anything else (path parameters, custom decorators) through Nest's pipe, which converts primitives.
 */
@Injectable()
export class DtoValidationPipe implements PipeTransform {
  private readonly primitives = new ValidationPipe({ transform: true });

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { type, metatype } = metadata;
    // What Nest's pipe would hand back unchanged, handed back now: its transform is async, a
    // promise per parameter of every request. A custom decorator's value is not validated.
    if (type === 'custom' || (type === 'param' && metatype === String && typeof value === 'string'))
      return value;
    if ((type !== 'body' && type !== 'query') || !metatype || NOT_DTOS.includes(metatype))
      return this.primitives.transform(value, metadata);
    // An absent body is an empty object: the DTO then lists every required field. A JSON `null`
    // body is not absent: readDto refuses it as it refuses any body that is not an object.
    return readDto(metatype as new () => object, value === undefined ? {} : value);
  }
}

/** DTO validation shared by all transports: unknown fields are rejected, errors listed per field. */
export function createValidationPipe(): PipeTransform {
  return new DtoValidationPipe();
}
