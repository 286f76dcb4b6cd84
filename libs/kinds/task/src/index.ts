export { taskKind } from './task.kind';
export { TasksModule } from './tasks.module';
export { TasksService } from './tasks.service';
