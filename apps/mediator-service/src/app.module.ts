import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@mediator/audit';
import { AuthModule } from '@mediator/auth';
import { ColleaguesModule } from '@mediator/colleagues';
import { type AppConfig, ConfigModule } from '@mediator/config';
import { EventsModule } from '@mediator/events';
import { HealthModule } from '@mediator/health';
import { JobsModule } from '@mediator/jobs';
import { KafkaModule } from '@mediator/kafka';
import { MediatorsModule } from '@mediator/mediators';
import { MessagingModule } from '@mediator/messaging';
import { ObservabilityModule } from '@mediator/observability';
import { PersistenceModule } from '@mediator/persistence';
import { RedisModule } from '@mediator/redis';
import { PubSubModule } from '@mediator/pubsub';
import { ResourcesModule } from '@mediator/resources';
import { RequestsModule } from '@mediator/requests';
import { ServiceRegistryModule } from '@mediator/service-registry';
import { TasksModule } from '@mediator/tasks';

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
        EventsModule,
        MediatorsModule,
        ColleaguesModule,
        MessagingModule,
        ServiceRegistryModule,
        PubSubModule,
        RequestsModule,
        ResourcesModule,
        TasksModule,
        JobsModule,
        HealthModule,
        KafkaModule.forRoot(config),
      ],
    };
  }
}
