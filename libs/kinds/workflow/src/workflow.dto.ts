import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  MEDIATOR_NAME_PATTERN,
  type WorkflowState,
  type WorkflowStatus,
  type WorkflowStepDefinition,
} from '@mediator/core';
import type { StartWorkflowCommand } from './workflows.service';
import { OpaqueJson, PageQueryDto } from '@mediator/http';

export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  'running',
  'compensating',
  'completed',
  'failed',
  'cancelled',
];

export class WorkflowStepDto {
  @ApiProperty({ example: 'reserve_stock' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'stock.reserve', description: 'run by the handler of this type' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiPropertyOptional({
    example: 'stock.release',
    description: 'undoes the step when a later step fails',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  compensate?: string;

  @ApiPropertyOptional({ example: 2, description: 'retries of this step; default the workflow’s' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  retry_count?: number;
}

export class StartWorkflowDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    type: [WorkflowStepDto],
    example: [
      { name: 'reserve', type: 'stock.reserve', compensate: 'stock.release' },
      { name: 'charge', type: 'card.charge' },
    ],
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WorkflowStepDto)
  steps: WorkflowStepDto[];

  @ApiPropertyOptional({
    description: 'any JSON value, given to every step',
    example: { order_id: 42 },
  })
  @IsOptional()
  @OpaqueJson()
  data?: unknown;

  @ApiPropertyOptional({
    example: 1,
    description: 'retries of a failed step; default `workflows.retry_count`',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  retry_count?: number;
}

export class WorkflowDto {
  @ApiProperty({ example: '01936f0e-8b3c-7cc1-9a2e-5f0d1c2b3a41' })
  id: string;

  @ApiProperty({ example: 'shop' })
  mediator: string;

  @ApiProperty({ example: 'checkout' })
  name: string;

  @ApiProperty({ enum: WORKFLOW_STATUSES, example: 'running' })
  status: WorkflowStatus;

  @ApiProperty({ type: [WorkflowStepDto] })
  steps: WorkflowStepDto[];

  @ApiProperty({ example: 1, description: 'index of the next step; the ones before are completed' })
  current_step: number;

  @ApiProperty({ example: { order_id: 42 } })
  data: unknown;

  @ApiProperty({ example: 1 })
  retry_count: number;

  @ApiProperty({
    description: 'each completed step’s reply, by step name',
    example: { reserve: { ok: true } },
  })
  results: Record<string, unknown>;

  @ApiProperty({ example: [], description: 'steps already compensated' })
  compensated: string[];

  @ApiProperty({ example: null, nullable: true, type: String })
  error: string | null;

  @ApiProperty({ example: '2026-11-26T07:40:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-26T07:40:01.000Z' })
  updated_at: string;

  static from(w: WorkflowState): WorkflowDto {
    return {
      id: w.id,
      mediator: w.mediator,
      name: w.name,
      status: w.status,
      steps: w.steps.map(stepToWire),
      current_step: w.currentStep,
      data: w.data,
      retry_count: w.retryCount,
      results: w.results,
      compensated: w.compensated,
      error: w.error,
      created_at: w.createdAt.toISOString(),
      updated_at: w.updatedAt.toISOString(),
    };
  }
}

export class WorkflowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: WORKFLOW_STATUSES, example: 'running' })
  @IsOptional()
  @IsIn(WORKFLOW_STATUSES)
  status?: WorkflowStatus;
}

export class WorkflowPageDto {
  @ApiProperty({ type: [WorkflowDto] }) items: WorkflowDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}

function stepToWire(s: WorkflowStepDefinition): WorkflowStepDto {
  return {
    name: s.name,
    type: s.type,
    ...(s.compensate !== undefined ? { compensate: s.compensate } : {}),
    ...(s.retryCount !== undefined ? { retry_count: s.retryCount } : {}),
  };
}

// Kafka payloads (CONTRACT §6): the REST body plus the path parameters.
export class StartWorkflowCommandDto extends StartWorkflowDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
}

export class ListWorkflowsCommandDto extends WorkflowQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
}

export class WorkflowRefCommandDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) id: string;
}

/** The service command of a start request (REST body or Kafka payload). */
export function toStartWorkflowCommand(dto: StartWorkflowDto): StartWorkflowCommand {
  return {
    name: dto.name,
    steps: dto.steps.map((s) => ({
      name: s.name,
      type: s.type,
      compensate: s.compensate,
      retryCount: s.retry_count,
    })),
    data: dto.data,
    retryCount: dto.retry_count,
  };
}
