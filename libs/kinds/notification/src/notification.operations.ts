import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@mediator/auth';
import { KafkaOperation } from '@mediator/kafka';
import {
  NotificationDto,
  NotificationRefCommandDto,
  SendNotificationCommandDto,
  toSendNotificationCommand,
} from './notification.dto';
import { NotificationsService } from './notifications.service';

// The scopes of the REST routes of the same operations.
const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/** `send_notification` and `get_notification`: REST's body plus `mediator` (and `id`). */
@Injectable()
export class NotificationOperations {
  constructor(private readonly notifications: NotificationsService) {}

  @KafkaOperation('send_notification', SendNotificationCommandDto, SENDS)
  async send(p: SendNotificationCommandDto) {
    return NotificationDto.from(
      await this.notifications.send(p.mediator, toSendNotificationCommand(p)),
    );
  }

  @KafkaOperation('get_notification', NotificationRefCommandDto, READS)
  async get(p: NotificationRefCommandDto, principal: Principal) {
    const notification = await this.notifications.get(p.mediator, p.id);
    // As REST: a colleague-bound token reads only the notifications addressed to it.
    principal.requireColleague(p.mediator, notification.recipientId);
    return NotificationDto.from(notification);
  }
}
