export { TasksModule } from './tasks.module';
export { TasksService } from './tasks.service';
