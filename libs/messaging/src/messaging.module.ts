import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { MediatorsModule } from '@mediator/mediators';
import { RealtimeModule } from '@mediator/realtime';
import { DeliveryRetries } from './delivery-retries';
import { MessagesController } from './messages.controller';
import { MessagingGateway } from './messaging.gateway';
import { MessagingService } from './messaging.service';

@Module({
  imports: [MediatorsModule, RealtimeModule, EventsModule],
  controllers: [MessagesController],
  providers: [MessagingService, MessagingGateway, DeliveryRetries],
  exports: [MessagingService],
})
export class MessagingModule {}
