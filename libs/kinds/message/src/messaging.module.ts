import { Module } from '@nestjs/common';
import { MediatorsModule } from '@mediator/mediators';
import { RealtimeModule, SocketMessaging } from '@mediator/realtime';
import { DeliveryRetries } from './delivery-retries';
import { MessageOperations } from './message.operations';
import { MessagesController } from './messages.controller';
import { MessagingService } from './messaging.service';

/**
 * The message kind: direct messages, broadcasts, inboxes, acks, redelivery. Its store is the
 * core's MessageStore port (PersistenceModule's document store, shared by every kind's
 * deliveries). The Socket.IO gateway (libs/realtime, left out with websocket.enabled: false)
 * reaches the service through SocketMessaging.
 */
@Module({
  imports: [MediatorsModule, RealtimeModule],
  controllers: [MessagesController],
  providers: [
    MessagingService,
    DeliveryRetries,
    MessageOperations,
    { provide: SocketMessaging, useExisting: MessagingService },
  ],
  exports: [MessagingService, SocketMessaging],
})
export class MessagingModule {}
