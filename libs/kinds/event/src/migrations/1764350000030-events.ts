import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/** The history of published events; `(mediator, id)` unique so a redelivered id is refused. */
export class Events1764350000030 implements MigrationInterface {
  name = 'Events1764350000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const longText = mysql ? 'longtext' : 'text';
    const str = (name: string, length: number): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
    });
    await queryRunner.createTable(
      new Table({
        name: 'kind_events',
        columns: [
          {
            name: 'seq',
            type: mysql ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('mediator', 64),
          str('id', 64),
          str('type', 200),
          str('sender_id', 64),
          { name: 'data', type: longText },
          { name: 'headers', type: 'text' },
          { name: 'recipient_ids', type: longText },
          { name: 'published_at', type: 'bigint' },
        ],
        uniques: [{ name: 'uq_kind_events_id', columnNames: ['mediator', 'id'] }],
        indices: [{ name: 'idx_kind_events_type', columnNames: ['mediator', 'type', 'seq'] }],
        foreignKeys: [
          {
            columnNames: ['mediator'],
            referencedTableName: 'mediators',
            referencedColumnNames: ['name'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('kind_events');
  }
}
