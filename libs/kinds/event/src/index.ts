export { eventKind } from './event.kind';
export { PubSubModule } from './pubsub.module';
export { PubSubService, type PublishEventCommand } from './pubsub.service';
