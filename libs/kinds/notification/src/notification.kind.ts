import { NotificationStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { NOTIFICATION_OPTIONS } from './notification-options';
import { NOTIFICATION_TABLES } from './notification.tables';
import { NotificationsModule } from './notifications.module';

/** The notification kind, as the app's KINDS list registers it. */
export const notificationKind: KindLibrary = {
  module: NotificationsModule,
  stores: { notifications: NotificationStore },
  options: { notifications: NOTIFICATION_OPTIONS },
  tables: NOTIFICATION_TABLES,
};
