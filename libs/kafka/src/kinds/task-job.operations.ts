import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { PageQueryDto, toPageRequest } from '@mediator/http';
import { type JobsService } from '@mediator/jobs';
import { JobResponseDto, ScheduleJobDto } from '@mediator/jobs/job.dto';
import { type TasksService } from '@mediator/tasks';
import {
  ClaimTaskDto,
  CompleteTaskDto,
  FailTaskDto,
  SubmitTaskDto,
  TaskResponseDto,
} from '@mediator/tasks/task.dto';
import type { Scope } from '@mediator/auth';
import { type Operation, operation } from '../operation';

// The scopes of the REST routes of the same operations; a colleague-bound token works as itself.
const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const AS_WORKER = { ...SENDS, colleague: (p: { worker_id: string }) => p.worker_id };
const WRITES = { audited: true, scopes: ['mediators:write'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };

export class SubmitTaskCommandDto extends SubmitTaskDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class ClaimTaskCommandDto extends ClaimTaskDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class CompleteTaskCommandDto extends CompleteTaskDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) task_id: string;
}

export class FailTaskCommandDto extends FailTaskDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) task_id: string;
}

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
 * `submit_task`, `claim_task` (the task, or `null` when none is pending — REST's 204),
 * `complete_task`, `fail_task`, `schedule_job`, `pause_job`, `resume_job` and `list_jobs`: the REST
 * body (or query) plus `mediator` and the path ids (`task_id`, `job`); results are the REST wire
 * objects.
 */
export function taskAndJobOperations(
  tasks: TasksService,
  jobs: JobsService,
): [string, Operation][] {
  return [
    [
      'submit_task',
      operation(SubmitTaskCommandDto, SENDS, async ({ mediator, ...p }) =>
        TaskResponseDto.from(await tasks.submit(mediator, p)),
      ),
    ],
    [
      'claim_task',
      operation(ClaimTaskCommandDto, AS_WORKER, async ({ mediator, ...p }) => {
        const task = await tasks.claim(mediator, p);
        return task ? TaskResponseDto.from(task) : null;
      }),
    ],
    [
      'complete_task',
      operation(CompleteTaskCommandDto, AS_WORKER, async (p) =>
        TaskResponseDto.from(await tasks.complete(p.mediator, p.task_id, p.worker_id, p.result)),
      ),
    ],
    [
      'fail_task',
      operation(FailTaskCommandDto, AS_WORKER, async (p) =>
        TaskResponseDto.from(await tasks.fail(p.mediator, p.task_id, p.worker_id, p.error)),
      ),
    ],
    [
      'schedule_job',
      operation(ScheduleJobCommandDto, WRITES, async ({ mediator, job, ...p }) =>
        JobResponseDto.from((await jobs.schedule(mediator, job, p)).job),
      ),
    ],
    [
      'pause_job',
      operation(JobRefCommandDto, WRITES, async (p) =>
        JobResponseDto.from(await jobs.pause(p.mediator, p.job)),
      ),
    ],
    [
      'resume_job',
      operation(JobRefCommandDto, WRITES, async (p) =>
        JobResponseDto.from(await jobs.resume(p.mediator, p.job)),
      ),
    ],
    [
      'list_jobs',
      operation(ListJobsCommandDto, READS, async (p) => {
        const page = await jobs.list(p.mediator, toPageRequest(p));
        return { items: page.items.map(JobResponseDto.from), next_cursor: page.nextCursor };
      }),
    ],
  ];
}
