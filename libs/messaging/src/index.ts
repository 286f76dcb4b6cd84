export { MessagingModule } from './messaging.module';
export { MessagingService } from './messaging.service';
export { validateDto } from './validate-dto';
