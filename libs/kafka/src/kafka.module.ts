import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ColleaguesModule } from '@mediator/colleagues';
import { type AppConfig } from '@mediator/config';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { ColleagueOperations, MediatorOperations } from './core.operations';
import { KafkaCommandHandler } from './kafka-command.handler';
import { KafkaCommandServer } from './kafka-command.server';
import { kafkaCommandsController } from './kafka-commands.controller';
import { KafkaEventSink } from './kafka-event.sink';
import { KafkaHealth } from './kafka-health';
import { KafkaOperations } from './kafka-operations';

/**
 * The Kafka transport (CONTRACT §6), present only when message_queue.enabled: the command
 * controller, the event sink of the outbox relay, the health probe, and the server that
 * main.ts connects as the hybrid app's microservice. It knows no kind: each kind's library
 * declares its operations with @KafkaOperation, found here at start-up (KafkaOperations).
 */
@Module({})
export class KafkaModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.messageQueue.enabled) return { module: KafkaModule };
    return {
      module: KafkaModule,
      imports: [DiscoveryModule, MediatorsModule, ColleaguesModule, OutboxModule],
      controllers: [kafkaCommandsController(config.messageQueue.topics.commands)],
      providers: [
        { provide: KafkaCommandServer, useValue: new KafkaCommandServer(config) },
        KafkaOperations,
        MediatorOperations,
        ColleagueOperations,
        KafkaCommandHandler,
        KafkaEventSink,
        KafkaHealth,
      ],
      exports: [KafkaCommandServer],
    };
  }
}
