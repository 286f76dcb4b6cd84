import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Job, JobRun, JobTarget, JsonValue, MisfirePolicy } from '@mediator/core';
import { OpaqueJson } from '@mediator/http';

/** The shape of a cron expression (the parser checks the ranges): 5 or 6 fields of lists. */
const CRON_ITEM = '(\\*|\\?|[0-9]{1,2}|[A-Za-z]{3})(-([0-9]{1,2}|[A-Za-z]{3}))?(/[0-9]{1,2})?';
const CRON_FIELD = `${CRON_ITEM}(,${CRON_ITEM})*`;
const CRON_SHAPE = new RegExp(`^\\s*${CRON_FIELD}(\\s+${CRON_FIELD}){4,5}\\s*$`);

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
    description:
      'cron in UTC: 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds ' +
      'first, separated by spaces. A field is `*`, `?`, a number, a range `a-b`, a step ' +
      '(`*/n`, `a/n`, `a-b/n`), a list `a,b` of those, or month/day names (JAN, MON). Numbers ' +
      'out of range (second and minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-7), ' +
      'reversed ranges and schedules that never fire are 400 INVALID_SCHEDULE',
    pattern: CRON_SHAPE.source,
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

export class JobPageDto {
  @ApiProperty({ type: [JobResponseDto] }) items: JobResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}
