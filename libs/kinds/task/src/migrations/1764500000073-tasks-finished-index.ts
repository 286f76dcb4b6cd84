import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexIfMissing } from '@mediator/persistence/sql';

/**
 * The retention sweep finds finished tasks by status and age. This index was created by the
 * core's Retention1764500000070 before the kinds had their own libraries; on such a database it
 * exists already and this migration leaves it as it is.
 */
export class TasksFinishedIndex1764500000073 implements MigrationInterface {
  name = 'TasksFinishedIndex1764500000073';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexIfMissing(queryRunner, 'tasks', {
      name: 'idx_tasks_finished',
      columnNames: ['status', 'updated_at'],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tasks', 'idx_tasks_finished');
  }
}
