import { DataSource, type DataSourceOptions } from 'typeorm';
import { SqlNotificationStore } from '../../libs/kinds/notification/src/sql-notification.store';
import { SqlWorkflowStore } from '../../libs/kinds/workflow/src/sql-workflow.store';
import { MediatorEntity } from '@mediator/persistence/relational/entities';
import { TypeOrmOutboxRepository } from '@mediator/persistence/relational/typeorm-outbox.repository';
import type { Harness } from './harness';

/** The notification and workflow stores on one SQL database, with the outbox they write to. */
export interface NotificationWorkflowStores {
  dataSource: DataSource;
  notifications: SqlNotificationStore;
  /** A second store on the same database: another service instance. */
  otherNotifications: SqlNotificationStore;
  workflows: SqlWorkflowStore;
  outbox: TypeOrmOutboxRepository;
}

export const CONTRACT_MEDIATORS = ['orders', 'billing'];

export function notificationWorkflowStores(
  options: DataSourceOptions,
  leaseMs = 60_000,
): Harness<NotificationWorkflowStores> {
  let ds: DataSource | undefined;
  return {
    async open() {
      ds = await new DataSource(options).initialize();
      return {
        dataSource: ds,
        notifications: new SqlNotificationStore(ds, leaseMs),
        otherNotifications: new SqlNotificationStore(ds, leaseMs),
        workflows: new SqlWorkflowStore(ds),
        outbox: new TypeOrmOutboxRepository(ds),
      };
    },
    async clean() {
      for (const table of ['notifications', 'workflows', 'outbox', 'colleagues', 'mediators'])
        await ds!.query(`DELETE FROM ${table}`);
      const now = new Date('2026-01-02T03:04:05.000Z');
      for (const name of CONTRACT_MEDIATORS)
        await ds!
          .getRepository(MediatorEntity)
          .insert({ name, description: '', maxColleagues: 10, createdAt: now, updatedAt: now });
    },
    async close() {
      await ds?.destroy();
    },
  };
}
