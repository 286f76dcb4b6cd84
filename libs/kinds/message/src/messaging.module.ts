import { Module } from '@nestjs/common';
import { MediatorsModule } from '@mediator/mediators';
import { RealtimeModule } from '@mediator/realtime';
import { DeliveryRetries } from './delivery-retries';
import { MessagesController } from './messages.controller';
import { MessagingService } from './messaging.service';

@Module({
  imports: [MediatorsModule, RealtimeModule],
  controllers: [MessagesController],
  // The Socket.IO gateway is in SocketIoModule (left out with websocket.enabled: false).
  providers: [MessagingService, DeliveryRetries],
  exports: [MessagingService],
})
export class MessagingModule {}
