import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The task queue. Times are epoch milliseconds (bigint) so the claim and sweep statements can
 * compare and add them in SQL on SQLite and MySQL/MariaDB alike.
 *
 * This migration used to create the job scheduler's tables too. Its recorded name is kept, so a
 * database migrated before the split does not run it again; those tables are now created by the
 * job kind's Jobs1764400000041, which does nothing where they exist.
 */
export class Tasks1764400000040 implements MigrationInterface {
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tasks', true);
  }
}
