import {
  type DataSource,
  type EntityManager,
  In,
  IsNull,
  LessThanOrEqual,
  MoreThan,
  type FindOptionsWhere,
} from 'typeorm';
import {
  aggregateStatus,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
  type ReachableRecipients,
} from '@mediator/core';
import { countsByStatus } from '../delivery-counts';
import { type Page, type PageRequest, toPage } from '../pagination';
import {
  type DeliveryCounts,
  type DeliverySlot,
  type DueDelivery,
  type FailureOutcome,
  MessageRepository,
  type StoredMessage,
} from '../ports';
import { insertOutbox } from '../relational/outbox';
import { transaction } from '../relational/transaction';
import { MessageEntity, MessageRecipientEntity } from './entities';
import { toEnvelope, toRecipientStatus } from './mappers';
import { type SavedMessage, type SqlMessageWrites, sqlMessageWrites } from './sql-message-writes';

/**
 * Messages in the relational database (the embedded default). Writes go through the DataSource's
 * group commit: a message, its recipients and its event are always in one transaction, usually
 * with many other sends.
 */
export class SqlMessageRepository extends MessageRepository {
  private readonly writes: SqlMessageWrites;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.writes = sqlMessageWrites(dataSource);
  }

  async findByIdempotencyKey(
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null> {
    return this.writes.findByIdempotencyKey(this.dataSource.manager, mediator, senderId, key);
  }

  /** Joins the next group commit (see SqlMessageWrites): resolves once it is committed. */
  save(
    envelope: Envelope,
    recipientIds: string[],
    idempotencyKey: string | undefined,
    event: LifecycleEvent | null,
    reachable: ReachableRecipients | null = null,
  ): Promise<SavedMessage> {
    return this.writes.save({ envelope, recipientIds, idempotencyKey, event, reachable });
  }

  async findById(mediator: string, id: string): Promise<StoredMessage | null> {
    const row = await this.dataSource.getRepository(MessageEntity).findOneBy({ mediator, id });
    if (!row) return null;
    const recipients = (
      await this.dataSource
        .getRepository(MessageRecipientEntity)
        .find({ where: { messageId: id }, order: { recipientId: 'ASC' } })
    ).map(toRecipientStatus);
    return {
      envelope: toEnvelope(row, aggregateStatus(recipients.map((r) => r.status))),
      recipients,
    };
  }

  async inbox(
    mediator: string,
    recipientId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Envelope>> {
    const where: FindOptionsWhere<MessageRecipientEntity> = { mediator, recipientId };
    if (status) where.status = status;
    if (page.after) where.messageId = MoreThan(page.after);
    const slots = await this.dataSource
      .getRepository(MessageRecipientEntity)
      .find({ where, order: { messageId: 'ASC' }, take: page.limit + 1 });
    const envelopes = await this.envelopesFor(slots);
    return toPage(envelopes, page.limit, (e) => e.id);
  }

  /** One GROUP BY over the inbox index (mediator first): no message row is read. */
  async deliveryCounts(mediator: string): Promise<DeliveryCounts> {
    const rows = await this.slots
      .createQueryBuilder('r')
      .select('r.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('r.mediator = :mediator', { mediator })
      .groupBy('r.status')
      .getRawMany<{ status: string; count: number | string }>();
    return countsByStatus(rows.map((r) => ({ status: r.status, count: Number(r.count) })));
  }

  markDelivered(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
    ackDueAt: number | null,
  ) {
    return this.writes.markDelivered({ mediator, messageId, recipientId }, at, ackDueAt);
  }

  ack(mediator: string, messageId: string, recipientId: string, at: Date): Promise<boolean> {
    return this.writes.ack({ mediator, messageId, recipientId }, at);
  }

  async unacked(mediator: string, recipientId: string, limit: number): Promise<Envelope[]> {
    const slots = await this.dataSource.getRepository(MessageRecipientEntity).find({
      where: [
        { mediator, recipientId, status: 'pending' },
        { mediator, recipientId, status: 'delivered' },
      ],
      order: { messageId: 'ASC' },
      take: limit,
    });
    return this.envelopesFor(slots);
  }

  async deliveryState(slot: DeliverySlot): Promise<DueDelivery | null> {
    const row = await this.slots.findOneBy({
      mediator: slot.mediator,
      messageId: slot.messageId,
      recipientId: slot.recipientId,
      status: In(['pending', 'delivered']),
    });
    return row ? toDueDelivery(row) : null;
  }

  async dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const rows = await this.slots.find({
      where: { dueAt: LessThanOrEqual(String(now)), status: In(['pending', 'delivered']) },
      order: { dueAt: 'ASC' },
      take: limit,
    });
    return rows.map(toDueDelivery);
  }

  /** The compare-and-set UPDATE and the dead letter's event commit together. */
  recordFailure(seen: DueDelivery, error: string, outcome: FailureOutcome): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const changed = await updateIfUnchanged(manager, seen, {
        status: outcome.status,
        attempts: seen.attempts + 1,
        dueAt: outcome.status === 'pending' ? String(outcome.dueAt) : null,
        deadAt: outcome.status === 'dead' ? outcome.event.timestamp : null,
        lastError: error,
      });
      if (changed && outcome.status === 'dead') await insertOutbox(manager, outcome.event);
      return changed;
    });
  }

  reschedule(seen: DueDelivery, dueAt: number | null): Promise<boolean> {
    return transaction(this.dataSource, (manager) =>
      updateIfUnchanged(manager, seen, { dueAt: dueAt === null ? null : String(dueAt) }),
    );
  }

  async resetDeliveries(
    mediator: string,
    messageId: string,
    recipientIds: string[] | undefined,
  ): Promise<string[]> {
    return transaction(this.dataSource, async (manager) => {
      const where: FindOptionsWhere<MessageRecipientEntity> = {
        mediator,
        messageId,
        status: In(['pending', 'delivered', 'dead']),
      };
      if (recipientIds) where.recipientId = In(recipientIds);
      const rows = await manager.find(MessageRecipientEntity, { where });
      if (rows.length === 0) return [];
      await manager.update(MessageRecipientEntity, where, {
        status: 'pending',
        attempts: 0,
        dueAt: null,
        deadAt: null,
        lastError: null,
      });
      return rows.map((r) => r.recipientId);
    });
  }

  private get slots() {
    return this.dataSource.getRepository(MessageRecipientEntity);
  }

  private async envelopesFor(slots: MessageRecipientEntity[]): Promise<Envelope[]> {
    if (slots.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(MessageEntity)
      .findBy({ id: In(slots.map((s) => s.messageId)) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return slots.flatMap((slot) => {
      const row = byId.get(slot.messageId);
      return row ? [toEnvelope(row, slot.status as DeliveryStatus)] : [];
    });
  }
}

function toDueDelivery(row: MessageRecipientEntity): DueDelivery {
  return {
    mediator: row.mediator,
    messageId: row.messageId,
    recipientId: row.recipientId,
    status: row.status as DueDelivery['status'],
    attempts: row.attempts,
    dueAt: row.dueAt === null ? null : Number(row.dueAt),
  };
}

/** UPDATE … WHERE the slot is still as `seen` (status, attempts, due time); true when it was. */
async function updateIfUnchanged(
  manager: EntityManager,
  seen: DueDelivery,
  changes: Partial<MessageRecipientEntity>,
): Promise<boolean> {
  const result = await manager.update(
    MessageRecipientEntity,
    {
      mediator: seen.mediator,
      messageId: seen.messageId,
      recipientId: seen.recipientId,
      status: seen.status,
      attempts: seen.attempts,
      dueAt: seen.dueAt === null ? IsNull() : String(seen.dueAt),
    },
    changes,
  );
  return (result.affected ?? 0) > 0;
}
