import type { Connection, Model, mongo } from 'mongoose';
import {
  aggregateStatus,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
  type ReachableRecipients,
} from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { countsByStatus } from '../delivery-counts';
import {
  type DeliveryCounts,
  type DeliverySlot,
  type DueDelivery,
  type FailureOutcome,
  MessageRepository,
  OutboxRepository,
  type StoredMessage,
} from '../ports';
import { type BatchOutcome, WriteCoalescer } from '../relational/write-coalescer';
import { isDuplicateKey } from './mongo-errors';
import {
  MESSAGE_MODEL,
  type MessageDocument,
  MessageSchema,
  RECIPIENT_MODEL,
  type RecipientDocument,
  RecipientSchema,
  idempotencyValue,
  recipientDocumentId,
} from './message.schema';
import { toEnvelope, toMessageDocument, toNewRecipient, toRecipientStatus } from './mongo.mapper';

const INSERT_BATCH = 500;
/** Concurrent saves written together at most (their slots still go in INSERT_BATCH chunks). */
const MAX_SAVES_PER_BATCH = 100;
/** Slot locks taken, or dropped, together at most. */
const MAX_LOCKS_PER_BATCH = 200;
/** A slot lock older than this was left by a crash (a lock lives for one or two updates). */
const LOCK_STALE_MS = 10_000;
/** How long a writer waits before it tries a held slot lock again. */
const LOCK_RETRY_MS = 2;

/**
 * Messages in MongoDB, with no multi-document transaction (FerretDB has none). `save` writes,
 * together with the saves that arrive while a batch is being written (see `insertBatch`):
 *
 * 1. the recipients' slots (invisible until step 2: reads skip a slot whose message is missing);
 * 2. the message document — the commit point; its unique idempotency index decides a race
 *    between two sends with the same key, and the loser removes its slots;
 * 3. the lifecycle event, through `OutboxRepository.append` (the outbox lives in SQL).
 *
 * A failure between 2 and 3 leaves the message stored without its event and makes `save` throw,
 * so the sender sees an error for a message that is in fact stored: a retry without an
 * idempotency key stores it again (delivery is at-least-once), a retry with the key returns the
 * stored envelope. A crash between 1 and 2 leaves orphan slots, never read as messages (the
 * redelivery sweep drops the ack deadline of a delivered one); an inbox page may then hold fewer
 * than `limit` items with a next cursor.
 */
export class MongoMessageRepository extends MessageRepository {
  private readonly messages: Model<MessageDocument>;
  private readonly recipients: Model<RecipientDocument>;
  private readonly inserts = new WriteCoalescer<PendingSave, void>(
    (batch) => this.insertBatch(batch),
    MAX_SAVES_PER_BATCH,
  );
  private readonly locking = new WriteCoalescer<SlotClaim, boolean>(
    (claims) => this.insertClaims(claims),
    MAX_LOCKS_PER_BATCH,
  );
  private readonly unlocking = new WriteCoalescer<string, void>(
    (lockIds) => this.deleteClaims(lockIds),
    MAX_LOCKS_PER_BATCH,
  );

  constructor(
    private readonly connection: Connection,
    private readonly outbox: OutboxRepository,
  ) {
    super();
    this.messages =
      (connection.models[MESSAGE_MODEL] as Model<MessageDocument> | undefined) ??
      connection.model<MessageDocument>(MESSAGE_MODEL, MessageSchema);
    this.recipients =
      (connection.models[RECIPIENT_MODEL] as Model<RecipientDocument> | undefined) ??
      connection.model<RecipientDocument>(RECIPIENT_MODEL, RecipientSchema);
  }

  /** Creates the collections and their indexes (the idempotency guarantee needs the unique one). */
  async ensureIndexes(): Promise<void> {
    await this.messages.createIndexes();
    await this.recipients.createIndexes();
  }

  async findByIdempotencyKey(
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null> {
    const doc = await this.messages
      .findOne({ mediator, sender_id: senderId, idempotency_key: idempotencyValue('', key) })
      .lean<MessageDocument>();
    return doc ? this.withStatus(doc) : null;
  }

  async save(
    envelope: Envelope,
    recipientIds: string[],
    idempotencyKey: string | undefined,
    event: LifecycleEvent | null,
    reachable: ReachableRecipients | null = null,
  ): Promise<{ envelope: Envelope; created: boolean }> {
    try {
      await this.inserts.submit({
        slots: recipientIds.map((id) => toNewRecipient(envelope, id, reachable)),
        message: toMessageDocument(envelope, recipientIds, idempotencyKey),
      });
    } catch (error) {
      if (!(idempotencyKey !== undefined && isDuplicateKey(error))) throw error;
      // A concurrent send with the same key won the race: drop our slots, answer with its envelope.
      await this.recipients.deleteMany({ message_id: envelope.id });
      const first = await this.findByIdempotencyKey(
        envelope.mediator,
        envelope.senderId,
        idempotencyKey,
      );
      if (!first) throw error;
      return { envelope: first, created: false };
    }
    if (event) await this.outbox.append(event);
    return { envelope, created: true };
  }

  /**
   * Group commit of concurrent saves (see WriteCoalescer): one insert of all their slots, then
   * one of the messages whose slots went in. Both are unordered, so that a save that fails (a
   * message losing an idempotency race, say) fails alone. Each insert command is one commit in
   * FerretDB, whose writes take turns: a busy store commits twice per batch, not twice per send.
   */
  private async insertBatch(batch: PendingSave[]): Promise<BatchOutcome<void>[]> {
    const failed = new Map<number, unknown>();
    const slots = batch.flatMap((save, owner) => save.slots.map((doc) => ({ doc, owner })));
    for (let i = 0; i < slots.length; i += INSERT_BATCH) {
      const chunk = slots.slice(i, i + INSERT_BATCH);
      const errors = await insertUnordered(
        this.collectionOf(this.recipients),
        chunk.map((s) => s.doc),
      );
      for (const [index, error] of errors) failed.set(chunk[index].owner, error);
    }
    const stored = batch.flatMap((save, owner) => (failed.has(owner) ? [] : [{ save, owner }]));
    const errors = await insertUnordered(
      this.collectionOf(this.messages),
      stored.map((s) => s.save.message),
    );
    for (const [index, error] of errors) failed.set(stored[index].owner, error);
    return batch.map((_, i) =>
      failed.has(i) ? { ok: false, error: failed.get(i) } : { ok: true, value: undefined },
    );
  }

  /** The driver's collection under a model (its insertMany reports each failed document). */
  private collectionOf<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
    return this.connection.collection<T>(model.collection.collectionName);
  }

  /**
   * Deletes every message of a mediator and their slots (MongoDB has no transaction to share
   * with the SQL deletion: see TypeOrmMediatorRepository.remove for the order). Slots first:
   * a slot without its message is never read, a message without its slots would read as pending.
   */
  async removeMediator(mediator: string): Promise<void> {
    await this.claims.deleteMany({ mediator });
    await this.recipients.deleteMany({ mediator });
    await this.messages.deleteMany({ mediator });
  }

  async findById(mediator: string, id: string): Promise<StoredMessage | null> {
    // By `_id` alone, for the reason given at `slot`.
    const doc = await this.messages.findOne({ _id: id }).lean<MessageDocument>();
    if (!doc || doc.mediator !== mediator) return null;
    const slots = await this.recipients
      .find({ message_id: id })
      .sort({ recipient_id: 1 })
      .lean<RecipientDocument[]>();
    const recipients = slots.map(toRecipientStatus);
    return { envelope: toEnvelope(doc, this.aggregate(doc, slots)), recipients };
  }

  async inbox(
    mediator: string,
    recipientId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Envelope>> {
    const filter: Record<string, unknown> = { mediator, recipient_id: recipientId };
    if (status) filter.status = status;
    if (page.after) filter.message_id = { $gt: page.after };
    const slots = await this.recipients
      .find(filter)
      .sort({ message_id: 1 })
      .limit(page.limit + 1)
      .lean<RecipientDocument[]>();
    return toPage(await this.envelopesFor(slots), page.limit, (e) => e.id);
  }

  /**
   * One `$group` over the mediator's slots (the inbox index starts with the mediator). The slots
   * of a save still in progress (written before their message, see above) count as pending or
   * delivered a moment early; an acked or dead slot always has its message.
   */
  async deliveryCounts(mediator: string): Promise<DeliveryCounts> {
    const rows = await this.recipients.aggregate<{ _id: string; count: number }>([
      { $match: { mediator } },
      { $group: { _id: '$status', count: { $sum: 1 } } },
    ]);
    return countsByStatus(rows.map((r) => ({ status: r._id, count: r.count })));
  }

  async markDelivered(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
    ackDueAt: number | null,
  ): Promise<void> {
    const _id = recipientDocumentId(messageId, recipientId);
    await this.withSlotLock(_id, mediator, async () => {
      const slot = await this.slot(_id, mediator);
      if (!slot || !isUnacked(slot.status)) return;
      // The first delivery's time is kept.
      await this.recipients.updateOne(
        { _id },
        { $set: { status: 'delivered', due_at: ackDueAt, delivered_at: slot.delivered_at ?? at } },
      );
    });
  }

  async ack(mediator: string, messageId: string, recipientId: string, at: Date): Promise<boolean> {
    const _id = recipientDocumentId(messageId, recipientId);
    return this.withSlotLock(_id, mediator, async () => {
      const slot = await this.slot(_id, mediator);
      if (!slot) return false;
      if (slot.status !== 'acked') {
        await this.recipients.updateOne(
          { _id },
          {
            $set: {
              status: 'acked',
              acked_at: at,
              delivered_at: slot.delivered_at ?? at,
              due_at: null,
            },
          },
        );
      }
      return true;
    });
  }

  async unacked(mediator: string, recipientId: string, limit: number): Promise<Envelope[]> {
    const slots = await this.recipients
      .find({
        mediator,
        recipient_id: recipientId,
        status: { $in: ['pending', 'delivered'] },
      })
      .sort({ message_id: 1 })
      .limit(limit)
      .lean<RecipientDocument[]>();
    return this.envelopesFor(slots);
  }

  async deliveryState(slot: DeliverySlot): Promise<DueDelivery | null> {
    const doc = await this.slot(
      recipientDocumentId(slot.messageId, slot.recipientId),
      slot.mediator,
    );
    return doc && isUnacked(doc.status) ? toDueDelivery(doc) : null;
  }

  async dueDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const docs = await this.recipients
      .find({ due_at: { $lte: now }, status: { $in: ['pending', 'delivered'] } })
      .sort({ due_at: 1 })
      .limit(limit)
      .lean<RecipientDocument[]>();
    return docs.map(toDueDelivery);
  }

  /**
   * The compare-and-set update, then the dead letter's event in the SQL outbox (no shared
   * transaction): a crash between the two loses that one event, never the slot's state.
   */
  async recordFailure(seen: DueDelivery, error: string, outcome: FailureOutcome): Promise<boolean> {
    const changed = await this.updateIfUnchanged(seen, {
      status: outcome.status,
      attempts: seen.attempts + 1,
      due_at: outcome.status === 'pending' ? outcome.dueAt : null,
      dead_at: outcome.status === 'dead' ? outcome.event.timestamp : null,
      last_error: error,
    });
    if (changed && outcome.status === 'dead') await this.outbox.append(outcome.event);
    return changed;
  }

  reschedule(seen: DueDelivery, dueAt: number | null): Promise<boolean> {
    return this.updateIfUnchanged(seen, { due_at: dueAt });
  }

  async resetDeliveries(
    mediator: string,
    messageId: string,
    recipientIds: string[] | undefined,
  ): Promise<string[]> {
    const filter: Record<string, unknown> = {
      mediator,
      message_id: messageId,
      status: { $in: ['pending', 'delivered', 'dead'] },
    };
    if (recipientIds) filter.recipient_id = { $in: recipientIds };
    const docs = await this.recipients.find(filter).lean<RecipientDocument[]>();
    const reset: string[] = [];
    for (const doc of docs) {
      const changed = await this.withSlotLock(doc._id, mediator, async () => {
        const slot = await this.slot(doc._id, mediator);
        if (!slot || slot.status === 'acked') return false;
        await this.recipients.updateOne(
          { _id: doc._id },
          {
            $set: { status: 'pending', attempts: 0, due_at: null, dead_at: null, last_error: null },
          },
        );
        return true;
      });
      if (changed) reset.push(doc.recipient_id);
    }
    return reset;
  }

  /**
   * The compare-and-set of the redelivery state: under the slot's lock, the slot is read and
   * changed only if it is still as `seen` was read.
   */
  private updateIfUnchanged(
    seen: DueDelivery,
    changes: Partial<RecipientDocument>,
  ): Promise<boolean> {
    const slotId = recipientDocumentId(seen.messageId, seen.recipientId);
    return this.withSlotLock(slotId, seen.mediator, async () => {
      const slot = await this.slot(slotId, seen.mediator);
      if (!slot || !sameDeliveryState(toDueDelivery(slot), seen)) return false;
      await this.recipients.updateOne({ _id: slotId }, { $set: changes });
      return true;
    });
  }

  /**
   * A slot read by its `_id` alone. FerretDB (v1, SQLite) turns only a filter that is exactly
   * `{ _id }` into SQL; with any other field it decodes and tests every document of the
   * collection itself, about 8 times slower (110 ms against 14 ms at 1,700 slots, growing with
   * every message). Slot writes therefore read by `_id`, check the rest here, and update by `_id`,
   * all under the slot's lock.
   */
  private async slot(slotId: string, mediator: string): Promise<RecipientDocument | null> {
    const doc = await this.recipients.findOne({ _id: slotId }).lean<RecipientDocument>();
    return doc && doc.mediator === mediator ? doc : null;
  }

  /**
   * Runs the writes of one delivery slot with no other writer of that slot in between. MongoDB
   * applies one filtered update atomically, FerretDB does not: two concurrent updates can both
   * match their filter, and a later one can undo an earlier one (an ack overwritten by the
   * `delivered` of the push it answers, so the acked message came a third time). Every writer of
   * a slot's state therefore first takes the slot's lock — an insert with a unique `_id`, atomic
   * on both — and drops it when done. A lock left by a crash is taken over after LOCK_STALE_MS.
   */
  private async withSlotLock<T>(
    slotId: string,
    mediator: string,
    write: () => Promise<T>,
  ): Promise<T> {
    const lockId = `lock|${slotId}`;
    while (!(await this.tryLock(lockId, mediator))) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
    try {
      return await write();
    } finally {
      await this.unlocking.submit(lockId);
    }
  }

  private async tryLock(lockId: string, mediator: string): Promise<boolean> {
    const now = Date.now();
    if (await this.locking.submit({ _id: lockId, mediator, at: now })) return true;
    await this.claims.deleteOne({ _id: lockId, at: { $lt: now - LOCK_STALE_MS } });
    return false;
  }

  /**
   * The locks concurrent writers ask for, taken in one unordered insert (each write is a commit
   * in FerretDB): true for each lock taken, false for each one held by another writer.
   */
  private async insertClaims(claims: SlotClaim[]): Promise<BatchOutcome<boolean>[]> {
    const errors = await insertUnordered(this.claims, claims);
    return claims.map((_, i) => {
      const error = errors.get(i);
      if (error === undefined) return { ok: true, value: true };
      return isDuplicateKey(error) ? { ok: true, value: false } : { ok: false, error };
    });
  }

  /** The locks concurrent writers are done with, dropped in one delete. */
  private async deleteClaims(lockIds: string[]): Promise<BatchOutcome<void>[]> {
    await this.claims.deleteMany({ _id: { $in: lockIds } });
    return lockIds.map(() => ({ ok: true, value: undefined }));
  }

  private get claims() {
    return this.connection.collection<SlotClaim>('delivery_claims');
  }

  private async envelopesFor(slots: RecipientDocument[]): Promise<Envelope[]> {
    if (slots.length === 0) return [];
    const docs = await this.messages
      .find({ _id: { $in: slots.map((s) => s.message_id) } })
      .lean<MessageDocument[]>();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return slots.flatMap((slot) => {
      const doc = byId.get(slot.message_id);
      return doc ? [toEnvelope(doc, slot.status as DeliveryStatus)] : [];
    });
  }

  private async withStatus(doc: MessageDocument): Promise<Envelope> {
    const slots = await this.recipients
      .find({ message_id: doc._id })
      .select({ recipient_id: 1, status: 1 })
      .lean<RecipientDocument[]>();
    return toEnvelope(doc, this.aggregate(doc, slots));
  }

  /** The least advanced status; a recipient without a slot (yet) counts as pending. */
  private aggregate(doc: MessageDocument, slots: Pick<RecipientDocument, 'status'>[]) {
    const statuses = slots.map((s) => s.status as DeliveryStatus);
    if (slots.length < doc.recipient_ids.length) statuses.push('pending');
    return aggregateStatus(statuses);
  }
}

/** What one save inserts: its slots first, then its message (the commit point). */
interface PendingSave {
  slots: RecipientDocument[];
  message: MessageDocument;
}

/** Inserts the documents, each on its own; answers each failed one's error by its index. */
async function insertUnordered<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  docs: T[],
): Promise<Map<number, unknown>> {
  if (docs.length === 0) return new Map();
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    return new Map();
  } catch (error) {
    const { writeErrors } = error as { writeErrors?: { index: number }[] };
    if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw error;
    return new Map(writeErrors.map((w) => [w.index, w]));
  }
}

/** A slot's lock: see `withSlotLock`. */
interface SlotClaim {
  _id: string;
  mediator: string;
  at: number;
}

function isUnacked(status: string): boolean {
  return status === 'pending' || status === 'delivered';
}

function sameDeliveryState(now: DueDelivery, seen: DueDelivery): boolean {
  return now.status === seen.status && now.attempts === seen.attempts && now.dueAt === seen.dueAt;
}

function toDueDelivery(doc: RecipientDocument): DueDelivery {
  return {
    mediator: doc.mediator,
    messageId: doc.message_id,
    recipientId: doc.recipient_id,
    status: doc.status as DueDelivery['status'],
    attempts: doc.attempts ?? 0,
    dueAt: doc.due_at ?? null,
  };
}
