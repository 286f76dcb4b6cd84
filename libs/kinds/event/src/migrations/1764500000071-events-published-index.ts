import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexIfMissing } from '@mediator/persistence/sql';

/**
 * The retention sweep finds the oldest events by `published_at`. This index was created by the
 * core's Retention1764500000070 before the kinds had their own libraries; on such a database it
 * exists already and this migration leaves it as it is.
 */
export class EventsPublishedIndex1764500000071 implements MigrationInterface {
  name = 'EventsPublishedIndex1764500000071';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexIfMissing(queryRunner, 'kind_events', {
      name: 'idx_kind_events_published',
      columnNames: ['published_at'],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('kind_events', 'idx_kind_events_published');
  }
}
