import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@mediator/audit';
import { AuditQueryModule } from '@mediator/audit-query';
import { AuthModule } from '@mediator/auth';
import { ColleaguesModule } from '@mediator/colleagues';
import { type AppConfig, ConfigModule } from '@mediator/config';
import { ConsoleModule } from '@mediator/console';
import { HealthModule } from '@mediator/health';
import { KafkaModule } from '@mediator/kafka';
import { CoreMediatorModule, MediatorsModule } from '@mediator/mediators';
import { ObservabilityModule } from '@mediator/observability';
import { OutboxModule } from '@mediator/outbox';
import { PersistenceModule } from '@mediator/persistence';
import { SocketIoModule } from '@mediator/realtime';
import { RedisModule } from '@mediator/redis';
import { KINDS } from './kinds';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        PersistenceModule.forRoot(
          config,
          KINDS.flatMap((kind) => (kind.tables ? [kind.tables] : [])),
        ),
        ObservabilityModule,
        AuditModule,
        AuditQueryModule,
        AuthModule,
        OutboxModule,
        MediatorsModule,
        ColleaguesModule,
        ...KINDS.map((kind) => kind.module),
        ...(config.websocket.enabled
          ? [SocketIoModule.forRoot(KINDS.map((kind) => kind.module))]
          : []),
        CoreMediatorModule.forRoot(KINDS),
        HealthModule,
        ConsoleModule,
        KafkaModule.forRoot(config),
      ],
    };
  }
}
