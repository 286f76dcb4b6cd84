import { TaskStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { TasksModule } from './tasks.module';
import { TASK_TABLES } from './task.tables';

/** The task kind, as the app's KINDS list registers it. */
export const taskKind: KindLibrary = {
  module: TasksModule,
  stores: { tasks: TaskStore },
  tables: TASK_TABLES,
};
