import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The outbox relay lease: one row, so instances sharing the database do not all publish. */
export class OutboxLease1764100000000 implements MigrationInterface {
  name = 'OutboxLease1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'outbox_lease',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.query(
      "INSERT INTO outbox_lease (name, holder, expires_at) VALUES ('relay', '', 0)",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_lease', true);
  }
}
