import { Module, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboxModule } from '@mediator/outbox';
import { KindPlugins, MediatorsModule } from '@mediator/mediators';
import { SqlEventStore } from '@mediator/persistence/kinds/event/sql-event.store';
import { EventsController } from './events.controller';
import { PubSubService } from './pubsub.service';

/** The event kind: publish to subscribers, exactly once each, and the history (KINDS.md). */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [EventsController],
  providers: [
    PubSubService,
    {
      provide: SqlEventStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlEventStore(dataSource),
    },
  ],
  exports: [PubSubService],
})
export class PubSubModule implements OnModuleInit {
  constructor(
    private readonly plugins: KindPlugins,
    private readonly events: SqlEventStore,
  ) {}

  onModuleInit(): void {
    this.plugins.registerStore('eventLog', this.events);
  }
}
