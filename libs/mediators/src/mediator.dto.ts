import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MEDIATOR_NAME_PATTERN, type MediatorInfo } from '@mediator/core';

export class CreateMediatorDto {
  @ApiProperty({ example: 'orders', pattern: MEDIATOR_NAME_PATTERN.source })
  @IsString()
  @Matches(MEDIATOR_NAME_PATTERN, { message: `name must match ${MEDIATOR_NAME_PATTERN.source}` })
  name: string;

  @ApiPropertyOptional({ example: 'Order processing', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 100,
    minimum: 1,
    description: 'defaults to the configured max_colleagues',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  max_colleagues?: number;
}

export class UpdateMediatorDto {
  @ApiPropertyOptional({ example: 'Order processing (EU)', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  @ApiPropertyOptional({ type: 'integer', example: 200, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  max_colleagues?: number;
}

export class MediatorResponseDto {
  @ApiProperty({ example: 'orders' }) name: string;
  @ApiProperty({ example: 'Order processing' }) description: string;
  @ApiProperty({ example: 100 }) max_colleagues: number;
  @ApiProperty({ example: 2 }) colleague_count: number;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) updated_at: string;

  static from(m: MediatorInfo): MediatorResponseDto {
    return {
      name: m.name,
      description: m.description,
      max_colleagues: m.maxColleagues,
      colleague_count: m.colleagueCount,
      created_at: m.createdAt.toISOString(),
      updated_at: m.updatedAt.toISOString(),
    };
  }
}

export class MediatorPageDto {
  @ApiProperty({ type: [MediatorResponseDto] }) items: MediatorResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}
