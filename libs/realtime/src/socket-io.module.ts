import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { MessagingGateway } from './messaging.gateway';
import { RealtimeModule } from './realtime.module';

/**
 * The Socket.IO edge on its own, so `websocket.enabled: false` can leave it out: without a
 * gateway Nest opens no Socket.IO server; deliveries then wait in the inbox (REST, Kafka).
 * `kinds`: the kind libraries' modules; the one that binds SocketMessaging (the message kind)
 * serves the `send` and `broadcast` events.
 */
@Module({})
export class SocketIoModule {
  static forRoot(kinds: readonly Type<unknown>[]): DynamicModule {
    return {
      module: SocketIoModule,
      imports: [...kinds, RealtimeModule],
      providers: [MessagingGateway],
    };
  }
}
