import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The service registry. Instants the sweep compares (last heartbeat) are epoch milliseconds in
 * bigint columns, so the same SQL comparison works on SQLite and MySQL/MariaDB.
 *
 * This migration used to create the resource pools' tables too. Its recorded name is kept, so a
 * database migrated before the split does not run it again; those tables are now created by the
 * resource kind's Resources1764300000021, which does nothing where they exist.
 */
export class Services1764300000020 implements MigrationInterface {
  name = 'ServicesResources1764300000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const int = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'bigint',
      isNullable: nullable,
    });
    const toMediator = {
      columnNames: ['mediator'],
      referencedTableName: 'mediators',
      referencedColumnNames: ['name'],
      onDelete: 'CASCADE',
    };

    await queryRunner.createTable(
      new Table({
        name: 'kind_services',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('name', 128), isPrimary: true },
          str('type', 128),
          str('status', 16),
          { name: 'endpoint', type: 'text', isNullable: true },
          int('heartbeat_ttl_ms'),
          int('last_heartbeat_at'),
          { name: 'version', type: 'integer' },
          int('registered_at'),
          int('updated_at'),
        ],
        indices: [{ name: 'idx_kind_services_status', columnNames: ['mediator', 'status'] }],
        foreignKeys: [toMediator],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('kind_services', true);
  }
}
