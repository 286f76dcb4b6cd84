import { readDto } from './read-dto';

/**
 * Validates a payload that did not come through HTTP (Socket.IO, Kafka) with the same DTO rules
 * as the REST pipe: the same depth limit, opaque fields kept verbatim, unknown fields rejected.
 */
export function validateDto<T extends object>(type: new () => T, payload: unknown): T {
  return readDto(type, payload);
}
