import type { SqlTables } from '@mediator/persistence/sql';
import { Notifications1764200000010 } from './migrations/1764200000010-notifications';
import { NotificationEntity } from './notification.entity';

/** The notifications' table (no Nest here: the contract tests load it). */
export const NOTIFICATION_TABLES: SqlTables = {
  entities: [NotificationEntity],
  migrations: [Notifications1764200000010],
};
