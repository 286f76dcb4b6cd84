import type { EntityManager } from 'typeorm';
import type { LifecycleEvent } from '@mediator/core';
import { OutboxEntity } from './entities';
import { markOutboxWritten } from './outbox-commits';

/**
 * Writes an event to the outbox with the caller's transaction (from `transaction()`), so both
 * commit together; the relay hears of it once they have.
 */
export async function insertOutbox(manager: EntityManager, event: LifecycleEvent): Promise<void> {
  await manager.insert(OutboxEntity, {
    eventId: event.id,
    mediator: event.mediator,
    event: event.event,
    data: JSON.stringify(event.data ?? null),
    createdAt: event.timestamp,
  });
  markOutboxWritten(manager);
}
