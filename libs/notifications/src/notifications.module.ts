import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { MediatorsModule } from '@mediator/mediators';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [MediatorsModule, EventsModule],
  controllers: [NotificationsController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
