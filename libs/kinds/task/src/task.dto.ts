import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { JsonValue, Task, TaskStatus } from '@mediator/core';
import { DurationField, OpaqueJson, PageQueryDto } from '@mediator/http';

export const TASK_STATUSES: readonly TaskStatus[] = ['pending', 'claimed', 'completed', 'dead'];

export class SubmitTaskDto {
  @ApiProperty({ example: 'resize photo 42' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'resize', description: 'workers claim tasks by type' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 5,
    default: 0,
    description: 'higher is claimed first',
  })
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  priority?: number;

  @ApiPropertyOptional({ description: 'any JSON value', example: { photo_id: 42, width: 320 } })
  @IsOptional()
  @OpaqueJson()
  data?: JsonValue;

  @ApiPropertyOptional({
    type: 'integer',
    example: 3,
    default: 3,
    description: 'retries after the first attempt',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  retry_count?: number;

  @DurationField({
    unit: 'ms',
    min: 1,
    max: 86_400_000,
    example: 30000,
    description: 'how long a claim holds (default 30000)',
  })
  claim_timeout_ms?: number;
}

export class ClaimTaskDto {
  @ApiProperty({ example: 'resizer-1' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  worker_id: string;

  @ApiPropertyOptional({ example: ['resize'], description: 'only these types; all when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  types?: string[];
}

export class CompleteTaskDto {
  @ApiProperty({ example: 'resizer-1' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  worker_id: string;

  @ApiPropertyOptional({ description: 'any JSON value', example: { url: '/thumbs/42.jpg' } })
  @IsOptional()
  @OpaqueJson()
  result?: JsonValue;
}

export class FailTaskDto {
  @ApiProperty({ example: 'resizer-1' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  worker_id: string;

  @ApiProperty({ example: 'corrupt image' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  error: string;
}

export class TaskQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}

export class TaskResponseDto {
  @ApiProperty({ example: '0190a6f2-8c1e-7c3a-9d2e-1f2a3b4c5d6e' }) id: string;
  @ApiProperty({ example: 'images' }) mediator: string;
  @ApiProperty({ example: 'resize photo 42' }) name: string;
  @ApiProperty({ example: 'resize' }) type: string;
  @ApiProperty({ example: 5 }) priority: number;
  @ApiProperty({ example: { photo_id: 42 } }) data: JsonValue;
  @ApiProperty({ enum: TASK_STATUSES, example: 'claimed' }) status: TaskStatus;
  @ApiProperty({ example: 1, description: 'how many times it was claimed' }) attempts: number;
  @ApiProperty({ example: 3 }) retry_count: number;
  @ApiProperty({ example: 30000 }) claim_timeout_ms: number;
  @ApiProperty({ example: 'resizer-1', nullable: true }) worker_id: string | null;
  @ApiProperty({ example: '2026-01-02T03:04:35.000Z', nullable: true })
  claim_expires_at: string | null;
  @ApiProperty({ example: null, nullable: true }) result: JsonValue;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'why the last attempt failed (the worker’s `error`)',
  })
  error: string | null;
  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' }) submitted_at: string;
  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' }) updated_at: string;

  static from(t: Task): TaskResponseDto {
    return {
      id: t.id,
      mediator: t.mediator,
      name: t.name,
      type: t.type,
      priority: t.priority,
      data: t.data,
      status: t.status,
      attempts: t.attempts,
      retry_count: t.retryCount,
      claim_timeout_ms: t.claimTimeoutMs,
      worker_id: t.claimedBy,
      claim_expires_at: t.claimExpiresAt?.toISOString() ?? null,
      result: t.result,
      error: t.error,
      submitted_at: t.submittedAt.toISOString(),
      updated_at: t.updatedAt.toISOString(),
    };
  }
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskResponseDto] }) items: TaskResponseDto[];
  @ApiProperty({ nullable: true, example: null }) next_cursor: string | null;
}
