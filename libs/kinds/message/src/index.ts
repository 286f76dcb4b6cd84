export { messageKind } from './message.kind';
export { MessagingModule } from './messaging.module';
export { MessagingService } from './messaging.service';
