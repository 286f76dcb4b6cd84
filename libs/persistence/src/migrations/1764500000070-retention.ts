import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * What the retention sweep reads: when a delivery went dead (`message_recipients.dead_at`, so a
 * dead letter is kept `retention.dead_letters` from its death, not from its first delivery, which
 * a redelivery does not reset; NULL on slots that died before this migration, which fall back to
 * `delivered_at`), and indexes so finding the oldest rows reads the index instead of the whole
 * table (messages are walked by id, a UUID v7, and audit entries have idx_audit_at already).
 * Runs after the redelivery migration (1764500000060), which created the dead status.
 *
 * It used to create the kinds' retention indexes too (kind_events, job_runs, tasks); those now
 * live in each kind's library (1764500000071–73), which skip an index this migration made on a
 * database migrated before the move: the name is kept, so such a database does not run it again.
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('message_recipients', 'dead_at');
  }
}
