import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * A resource pool's reservation: units in use outside leases (the API's `used` on define, as the
 * original's resource example gives it). Existing pools reserve nothing.
 */
export class ResourceReserved1764500000050 implements MigrationInterface {
  name = 'ResourceReserved1764500000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'kind_resources',
      new TableColumn({ name: 'reserved', type: 'integer', default: 0, isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('kind_resources', 'reserved');
  }
}
