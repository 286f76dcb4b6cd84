export { MessagingModule } from './messaging.module';
export { MessagingService } from './messaging.service';
export {
  BroadcastMessageDto,
  EnvelopeDto,
  InboxQueryDto,
  RecipientStatusDto,
  ReplyDto,
  SendMessageDto,
} from './message.dto';
export { SocketIoModule } from './socket-io.module';
export { validateDto } from './validate-dto';
