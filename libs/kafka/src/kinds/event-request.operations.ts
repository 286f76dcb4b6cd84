import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { type PubSubService } from '@mediator/pubsub';
import { EventDto, PublishEventDto } from '@mediator/pubsub/event.dto';
import { type MessagingService } from '@mediator/messaging';
import { ReplyDto } from '@mediator/messaging/message.dto';
import { type RequestsService } from '@mediator/requests';
import { RequestDto } from '@mediator/requests/request.dto';
import type { Scope } from '@mediator/auth';
import { type Operation, operation } from '../operation';

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };

export class PublishEventCommandDto extends PublishEventDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class RequestCommandDto extends RequestDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class ReplyCommandDto extends ReplyDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) message_id: string;
}

const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
/** The REST routes' rule: a colleague-bound token sends only as its colleague. */
const AS_SENDER = { ...SENDS, colleague: (p: { sender_id: string }) => p.sender_id };

const toRequest = (p: RequestCommandDto) => ({
  senderId: p.sender_id,
  type: p.type,
  data: p.data,
  timeoutMs: p.timeout_ms,
});

/**
 * `publish_event`, `execute_command`, `execute_query` and a handler's `reply_message`: the REST
 * results (`{ reply }` for a request, `null` for a reply). A request keeps its partition's
 * consumer until the handler replies or `timeout_ms` passes.
 */
export function eventAndRequestOperations(
  pubsub: PubSubService,
  requests: RequestsService,
  messaging: MessagingService,
): [string, Operation][] {
  return [
    [
      'publish_event',
      operation(PublishEventCommandDto, AS_SENDER, async (p) => {
        const published = await pubsub.publish(p.mediator, {
          senderId: p.sender_id,
          type: p.type,
          data: p.data,
          id: p.id,
        });
        return { ...EventDto.from(published), duplicate: published.duplicate };
      }),
    ],
    [
      'execute_command',
      operation(RequestCommandDto, AS_SENDER, async (p) => ({
        reply: await requests.execute(p.mediator, toRequest(p)),
      })),
    ],
    [
      'execute_query',
      operation(RequestCommandDto, AS_SENDER, async (p) => ({
        reply: await requests.query(p.mediator, toRequest(p)),
      })),
    ],
    [
      'reply_message',
      operation(ReplyCommandDto, SENDS, async (p, principal) => {
        // As REST: a colleague-bound token answers only the requests addressed to its colleague.
        await messaging.reply(p.mediator, p.message_id, ReplyDto.toAnswer(p), (handlerId) =>
          principal.requireColleague(p.mediator, handlerId),
        );
        return null;
      }),
    ],
  ];
}
