export { OutboxModule } from './outbox.module';
export { OutboxRelay, type EventSink } from './outbox-relay';
