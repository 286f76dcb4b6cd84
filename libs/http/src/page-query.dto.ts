import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { decodeCursor, type PageRequest } from '@mediator/persistence';

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
    description: 'next_cursor of the previous page',
    example: 'eyJrIjoib3JkZXJzIn0',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

export function toPageRequest(query: PageQueryDto): PageRequest {
  return { limit: query.limit ?? 50, after: decodeCursor(query.cursor) };
}
