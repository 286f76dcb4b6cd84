import { ForbiddenError, MediatorError } from '@mediator/core';

/** Errors of the Kafka edge itself: the record could not be read as a command. */
export class InvalidJsonError extends MediatorError {
  constructor() {
    super('INVALID_JSON', 'validation', 'the record value is not JSON');
  }
}

export class UnknownOperationError extends MediatorError {
  constructor(type: string) {
    super('UNKNOWN_OPERATION', 'validation', `'${type}' is not an operation of mediator-commands`);
  }
}

/** A `kafka_replyTopic` outside `message_queue.reply_topics`: not executed, answered on the responses topic. */
export class ReplyTopicForbiddenError extends ForbiddenError {
  constructor(topic: string) {
    super(
      `replies go to the responses topic or message_queue.reply_topics, not '${topic.slice(0, 249)}'`,
      'REPLY_TOPIC_FORBIDDEN',
    );
  }
}
