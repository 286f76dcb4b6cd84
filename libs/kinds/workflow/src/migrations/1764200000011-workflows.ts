import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * Workflows (KINDS.md): the relational store owns their state. `lease_until` (epoch ms) says until
 * when one instance runs a workflow; an expired lease lets another resume it.
 *
 * Databases migrated before the kinds had their own libraries got this table from the combined
 * NotificationsWorkflows1764200000010 (now the notification kind's): there it exists already and
 * this migration does nothing (`createTable(…, ifNotExist)`, on SQLite and MySQL/MariaDB alike).
 */
export class Workflows1764200000011 implements MigrationInterface {
  name = 'Workflows1764200000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const longText = mysql ? 'longtext' : 'text';
    const time = (name: string): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: mysql ? 3 : undefined,
    });
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const mediatorKey = {
      columnNames: ['mediator'],
      referencedTableName: 'mediators',
      referencedColumnNames: ['name'],
      onDelete: 'CASCADE',
    };
    const lease = [
      str('owner', 64, true),
      { name: 'lease_until', type: 'bigint', isNullable: true },
    ];

    await queryRunner.createTable(
      new Table({
        name: 'workflows',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('id', 36), isPrimary: true },
          str('name', 200),
          { name: 'steps', type: longText },
          { name: 'data', type: longText },
          str('status', 16),
          { name: 'current_step', type: 'integer' },
          { name: 'retry_count', type: 'integer' },
          { name: 'results', type: longText },
          { name: 'compensated', type: 'text' },
          { name: 'error', type: 'text', isNullable: true },
          ...lease,
          time('created_at'),
          time('updated_at'),
        ],
        indices: [{ name: 'idx_workflows_status_lease', columnNames: ['status', 'lease_until'] }],
        foreignKeys: [mediatorKey],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('workflows', true);
  }
}
