import { Controller, type Type } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern } from '@nestjs/microservices';
import { KafkaCommandHandler } from './kafka-command.handler';

/**
 * ServerKafka routes a record by its topic, so one handler takes every command of the topic
 * (its name comes from config, hence a class made per topic).
 */
export function kafkaCommandsController(topic: string): Type<unknown> {
  @Controller()
  class KafkaCommandsController {
    constructor(private readonly commands: KafkaCommandHandler) {}

    @MessagePattern(topic)
    handle(@Ctx() context: KafkaContext) {
      return this.commands.handle(context.getMessage());
    }
  }
  return KafkaCommandsController;
}
