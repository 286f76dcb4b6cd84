import { Injectable } from '@nestjs/common';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Principal, Scope } from '@mediator/auth';
import { COLLEAGUE_ID_PATTERN, MEDIATOR_NAME_PATTERN, ValidationError } from '@mediator/core';
import { toPageRequest } from '@mediator/http';
import { KafkaOperation } from '@mediator/kafka';
import {
  BroadcastMessageDto,
  EnvelopeDto,
  InboxQueryDto,
  RecipientStatusDto,
  ReplyDto,
  SendMessageDto,
} from './message.dto';
import { MessagingService } from './messaging.service';

// Command payloads (CONTRACT §6): the REST body fields, plus `mediator` and the path parameters
// (`colleague_id`, `message_id`). Same rules as REST.

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };
const ID = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

export class MessageRefDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
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

// The REST routes' rules (CONTRACT §2): a colleague-bound token acts and reads only as its colleague.
const AS_SENDER = {
  audited: true,
  scopes: ['messages:send'] as Scope[],
  colleague: (p: { sender_id: string }) => p.sender_id,
};
const AS_INBOX_OWNER = { scopes: ['messages:read'] as Scope[], colleague: inboxColleague };
/** As REST: a colleague-bound token reads the messages it sent or received, no others. */
function requireParty(
  principal: Principal,
  mediator: string,
  senderId: string,
  recipients: { recipientId: string }[],
): void {
  const self = principal.colleague;
  if (!self || principal.isAdmin) return;
  if (senderId !== self && !recipients.some((r) => r.recipientId === self))
    principal.requireColleague(mediator, senderId);
}

/** The message kind's operations, and a handler's reply to a request (command, query, …). */
@Injectable()
export class MessageOperations {
  constructor(private readonly messaging: MessagingService) {}

  @KafkaOperation('send_message', SendMessageCommandDto, AS_SENDER)
  async send(p: SendMessageCommandDto) {
    return EnvelopeDto.from(
      await this.messaging.send(p.mediator, {
        senderId: p.sender_id,
        recipientId: p.recipient_id,
        message: p.message,
        kind: p.kind,
        type: p.type,
        headers: p.headers,
        idempotencyKey: p.idempotency_key,
      }),
    );
  }

  @KafkaOperation('broadcast_message', BroadcastMessageCommandDto, AS_SENDER)
  async broadcast(p: BroadcastMessageCommandDto) {
    const envelope = await this.messaging.broadcast(p.mediator, {
      senderId: p.sender_id,
      message: p.message,
      kind: p.kind,
      type: p.type,
    });
    return { ...EnvelopeDto.from(envelope), recipients: envelope.recipients };
  }

  @KafkaOperation('get_message', MessageRefDto, { audited: false, scopes: ['messages:read'] })
  async get(p: MessageRefDto, principal: Principal) {
    const { envelope, recipients } = await this.messaging.get(p.mediator, p.message_id);
    requireParty(principal, p.mediator, envelope.senderId, recipients);
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @KafkaOperation('list_inbox', ListInboxCommandDto, { audited: false, ...AS_INBOX_OWNER })
  async inbox(p: ListInboxCommandDto) {
    const page = await this.messaging.inbox(
      p.mediator,
      inboxColleague(p),
      p.status,
      toPageRequest(p),
    );
    return { items: page.items.map(EnvelopeDto.from), next_cursor: page.nextCursor };
  }

  @KafkaOperation('ack_message', AckMessageCommandDto, { audited: true, ...AS_INBOX_OWNER })
  async ack(p: AckMessageCommandDto) {
    await this.messaging.ack(p.mediator, inboxColleague(p), p.message_id);
    return null;
  }

  @KafkaOperation('redeliver_message', RedeliverMessageCommandDto, {
    audited: true,
    scopes: ['messages:send'],
  })
  async redeliver(p: RedeliverMessageCommandDto, principal: Principal) {
    // As REST: a colleague-bound token redelivers only its own deliveries.
    const recipientId = p.recipient_id ?? principal.boundColleague;
    if (recipientId !== undefined) principal.requireColleague(p.mediator, recipientId);
    const { envelope, recipients } = await this.messaging.redeliverMessage(
      p.mediator,
      p.message_id,
      recipientId,
    );
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @KafkaOperation('reply_message', ReplyCommandDto, { audited: true, scopes: ['messages:send'] })
  async reply(p: ReplyCommandDto, principal: Principal) {
    // As REST: a colleague-bound token answers only the requests addressed to its colleague.
    await this.messaging.reply(p.mediator, p.message_id, ReplyDto.toAnswer(p), (handlerId) =>
      principal.requireColleague(p.mediator, handlerId),
    );
    return null;
  }
}
