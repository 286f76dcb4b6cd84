import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Redelivery of refused and unanswered deliveries: per recipient, the failed attempts so far, the
 * last refusal, and `due_at` (epoch ms, like the other sweeps' times): when an unacknowledged
 * delivery needs the sweep — its ack is overdue (`delivered`) or its retry is due (`pending`).
 * NULL when nothing is scheduled (acked, dead, or waiting for its colleague to connect).
 */
export class MessageRedelivery1764500000060 implements MigrationInterface {
  name = 'MessageRedelivery1764500000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('message_recipients', [
      new TableColumn({ name: 'attempts', type: 'integer', default: 0 }),
      new TableColumn({ name: 'due_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'last_error', type: 'text', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'message_recipients',
      new TableIndex({ name: 'idx_recipients_due', columnNames: ['due_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('message_recipients', 'idx_recipients_due');
    for (const column of ['last_error', 'due_at', 'attempts'])
      await queryRunner.dropColumn('message_recipients', column);
  }
}
