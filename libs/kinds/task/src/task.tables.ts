import type { SqlTables } from '@mediator/persistence/sql';
import { Tasks1764400000040 } from './migrations/1764400000040-tasks';
import { TasksFinishedIndex1764500000073 } from './migrations/1764500000073-tasks-finished-index';
import { TaskEntity } from './task.entity';

/** The task queue's table (no Nest here: the contract tests load it). */
export const TASK_TABLES: SqlTables = {
  entities: [TaskEntity],
  migrations: [Tasks1764400000040, TasksFinishedIndex1764500000073],
};
