import { Injectable } from '@nestjs/common';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Scope } from '@mediator/auth';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { PageQueryDto, toPageRequest } from '@mediator/http';
import { KafkaOperation } from '@mediator/kafka';
import { JobResponseDto, ScheduleJobDto } from './job.dto';
import { JobsService } from './jobs.service';

// The scopes of the REST routes of the same operations.
const WRITES = { audited: true, scopes: ['mediators:write'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };

export class ScheduleJobCommandDto extends ScheduleJobDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(200) job: string;
}

export class JobRefCommandDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(200) job: string;
}

export class ListJobsCommandDto extends PageQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

/**
 * `schedule_job`, `pause_job`, `resume_job` and `list_jobs`: the REST body (or query) plus
 * `mediator` and `job`; results are the REST wire objects.
 */
@Injectable()
export class JobOperations {
  constructor(private readonly jobs: JobsService) {}

  @KafkaOperation('schedule_job', ScheduleJobCommandDto, WRITES)
  async schedule({ mediator, job, ...p }: ScheduleJobCommandDto) {
    return JobResponseDto.from((await this.jobs.schedule(mediator, job, p)).job);
  }

  @KafkaOperation('pause_job', JobRefCommandDto, WRITES)
  async pause(p: JobRefCommandDto) {
    return JobResponseDto.from(await this.jobs.pause(p.mediator, p.job));
  }

  @KafkaOperation('resume_job', JobRefCommandDto, WRITES)
  async resume(p: JobRefCommandDto) {
    return JobResponseDto.from(await this.jobs.resume(p.mediator, p.job));
  }

  @KafkaOperation('list_jobs', ListJobsCommandDto, READS)
  async list(p: ListJobsCommandDto) {
    const page = await this.jobs.list(p.mediator, toPageRequest(p));
    return { items: page.items.map(JobResponseDto.from), next_cursor: page.nextCursor };
  }
}
