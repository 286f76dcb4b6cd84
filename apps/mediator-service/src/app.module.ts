import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@mediator/audit';
import { AuthModule } from '@mediator/auth';
import { ColleaguesModule } from '@mediator/colleagues';
import { type AppConfig, ConfigModule } from '@mediator/config';
import { ConsoleModule } from '@mediator/console';
import { OutboxModule } from '@mediator/outbox';
import { HealthModule } from '@mediator/health';
import { JobsModule } from '@mediator/jobs';
import { KafkaModule } from '@mediator/kafka';
import { MediatorsModule } from '@mediator/mediators';
import { MessagingModule, SocketIoModule } from '@mediator/messaging';
import { NotificationsModule } from '@mediator/notifications';
import { ObservabilityModule } from '@mediator/observability';
import { PersistenceModule } from '@mediator/persistence';
import { PubSubModule } from '@mediator/pubsub';
import { RedisModule } from '@mediator/redis';
import { RequestsModule } from '@mediator/requests';
import { ResourcesModule } from '@mediator/resources';
import { ServiceRegistryModule } from '@mediator/service-registry';
import { TasksModule } from '@mediator/tasks';
import { WorkflowsModule } from '@mediator/workflows';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        PersistenceModule.forRoot(config),
        ObservabilityModule,
        AuditModule,
        AuthModule,
        OutboxModule,
        MediatorsModule,
        ColleaguesModule,
        PubSubModule,
        RequestsModule,
        MessagingModule,
        ...(config.websocket.enabled ? [SocketIoModule] : []),
        NotificationsModule,
        WorkflowsModule,
        ServiceRegistryModule,
        ResourcesModule,
        TasksModule,
        JobsModule,
        HealthModule,
        ConsoleModule,
        KafkaModule.forRoot(config),
      ],
    };
  }
}
