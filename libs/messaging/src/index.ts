export { MessagingModule } from './messaging.module';
export { MessagingService } from './messaging.service';
export { SocketIoModule } from './socket-io.module';
export { validateDto } from './validate-dto';
