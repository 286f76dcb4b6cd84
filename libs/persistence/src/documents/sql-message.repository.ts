import { type DataSource, In, MoreThan, type FindOptionsWhere } from 'typeorm';
import {
  aggregateStatus,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
} from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { MessageRepository, type StoredMessage } from '../ports';
import { insertOutbox } from '../relational/outbox';
import { transaction } from '../relational/transaction';
import { isUniqueViolation } from '../sql-errors';
import { MessageEntity, MessageRecipientEntity } from './entities';
import { toEnvelope, toMessageRow, toRecipientStatus } from './mappers';

/** Messages in the relational database (the embedded default): message, recipients and event in one transaction. */
export class SqlMessageRepository extends MessageRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByIdempotencyKey(
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null> {
    const row = await this.dataSource
      .getRepository(MessageEntity)
      .findOneBy({ mediator, senderId, idempotencyKey: key });
    return row ? this.withStatus(row) : null;
  }

  async save(
    envelope: Envelope,
    recipientIds: string[],
    idempotencyKey: string | undefined,
    event: LifecycleEvent | null,
  ) {
    try {
      await transaction(this.dataSource, async (manager) => {
        await manager.insert(MessageEntity, toMessageRow(envelope, idempotencyKey));
        const rows = recipientIds.map((recipientId) => ({
          messageId: envelope.id,
          recipientId,
          mediator: envelope.mediator,
          status: 'pending',
          deliveredAt: null,
          ackedAt: null,
        }));
        for (let i = 0; i < rows.length; i += 200)
          await manager.insert(MessageRecipientEntity, rows.slice(i, i + 200));
        if (event) await insertOutbox(manager, event);
      });
      return { envelope, created: true };
    } catch (error) {
      // A concurrent send with the same idempotency key won the race: answer with its envelope.
      if (idempotencyKey && isUniqueViolation(error)) {
        const first = await this.findByIdempotencyKey(
          envelope.mediator,
          envelope.senderId,
          idempotencyKey,
        );
        if (first) return { envelope: first, created: false };
      }
      throw error;
    }
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

  async markDelivered(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
  ): Promise<void> {
    await transaction(this.dataSource, (manager) =>
      manager.update(
        MessageRecipientEntity,
        { mediator, messageId, recipientId, status: 'pending' },
        { status: 'delivered', deliveredAt: at },
      ),
    );
  }

  async ack(mediator: string, messageId: string, recipientId: string, at: Date): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const slot = await manager.findOneBy(MessageRecipientEntity, {
        mediator,
        messageId,
        recipientId,
      });
      if (!slot) return false;
      if (slot.status !== 'acked') {
        await manager.update(
          MessageRecipientEntity,
          { mediator, messageId, recipientId },
          { status: 'acked', ackedAt: at, deliveredAt: slot.deliveredAt ?? at },
        );
      }
      return true;
    });
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

  private async withStatus(row: MessageEntity): Promise<Envelope> {
    const statuses = await this.dataSource
      .getRepository(MessageRecipientEntity)
      .find({ select: { status: true }, where: { messageId: row.id } });
    return toEnvelope(row, aggregateStatus(statuses.map((s) => s.status as DeliveryStatus)));
  }
}
