import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, type NotificationOptions, NotificationStore } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { NOTIFICATION_OPTIONS } from './notification-options';
import { NotificationOperations } from './notification.operations';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { SqlNotificationStore } from './sql-notification.store';

/** The notification kind: delivery with retries and backoff, resumed by any instance. */
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationsService,
    NotificationOperations,
    {
      provide: SqlNotificationStore,
      inject: [getDataSourceToken(), APP_CONFIG, Clock],
      useFactory: (dataSource: DataSource, config: AppConfig, clock: Clock) => {
        const { maxBackoffMs, attemptTimeoutMs } = config.notifications;
        // A live deliverer writes at least once per backoff + attempt: the lease outlasts both.
        return new SqlNotificationStore(dataSource, 2 * (maxBackoffMs + attemptTimeoutMs), clock);
      },
    },
    { provide: NotificationStore, useExisting: SqlNotificationStore },
    {
      provide: NOTIFICATION_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Partial<NotificationOptions> => {
        const { backoffMs, maxBackoffMs, attemptTimeoutMs } = config.notifications;
        return { retryCount: config.retryCount, backoffMs, maxBackoffMs, attemptTimeoutMs };
      },
    },
  ],
  exports: [NotificationStore, NOTIFICATION_OPTIONS, NotificationsService],
})
export class NotificationsModule {}
