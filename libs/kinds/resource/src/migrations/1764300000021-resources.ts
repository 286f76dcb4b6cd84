import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * Resource pools with their leases. Instants the sweep compares (lease expiry) are epoch
 * milliseconds in bigint columns, so the same SQL comparison works on SQLite and MySQL/MariaDB.
 *
 * Databases migrated before the kinds had their own libraries got these tables from the combined
 * ServicesResources1764300000020 (now the service kind's): there they exist already and this
 * migration does nothing (`createTable(…, ifNotExist)`, on SQLite and MySQL/MariaDB alike).
 */
export class Resources1764300000021 implements MigrationInterface {
  name = 'Resources1764300000021';

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
        name: 'kind_resources',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('name', 128), isPrimary: true },
          str('type', 128),
          { name: 'capacity', type: 'integer' },
          { name: 'used', type: 'integer' },
          int('created_at'),
          int('updated_at'),
        ],
        foreignKeys: [toMediator],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'kind_resource_leases',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('id', 36), isPrimary: true },
          str('resource', 128),
          str('holder_id', 128),
          { name: 'amount', type: 'integer' },
          int('acquired_at'),
          int('expires_at', true),
        ],
        indices: [
          { name: 'idx_kind_leases_resource', columnNames: ['mediator', 'resource'] },
          { name: 'idx_kind_leases_expiry', columnNames: ['expires_at'] },
        ],
        foreignKeys: [toMediator],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('kind_resource_leases', true);
    await queryRunner.dropTable('kind_resources', true);
  }
}
