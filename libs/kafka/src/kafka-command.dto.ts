import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { COLLEAGUE_ID_PATTERN, MEDIATOR_NAME_PATTERN, ValidationError } from '@mediator/core';
import { PageQueryDto } from '@mediator/http';
import {
  ListColleaguesQueryDto,
  RegisterColleagueDto,
  UpdateColleagueDto,
} from '@mediator/colleagues';
import { UpdateMediatorDto } from '@mediator/mediators';
import { BroadcastMessageDto, InboxQueryDto, ReplyDto, SendMessageDto } from '@mediator/messaging';

// Command payloads (CONTRACT §6): the REST body fields, plus `mediator` where the REST path names
// it and the other path parameters (`id`, `colleague_id`, `message_id`). Same rules as REST.

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };
const ID = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

export class MediatorRefDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class ColleagueRefDto extends MediatorRefDto {
  @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id: string;
}

export class MessageRefDto extends MediatorRefDto {
  @IsString() @MinLength(1) @MaxLength(64) message_id: string;
}

/**
 * The colleague of an inbox operation: the REST path calls it `{id}`; Kafka payloads may name it
 * `colleague_id` (documented), `id` (as the path) or `recipient_id` (as the message).
 */
export function inboxColleague(p: {
  colleague_id?: string;
  id?: string;
  recipient_id?: string;
}): string {
  const colleague = p.colleague_id ?? p.id ?? p.recipient_id;
  if (!colleague) {
    throw new ValidationError('the request is not valid', [
      { field: 'colleague_id', problem: 'colleague_id (or id) is required' },
    ]);
  }
  return colleague;
}

export class AckMessageCommandDto extends MessageRefDto {
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) colleague_id?: string;
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id?: string;
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) recipient_id?: string;
}

/** As `POST messages/{message_id}/redeliver`: the message, optionally one recipient's delivery. */
export class RedeliverMessageCommandDto extends MessageRefDto {
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) recipient_id?: string;
}

export class UpdateMediatorCommandDto extends UpdateMediatorDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class RegisterColleagueCommandDto extends RegisterColleagueDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class UpdateColleagueCommandDto extends UpdateColleagueDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id: string;
}

export class ListMediatorsCommandDto extends PageQueryDto {}

export class ListColleaguesCommandDto extends ListColleaguesQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class ListInboxCommandDto extends InboxQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) colleague_id?: string;
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id?: string;
  @IsOptional() @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) recipient_id?: string;
}

export class SendMessageCommandDto extends SendMessageDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class BroadcastMessageCommandDto extends BroadcastMessageDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

/** A handler's answer to a request: REST's reply body plus `mediator` and `message_id`. */
export class ReplyCommandDto extends ReplyDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) message_id: string;
}
