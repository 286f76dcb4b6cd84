import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The job scheduler. Times are epoch milliseconds (bigint) so the tick statements can compare
 * them in SQL on SQLite and MySQL/MariaDB alike.
 *
 * Databases migrated before the kinds had their own libraries got these tables from the combined
 * TasksJobs1764400000040 (now the task kind's): there they exist already and this migration does
 * nothing (`createTable(…, ifNotExist)`, on SQLite and MySQL/MariaDB alike).
 */
export class Jobs1764400000041 implements MigrationInterface {
  name = 'Jobs1764400000041';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const longText = mysql ? 'longtext' : 'text';
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const ms = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'bigint',
      isNullable: nullable,
    });

    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('name', 200), isPrimary: true },
          str('type', 200),
          str('schedule', 200),
          { name: 'payload', type: longText },
          str('target', 16),
          str('misfire', 16),
          { name: 'paused', type: 'boolean' },
          ms('handled_until'),
          ms('next_run_at', true),
          ms('created_at'),
          ms('updated_at'),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_runs',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('mediator', 64),
          str('job', 200),
          ms('scheduled_at'),
          ms('fired_at'),
          { name: 'catch_up', type: 'boolean' },
        ],
        // The tick's key: only the instance whose insert succeeds fires it (DESIGN rule 3).
        uniques: [{ name: 'uq_job_runs_tick', columnNames: ['mediator', 'job', 'scheduled_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_runs', true);
    await queryRunner.dropTable('jobs', true);
  }
}
