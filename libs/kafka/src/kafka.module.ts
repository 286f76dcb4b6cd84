import { type DynamicModule, Module } from '@nestjs/common';
import { ColleaguesModule } from '@mediator/colleagues';
import { type AppConfig } from '@mediator/config';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { MessagingModule } from '@mediator/messaging';
import { PubSubModule } from '@mediator/pubsub';
import { RequestsModule } from '@mediator/requests';
import { NotificationsModule } from '@mediator/notifications';
import { WorkflowsModule } from '@mediator/workflows';
import { ResourcesModule } from '@mediator/resources';
import { ServiceRegistryModule } from '@mediator/service-registry';
import { TasksModule } from '@mediator/tasks';
import { JobsModule } from '@mediator/jobs';
import { KafkaCommandHandler } from './kafka-command.handler';
import { KafkaCommandServer } from './kafka-command.server';
import { kafkaCommandsController } from './kafka-commands.controller';
import { KafkaEventSink } from './kafka-event.sink';
import { KafkaHealth } from './kafka-health';
import { KafkaOperations } from './kafka-operations';

/**
 * The Kafka transport (CONTRACT §6), present only when message_queue.enabled: the command
 * controller, the event sink of the outbox relay, the health probe, and the server that
 * main.ts connects as the hybrid app's microservice.
 */
@Module({})
export class KafkaModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.messageQueue.enabled) return { module: KafkaModule };
    return {
      module: KafkaModule,
      imports: [
        MediatorsModule,
        ColleaguesModule,
        MessagingModule,
        OutboxModule,
        PubSubModule,
        RequestsModule,
        NotificationsModule,
        WorkflowsModule,
        ServiceRegistryModule,
        ResourcesModule,
        TasksModule,
        JobsModule,
      ],
      controllers: [kafkaCommandsController(config.messageQueue.topics.commands)],
      providers: [
        { provide: KafkaCommandServer, useValue: new KafkaCommandServer(config) },
        KafkaOperations,
        KafkaCommandHandler,
        KafkaEventSink,
        KafkaHealth,
      ],
      exports: [KafkaCommandServer],
    };
  }
}
