export { EventsModule } from './events.module';
export { OutboxRelay, type EventSink } from './outbox-relay';
