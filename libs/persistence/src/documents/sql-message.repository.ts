import { type DataSource, In, MoreThan, type FindOptionsWhere } from 'typeorm';
import {
  aggregateStatus,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
} from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { MessageRepository, type StoredMessage } from '../ports';
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
  ): Promise<SavedMessage> {
    return this.writes.save({ envelope, recipientIds, idempotencyKey, event });
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

  markDelivered(mediator: string, messageId: string, recipientId: string, at: Date) {
    return this.writes.markDelivered({ mediator, messageId, recipientId }, at);
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
