import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes of the retention sweep, so finding the oldest rows reads the index instead of the whole
 * table (messages are walked by id, a UUID v7, and audit entries have idx_audit_at already).
 */
export class RetentionIndexes1764500000050 implements MigrationInterface {
  name = 'RetentionIndexes1764500000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'kind_events',
      new TableIndex({ name: 'idx_kind_events_published', columnNames: ['published_at'] }),
    );
    await queryRunner.createIndex(
      'job_runs',
      new TableIndex({ name: 'idx_job_runs_fired', columnNames: ['fired_at'] }),
    );
    await queryRunner.createIndex(
      'tasks',
      new TableIndex({ name: 'idx_tasks_finished', columnNames: ['status', 'updated_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tasks', 'idx_tasks_finished');
    await queryRunner.dropIndex('job_runs', 'idx_job_runs_fired');
    await queryRunner.dropIndex('kind_events', 'idx_kind_events_published');
  }
}
