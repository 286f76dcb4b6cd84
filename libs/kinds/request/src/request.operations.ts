import { Injectable } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import type { Scope } from '@mediator/auth';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { KafkaOperation } from '@mediator/kafka';
import { RequestDto } from './request.dto';
import { RequestsService } from './requests.service';

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };

export class RequestCommandDto extends RequestDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

/** The REST routes' rule: a colleague-bound token sends only as its colleague. */
const AS_SENDER = {
  audited: true,
  scopes: ['messages:send'] as Scope[],
  colleague: (p: { sender_id: string }) => p.sender_id,
};

const toRequest = (p: RequestCommandDto) => ({
  senderId: p.sender_id,
  type: p.type,
  data: p.data,
  timeoutMs: p.timeout_ms,
});

/**
 * `execute_command` and `execute_query`: REST's body plus `mediator`, answered `{ reply }`. A
 * request keeps its partition's consumer until the handler replies or `timeout_ms` passes (the
 * handler's `reply_message` is a message operation).
 */
@Injectable()
export class RequestOperations {
  constructor(private readonly requests: RequestsService) {}

  @KafkaOperation('execute_command', RequestCommandDto, AS_SENDER)
  async execute(p: RequestCommandDto) {
    return { reply: await this.requests.execute(p.mediator, toRequest(p)) };
  }

  @KafkaOperation('execute_query', RequestCommandDto, AS_SENDER)
  async query(p: RequestCommandDto) {
    return { reply: await this.requests.query(p.mediator, toRequest(p)) };
  }
}
