import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The service registry and resource pools with their leases. Instants the sweeps compare
 * (last heartbeat, lease expiry) are epoch milliseconds in bigint columns, so the same SQL
 * comparison works on SQLite and MySQL/MariaDB.
 */
export class ServicesResources1764300000020 implements MigrationInterface {
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
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('kind_resource_leases', true);
    await queryRunner.dropTable('kind_resources', true);
    await queryRunner.dropTable('kind_services', true);
  }
}
