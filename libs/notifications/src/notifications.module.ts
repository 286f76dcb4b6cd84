import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [NotificationsController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
