import { EventStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { EVENT_TABLES } from './event.tables';
import { PubSubModule } from './pubsub.module';

/** The event kind, as the app's KINDS list registers it. */
export const eventKind: KindLibrary = {
  module: PubSubModule,
  stores: { eventLog: EventStore },
  tables: EVENT_TABLES,
};
