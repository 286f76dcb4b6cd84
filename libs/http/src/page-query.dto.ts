import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { decodeCursor, type PageRequest } from '@mediator/persistence';

/** Cursors are base64url (RFC 4648 §5) without padding. */
const CURSOR_PATTERN = /^[A-Za-z0-9_-]*$/;

/** `limit` (1–500, default 50) and an opaque `cursor`, as every list endpoint takes them. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({
    description:
      'the `next_cursor` of the previous page of the same list: base64url text, opaque. A cursor ' +
      'this API did not return is 400 VALIDATION_FAILED (`is not a cursor returned by this API`)',
    example: 'eyJrIjoiMSJ9',
    maxLength: 1024,
    pattern: CURSOR_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @Matches(CURSOR_PATTERN, { message: 'is not a cursor returned by this API' })
  cursor?: string;
}

export function toPageRequest(query: PageQueryDto): PageRequest {
  return { limit: query.limit ?? 50, after: decodeCursor(query.cursor) };
}
