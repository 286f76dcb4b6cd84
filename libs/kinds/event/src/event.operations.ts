import { Injectable } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import type { Scope } from '@mediator/auth';
import { MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { KafkaOperation } from '@mediator/kafka';
import { EventDto, PublishEventDto } from './event.dto';
import { PubSubService } from './pubsub.service';

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };

export class PublishEventCommandDto extends PublishEventDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

/** The REST route's rule: a colleague-bound token publishes only as its colleague. */
const AS_SENDER = {
  audited: true,
  scopes: ['messages:send'] as Scope[],
  colleague: (p: { sender_id: string }) => p.sender_id,
};

/** `publish_event`: REST's body plus `mediator`; the result is REST's, with `duplicate`. */
@Injectable()
export class EventOperations {
  constructor(private readonly pubsub: PubSubService) {}

  @KafkaOperation('publish_event', PublishEventCommandDto, AS_SENDER)
  async publish(p: PublishEventCommandDto) {
    const published = await this.pubsub.publish(p.mediator, {
      senderId: p.sender_id,
      type: p.type,
      data: p.data,
      id: p.id,
    });
    return { ...EventDto.from(published), duplicate: published.duplicate };
  }
}
