import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What the retention sweep reads: when a delivery went dead (`message_recipients.dead_at`, so a
 * dead letter is kept `retention.dead_letters` from its death, not from its first delivery, which
 * a redelivery does not reset; NULL on slots that died before this migration, which fall back to
 * `delivered_at`), and indexes so finding the oldest rows reads the index instead of the whole
 * table (messages are walked by id, a UUID v7, and audit entries have idx_audit_at already).
 * Runs after the redelivery migration (1764500000060), which created the dead status.
 */
export class Retention1764500000070 implements MigrationInterface {
  name = 'Retention1764500000070';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    await queryRunner.addColumn(
      'message_recipients',
      new TableColumn({
        name: 'dead_at',
        type: 'datetime',
        precision: mysql ? 3 : undefined,
        isNullable: true,
      }),
    );
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
    await queryRunner.dropColumn('message_recipients', 'dead_at');
  }
}
