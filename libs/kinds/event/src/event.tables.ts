import type { SqlTables } from '@mediator/persistence/sql';
import { EventEntity } from './event.entity';
import { Events1764350000030 } from './migrations/1764350000030-events';
import { EventsPublishedIndex1764500000071 } from './migrations/1764500000071-events-published-index';

/** The event history's table (no Nest here: the contract tests load it). */
export const EVENT_TABLES: SqlTables = {
  entities: [EventEntity],
  migrations: [Events1764350000030, EventsPublishedIndex1764500000071],
};
