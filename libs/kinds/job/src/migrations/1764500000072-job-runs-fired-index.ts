import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexIfMissing } from '@mediator/persistence/sql';

/**
 * The retention sweep finds the oldest job runs by `fired_at`. This index was created by the
 * core's Retention1764500000070 before the kinds had their own libraries; on such a database it
 * exists already and this migration leaves it as it is.
 */
export class JobRunsFiredIndex1764500000072 implements MigrationInterface {
  name = 'JobRunsFiredIndex1764500000072';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexIfMissing(queryRunner, 'job_runs', {
      name: 'idx_job_runs_fired',
      columnNames: ['fired_at'],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('job_runs', 'idx_job_runs_fired');
  }
}
