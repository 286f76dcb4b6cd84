import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/** Mediators, colleagues, outbox, and the SQL document store (messages, recipients, audit). */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const longText = mysql ? 'longtext' : 'text';
    const time = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: mysql ? 3 : undefined,
      isNullable: nullable,
    });
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });

    await queryRunner.createTable(
      new Table({
        name: 'mediators',
        columns: [
          { ...str('name', 64), isPrimary: true },
          { name: 'description', type: 'text' },
          { name: 'max_colleagues', type: 'integer' },
          time('created_at'),
          time('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'colleagues',
        columns: [
          { ...str('mediator', 64), isPrimary: true },
          { ...str('id', 128), isPrimary: true },
          str('name', 255),
          str('type', 32),
          { name: 'active', type: 'boolean' },
          { name: 'handles', type: 'text' },
          { name: 'subscriptions', type: 'text' },
          { name: 'metadata', type: longText },
          time('registered_at'),
        ],
        indices: [{ name: 'idx_colleagues_mediator_type', columnNames: ['mediator', 'type'] }],
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
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          {
            name: 'seq',
            type: mysql ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('event_id', 36),
          str('mediator', 64),
          str('event', 64),
          { name: 'data', type: longText },
          time('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          { ...str('id', 36), isPrimary: true },
          str('mediator', 64),
          str('kind', 32),
          str('type', 128),
          str('sender_id', 128),
          str('recipient_id', 128, true),
          { name: 'payload', type: longText },
          { name: 'headers', type: 'text' },
          str('correlation_id', 128, true),
          str('idempotency_key', 255, true),
          time('created_at'),
        ],
        indices: [
          {
            name: 'uq_messages_idempotency',
            columnNames: ['mediator', 'sender_id', 'idempotency_key'],
            isUnique: true,
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'message_recipients',
        columns: [
          { ...str('message_id', 36), isPrimary: true },
          { ...str('recipient_id', 128), isPrimary: true },
          str('mediator', 64),
          str('status', 16),
          time('delivered_at', true),
          time('acked_at', true),
        ],
        indices: [
          { name: 'idx_inbox', columnNames: ['mediator', 'recipient_id', 'status', 'message_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          { ...str('id', 36), isPrimary: true },
          time('at'),
          str('actor', 255),
          str('transport', 16),
          str('action', 64),
          str('mediator', 64, true),
          str('target', 255, true),
          str('outcome', 16),
          str('request_id', 64, true),
          { name: 'details', type: longText },
        ],
        indices: [
          { name: 'idx_audit_at', columnNames: ['at'] },
          { name: 'idx_audit_mediator_at', columnNames: ['mediator', 'at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entries',
      'message_recipients',
      'messages',
      'outbox',
      'colleagues',
      'mediators',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
