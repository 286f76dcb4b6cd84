import { Module } from '@nestjs/common';
import { RealtimeModule } from '@mediator/realtime';
import { OutboxRelay } from './outbox-relay';

@Module({ imports: [RealtimeModule], providers: [OutboxRelay], exports: [OutboxRelay] })
export class OutboxModule {}
