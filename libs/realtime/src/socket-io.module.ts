import { Module } from '@nestjs/common';
import { RealtimeModule } from '@mediator/realtime';
import { MessagingGateway } from './messaging.gateway';
import { MessagingModule } from './messaging.module';

/**
 * The Socket.IO edge on its own, so `websocket.enabled: false` can leave it out: without a
 * gateway Nest opens no Socket.IO server; deliveries then wait in the inbox (REST, Kafka).
 */
@Module({
  imports: [MessagingModule, RealtimeModule],
  providers: [MessagingGateway],
})
export class SocketIoModule {}
