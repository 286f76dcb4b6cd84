import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Job, JobRun, JobTarget, JsonValue, MisfirePolicy } from '@mediator/core';
import { OpaqueJson } from '@mediator/http';

export const JOB_TARGETS: readonly JobTarget[] = ['task', 'command'];
export const MISFIRE_POLICIES: readonly MisfirePolicy[] = ['skip', 'run_once'];

export class ScheduleJobDto {
  @ApiProperty({ example: 'cleanup', description: 'the task type submitted on every tick' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiProperty({
    example: '*/10 * * * * *',
    description: 'cron in UTC, 5 fields or 6 with seconds first; INVALID_SCHEDULE otherwise',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  schedule: string;

  @ApiPropertyOptional({ description: 'any JSON value', example: { older_than_days: 7 } })
  @IsOptional()
  @OpaqueJson()
  payload?: JsonValue;

  @ApiPropertyOptional({ enum: MISFIRE_POLICIES, default: 'skip' })
  @IsOptional()
  @IsIn(MISFIRE_POLICIES)
  misfire?: MisfirePolicy;

  @ApiPropertyOptional({
    enum: JOB_TARGETS,
    default: 'task',
    description: 'submit a task of `type`, or send a command of `type` to its handler',
  })
  @IsOptional()
  @IsIn(JOB_TARGETS)
  target?: JobTarget;
}

export class JobResponseDto {
  @ApiProperty({ example: 'images' }) mediator: string;
  @ApiProperty({ example: 'nightly-cleanup' }) name: string;
  @ApiProperty({ example: 'cleanup' }) type: string;
  @ApiProperty({ example: '*/10 * * * * *' }) schedule: string;
  @ApiProperty({ example: { older_than_days: 7 } }) payload: JsonValue;
  @ApiProperty({ enum: JOB_TARGETS, example: 'task' }) target: JobTarget;
  @ApiProperty({ enum: MISFIRE_POLICIES, example: 'skip' }) misfire: MisfirePolicy;
  @ApiProperty({ example: false }) paused: boolean;
  @ApiProperty({ example: '2026-01-02T03:04:10.000Z', nullable: true })
  next_run_at: string | null;
  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-01-02T03:04:05.000Z' }) updated_at: string;

  static from(j: Job): JobResponseDto {
    return {
      mediator: j.mediator,
      name: j.name,
      type: j.type,
      schedule: j.schedule,
      payload: j.payload,
      target: j.target,
      misfire: j.misfire,
      paused: j.paused,
      next_run_at: j.paused ? null : (j.nextRunAt?.toISOString() ?? null),
      created_at: j.createdAt.toISOString(),
      updated_at: j.updatedAt.toISOString(),
    };
  }
}

export class JobRunResponseDto {
  @ApiProperty({ example: '0190a6f2-8c1e-7c3a-9d2e-1f2a3b4c5d6e' }) id: string;
  @ApiProperty({ example: 'nightly-cleanup' }) job: string;
  @ApiProperty({ example: '2026-01-02T03:04:10.000Z' }) scheduled_at: string;
  @ApiProperty({ example: '2026-01-02T03:04:10.012Z' }) fired_at: string;
  @ApiProperty({ example: false, description: 'a run_once catch-up after downtime' })
  catch_up: boolean;

  static from(r: JobRun): JobRunResponseDto {
    return {
      id: r.id,
      job: r.job,
      scheduled_at: r.scheduledAt.toISOString(),
      fired_at: r.firedAt.toISOString(),
      catch_up: r.catchUp,
    };
  }
}

export class JobRunPageDto {
  @ApiProperty({ type: [JobRunResponseDto] }) items: JobRunResponseDto[];
  @ApiProperty({ nullable: true, example: null }) next_cursor: string | null;
}
