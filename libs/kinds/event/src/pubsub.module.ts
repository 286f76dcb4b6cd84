import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStore } from '@mediator/core';
import { EventOperations } from './event.operations';
import { EventsController } from './events.controller';
import { PubSubService } from './pubsub.service';
import { SqlEventStore } from './sql-event.store';

/** The event kind: publish to subscribers, exactly once each, and the history (KINDS.md). */
@Module({
  controllers: [EventsController],
  providers: [
    PubSubService,
    EventOperations,
    {
      provide: SqlEventStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlEventStore(dataSource),
    },
    { provide: EventStore, useExisting: SqlEventStore },
  ],
  exports: [EventStore, PubSubService],
})
export class PubSubModule {}
