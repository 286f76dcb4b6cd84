import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * Notifications (KINDS.md): the relational store owns their state. `lease_until` (epoch ms) says
 * until when one instance runs a row; an expired lease lets another resume it.
 *
 * This migration used to create the workflows table too. Its recorded name is kept, so a
 * database migrated before the split does not run it again; the workflows table is now created by
 * the workflow kind's Workflows1764200000011, which does nothing where the table exists.
 */
export class Notifications1764200000010 implements MigrationInterface {
  name = 'NotificationsWorkflows1764200000010';

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
        name: 'notifications',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('id', 36), isPrimary: true },
          str('type', 200),
          str('channel', 16),
          str('recipient_id', 128),
          { name: 'content', type: longText },
          str('status', 16),
          { name: 'retry_count', type: 'integer' },
          { name: 'attempts', type: 'integer' },
          { name: 'last_error', type: 'text', isNullable: true },
          ...lease,
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          { name: 'idx_notifications_status_lease', columnNames: ['status', 'lease_until'] },
        ],
        foreignKeys: [mediatorKey],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notifications', true);
  }
}
