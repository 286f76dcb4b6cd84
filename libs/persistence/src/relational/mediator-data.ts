import type { EntityManager } from 'typeorm';
import { AuditEntity, MessageEntity, MessageRecipientEntity } from '../documents/entities';
import { ColleagueEntity, MediatorEntity, OutboxEntity, OutboxLeaseEntity } from './entities';

/**
 * Tables with a `mediator` column that outlive the mediator. Not the outbox: a deleted
 * mediator's events (`mediator_deleted` last) still go out. Not the audit log: it records who
 * did what, and outlives what it is about.
 */
const KEPT: readonly unknown[] = [MediatorEntity, OutboxEntity, OutboxLeaseEntity, AuditEntity];
/** Deleted first: the messages; last: the colleagues (every kind's rows may name one). */
const FIRST: readonly unknown[] = [MessageRecipientEntity, MessageEntity];
const LAST: readonly unknown[] = [ColleagueEntity];

/**
 * Every table that holds a mediator's data, keyed by its `mediator` column: the core's and those
 * of the kinds the data source was given (in the order each kind lists its entities). The
 * message tables are here even when messages live in MongoDB (the tables are then empty); the
 * MongoDB copy is purged by its repository.
 */
function mediatorTables(manager: EntityManager): unknown[] {
  const entities = (manager.connection.options.entities ?? []) as unknown[];
  const kinds = entities.filter(
    (entity) =>
      ![...KEPT, ...FIRST, ...LAST].includes(entity) &&
      typeof entity === 'function' &&
      manager.connection.getMetadata(entity).findColumnWithPropertyName('mediator'),
  );
  return [...FIRST, ...kinds, ...LAST];
}

/** Deletes all of a mediator's rows but the mediator's own (inside the caller's transaction). */
export async function deleteMediatorData(manager: EntityManager, mediator: string): Promise<void> {
  for (const table of mediatorTables(manager))
    await manager.delete(table as new () => object, { mediator });
}
