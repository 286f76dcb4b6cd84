import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The task queue and the job scheduler. Times are epoch milliseconds (bigint) so the claim and
 * sweep statements can compare and add them in SQL on SQLite and MySQL/MariaDB alike.
 */
export class TasksJobs1764400000040 implements MigrationInterface {
  name = 'TasksJobs1764400000040';

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
        name: 'tasks',
        columns: [
          {
            name: 'seq',
            type: mysql ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('id', 36),
          str('mediator', 64),
          str('name', 200),
          str('type', 200),
          { name: 'priority', type: 'integer' },
          { name: 'data', type: longText },
          str('status', 16),
          { name: 'attempts', type: 'integer' },
          { name: 'retry_count', type: 'integer' },
          { name: 'claim_timeout_ms', type: 'integer' },
          str('claimed_by', 128, true),
          ms('claim_expires_at', true),
          { name: 'result', type: longText, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          ms('submitted_at'),
          ms('updated_at'),
        ],
        uniques: [{ name: 'uq_tasks_id', columnNames: ['id'] }],
        indices: [
          ...(mysql
            ? []
            : [
                { name: 'idx_tasks_queue', columnNames: ['mediator', 'status', 'priority', 'seq'] },
              ]),
          { name: 'idx_tasks_claims', columnNames: ['status', 'claim_expires_at'] },
        ],
      }),
    );
    if (mysql) {
      // In queue order, so `FOR UPDATE SKIP LOCKED … LIMIT 1` walks the index and locks only the
      // row it takes; with a filesort InnoDB would lock every pending row and starve the others.
      await queryRunner.query(
        'CREATE INDEX idx_tasks_queue ON tasks (mediator, status, priority DESC, seq ASC)',
      );
    }
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
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['job_runs', 'jobs', 'tasks']) await queryRunner.dropTable(table, true);
  }
}
