export { notificationKind } from './notification.kind';
export { NotificationsModule } from './notifications.module';
export { NotificationsService, type SendNotificationCommand } from './notifications.service';
export { NotificationDto, SendNotificationDto } from './notification.dto';
