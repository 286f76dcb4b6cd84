import { Injectable } from '@nestjs/common';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Scope } from '@mediator/auth';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { KafkaOperation } from '@mediator/kafka';
import {
  ClaimTaskDto,
  CompleteTaskDto,
  FailTaskDto,
  SubmitTaskDto,
  TaskResponseDto,
} from './task.dto';
import { TasksService } from './tasks.service';

// The scopes of the REST routes of the same operations; a colleague-bound token works as itself.
const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const AS_WORKER = { ...SENDS, colleague: (p: { worker_id: string }) => p.worker_id };

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

/**
 * `submit_task`, `claim_task` (the task, or `null` when none is pending — REST's 204),
 * `complete_task` and `fail_task`: the REST body plus `mediator` and `task_id`; results are the
 * REST wire objects.
 */
@Injectable()
export class TaskOperations {
  constructor(private readonly tasks: TasksService) {}

  @KafkaOperation('submit_task', SubmitTaskCommandDto, SENDS)
  async submit({ mediator, ...p }: SubmitTaskCommandDto) {
    return TaskResponseDto.from(await this.tasks.submit(mediator, p));
  }

  @KafkaOperation('claim_task', ClaimTaskCommandDto, AS_WORKER)
  async claim({ mediator, ...p }: ClaimTaskCommandDto) {
    const task = await this.tasks.claim(mediator, p);
    return task ? TaskResponseDto.from(task) : null;
  }

  @KafkaOperation('complete_task', CompleteTaskCommandDto, AS_WORKER)
  async complete(p: CompleteTaskCommandDto) {
    return TaskResponseDto.from(
      await this.tasks.complete(p.mediator, p.task_id, p.worker_id, p.result),
    );
  }

  @KafkaOperation('fail_task', FailTaskCommandDto, AS_WORKER)
  async fail(p: FailTaskCommandDto) {
    return TaskResponseDto.from(await this.tasks.fail(p.mediator, p.task_id, p.worker_id, p.error));
  }
}
